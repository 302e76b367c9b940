/**
 * `tsx bench/migrations-compare.ts`: our analyzer and squawk side by side on the migration corpus
 * (test/migrations/corpus-cases.ts: same files, same --pg-version; only ours can use the schema).
 * Findings are matched per statement through the rule map below; where the two disagree, the
 * reasons column says why, from the tables at the end of this file. Prints the markdown and
 * writes it to bench/results/migrations-compare.md for the README.
 */
import { writeFile } from "node:fs/promises"
import { join } from "node:path"
import { analyzeFiles } from "../core/migrations/analyze.js"
import type { Finding } from "../core/migrations/finding.js"
import { parseFile } from "../core/migrations/parse.js"
import { parsePgVersion } from "../core/migrations/pg-version.js"
import type { RuleId } from "../core/migrations/rules/catalog.js"
import { CASES, CORPUS_DIR, type CorpusCase } from "../test/migrations/corpus-cases.js"
import { corpusFile, fixtureSchema } from "../test/migrations/helpers/corpus.js"
import { type SquawkFinding, runSquawk, ensureSquawk } from "./migrations-squawk.js"

/** Which of our rules report what a squawk rule reports. */
const SAME_AS: Record<string, RuleId[]> = {
  "require-concurrent-index-creation": ["create-index-not-concurrently"],
  "ban-concurrent-index-creation-in-transaction": ["concurrently-in-transaction"],
  "require-concurrent-index-deletion": ["drop-index-not-concurrently"],
  "require-concurrent-reindex": ["reindex-not-concurrently"],
  "constraint-missing-not-valid": [
    "check-without-not-valid",
    "foreign-key-without-not-valid",
    "validate-in-same-transaction",
  ],
  "adding-foreign-key-constraint": ["foreign-key-without-not-valid"],
  "disallowed-unique-constraint": ["unique-without-index"],
  "adding-serial-primary-key-field": ["primary-key-without-index"],
  "adding-not-nullable-field": ["set-not-null"],
  "adding-required-field": ["not-null-without-default"],
  "adding-field-with-default": ["add-column-default-rewrite", "add-column-generated"],
  "changing-column-type": ["alter-column-type"],
  "ban-drop-column": ["drop-column"],
  "ban-drop-table": ["drop-table"],
  "renaming-column": ["rename-column"],
  "renaming-table": ["rename-table"],
  "ban-drop-not-null": ["drop-not-null"],
  "require-lock-timeout": ["missing-lock-timeout"],
  "require-statement-timeout": ["missing-statement-timeout"],
  "ban-truncate-cascade": ["truncate-cascade"],
  "ban-alter-domain-with-add-constraint": ["domain-add-constraint"],
  "ban-drop-database": ["drop-database"],
  "require-concurrent-partition-detach": ["detach-partition-not-concurrently"],
  "identifier-too-long": ["identifier-too-long"],
  "prefer-timestamp-tz": ["timestamp-without-time-zone"],
  "ban-char-field": ["char-column"],
  "prefer-bigint-over-int": ["int-primary-key"],
  "prefer-bigint-over-smallint": ["int-primary-key"],
  "syntax-error": ["syntax-error"],
}

/** squawk's style rules (no deploy risk): listed, not counted, unless one matches a finding of ours. */
const STYLE = new Set([
  "prefer-robust-stmts",
  "prefer-text-field",
  "prefer-identity",
  "prefer-bigint-over-int",
  "prefer-bigint-over-smallint",
])

type Verdict = "squawk false positive" | "squawk misses it" | "ours wrong"

interface Row {
  c: CorpusCase
  ours: Finding[]
  squawk: (SquawkFinding & { statement: number })[]
  oursOnly: Finding[]
  squawkOnly: (SquawkFinding & { statement: number })[]
  style: string[]
  reasons: { verdict: Verdict; text: string }[]
}

const variantOf = (c: CorpusCase) =>
  [c.options.schema === false ? "no schema" : "", c.options.pgVersion ? `PG ${c.options.pgVersion}` : ""]
    .filter(Boolean)
    .join(", ")
const caseKey = (c: CorpusCase) => `${c.file}${variantOf(c) ? ` (${variantOf(c)})` : ""}`

async function compareCase(c: CorpusCase, schema: Awaited<ReturnType<typeof fixtureSchema>>): Promise<Row> {
  const file = corpusFile(c.file)
  const version = c.options.pgVersion ? parsePgVersion(c.options.pgVersion) : undefined
  const ours = await analyzeFiles([file], {
    ...(c.options.schema === false ? {} : { schema }),
    ...(version ? { version } : {}),
  })
  const starts = (await parseFile(file)).statements.map((s) => s.line)
  const statementOf = (line: number) => starts.filter((s) => s <= line).at(-1) ?? line
  const squawk = (await runSquawk([join(CORPUS_DIR, c.file)], c.options.pgVersion)).map((f) => ({
    ...f,
    statement: statementOf(f.line),
  }))
  const matches = (s: { rule: string; statement: number }, o: Finding) =>
    statementOf(o.line) === s.statement && (SAME_AS[s.rule] ?? []).includes(o.rule)
  const oursOnly = ours.filter((o) => !squawk.some((s) => matches(s, o)))
  const unmatched = squawk.filter((s) => !ours.some((o) => matches(s, o)))
  const row: Row = {
    c,
    ours,
    squawk,
    oursOnly,
    squawkOnly: unmatched.filter((s) => !STYLE.has(s.rule)),
    style: unmatched.filter((s) => STYLE.has(s.rule)).map((s) => `L${s.line} ${s.rule}`),
    reasons: [],
  }
  for (const s of row.squawkOnly)
    row.reasons.push(
      SQUAWK_ONLY[`${caseKey(c)}|${s.rule}`] ??
        SQUAWK_ONLY[`${c.file}|${s.rule}`] ?? {
          verdict: "squawk false positive",
          text: `(no reason recorded for squawk's ${s.rule})`,
        },
    )
  for (const o of row.oursOnly)
    row.reasons.push(
      OURS_ONLY[`${c.file}|${o.rule}`] ??
        OURS_ONLY[o.rule] ?? { verdict: "ours wrong", text: `(no reason recorded for our ${o.rule})` },
    )
  return row
}

function markdown(rows: Row[], squawkVersion: string): string {
  const agree = rows.filter((r) => r.squawkOnly.length === 0 && r.oursOnly.length === 0)
  const count = (verdict: Verdict) => rows.flatMap((r) => r.reasons).filter((x) => x.verdict === verdict).length
  const casesWith = (verdict: Verdict) => rows.filter((r) => r.reasons.some((x) => x.verdict === verdict)).length
  const list = (items: string[]) => (items.length ? items.join("<br>") : "—")
  const lines = [
    `# Migration analysis: deploy-pipeline vs squawk ${squawkVersion}`,
    "",
    `${rows.length} cases (${new Set(rows.map((r) => r.c.file)).size} files in test/fixtures/migrations/corpus, some under a second --pg-version or without the schema).`,
    'Ours runs with the schema from test/fixtures/migrations/schema.sql (pg_dump --schema-only) unless a case says "no schema"; squawk cannot take a schema. Both get the same --pg-version (default 15).',
    "Findings are matched per statement through the rule map in bench/migrations-compare.ts; squawk's style rules (prefer-robust-stmts, prefer-text-field, …) are listed but not counted.",
    "",
    `- Same findings: **${agree.length}** of ${rows.length} cases`,
    `- squawk false positives: **${count("squawk false positive")}** findings in ${casesWith("squawk false positive")} cases`,
    `- Found by us, missed by squawk: **${count("squawk misses it")}** findings in ${casesWith("squawk misses it")} cases`,
    `- Ours wrong (false positive or miss): **${count("ours wrong")}**`,
    "",
    "| Case | What it shows | Ours | squawk | Why they differ |",
    "|---|---|---|---|---|",
  ]
  for (const r of rows) {
    const ours = r.ours.map((f) => `L${f.line} ${f.rule} (${f.severity})`)
    const squawk = [
      ...r.squawk
        .filter((s) => !STYLE.has(s.rule) || !r.style.includes(`L${s.line} ${s.rule}`))
        .map((s) => `L${s.line} ${s.rule}`),
      ...r.style.map((s) => `<i>${s}</i>`),
    ]
    const why = r.reasons.length
      ? [...new Set(r.reasons.map((x) => `**${x.verdict}**: ${x.text}`))].join("<br>")
      : "same"
    lines.push(`| ${caseKey(r.c)} | ${r.c.about} | ${list(ours)} | ${list(squawk)} | ${why} |`)
  }
  lines.push("", "Italics: squawk style rules, not counted. L = line of the finding (squawk's are made 1-based).", "")
  return lines.join("\n")
}

/** Why squawk reports something we do not, by "case|rule" or "file|rule". */
const NO_BLOCKING_LOCK =
  "the statement takes no lock that blocks reads or writes (ShareUpdateExclusiveLock at most), so no query queues behind it"
const SQUAWK_ONLY: Record<string, { verdict: Verdict; text: string }> = {
  "05_django_db_default_now.sql|adding-field-with-default": {
    verdict: "squawk false positive",
    text: "STATEMENT_TIMESTAMP() is stable: PostgreSQL 11+ stores the default once, no rewrite (the tracer shows no relfilenode change)",
  },
  "09_django_add_index_concurrently.sql|require-lock-timeout": {
    verdict: "squawk false positive",
    text: NO_BLOCKING_LOCK,
  },
  "09_django_add_index_concurrently.sql|require-statement-timeout": {
    verdict: "squawk false positive",
    text: NO_BLOCKING_LOCK,
  },
  "10_django_concurrently_in_atomic.sql|require-lock-timeout": {
    verdict: "squawk false positive",
    text: "the statement fails inside BEGIN before it locks anything; both report that",
  },
  "10_django_concurrently_in_atomic.sql|require-statement-timeout": {
    verdict: "squawk false positive",
    text: "the statement fails inside BEGIN before it locks anything; both report that",
  },
  "12_django_remove_index_concurrently.sql|require-lock-timeout": {
    verdict: "squawk false positive",
    text: NO_BLOCKING_LOCK,
  },
  "12_django_remove_index_concurrently.sql|require-statement-timeout": {
    verdict: "squawk false positive",
    text: NO_BLOCKING_LOCK,
  },
  "14_django_add_unique_constraint.sql|constraint-missing-not-valid": {
    verdict: "squawk false positive",
    text: "a UNIQUE constraint cannot be added NOT VALID; the real cost (index build under AccessExclusiveLock) is reported by both",
  },
  "15_django_unique_together.sql|constraint-missing-not-valid": {
    verdict: "squawk false positive",
    text: "a UNIQUE constraint cannot be added NOT VALID; the real cost (index build under AccessExclusiveLock) is reported by both",
  },
  "16_django_alter_field_widen_varchar.sql|changing-column-type": {
    verdict: "squawk false positive",
    text: "varchar(100) → varchar(200) is binary-coercible with the schema known: no rewrite (the tracer shows none)",
  },
  "18_django_alter_field_to_text.sql|changing-column-type": {
    verdict: "squawk false positive",
    text: 'varchar(13) → text is binary-coercible, Django\'s USING "isbn"::text included: no rewrite',
  },
  "20_django_alter_field_widen_decimal.sql|changing-column-type": {
    verdict: "squawk false positive",
    text: "numeric(8,2) → numeric(12,2) keeps the scale and widens the precision: no rewrite",
  },
  "22_django_not_null_check_backed.sql|adding-not-nullable-field": {
    verdict: "squawk false positive",
    text: "the schema has a validated CHECK (note IS NOT NULL): PostgreSQL 12+ skips the scan (1–2 ms)",
  },
  "31_django_run_sql_validate.sql|require-lock-timeout": {
    verdict: "squawk false positive",
    text: `VALIDATE CONSTRAINT: ${NO_BLOCKING_LOCK}`,
  },
  "34_create_table_and_index.sql|require-lock-timeout": {
    verdict: "squawk false positive",
    text: "shop_coupon is created in the same file: nobody else can be waiting for it",
  },
  "34_create_table_and_index.sql|require-statement-timeout": {
    verdict: "squawk false positive",
    text: "shop_coupon is created in the same file: nobody else can be waiting for it",
  },
  "34_create_table_and_index.sql|changing-column-type": {
    verdict: "squawk false positive",
    text: "the table is created in the same file: it is empty and unknown to the running release",
  },
  "34_create_table_and_index.sql|adding-field-with-default": {
    verdict: "squawk false positive",
    text: "the table is created in the same file: rewriting an empty table costs nothing",
  },
  "36_reindex_concurrently.sql|require-lock-timeout": { verdict: "squawk false positive", text: NO_BLOCKING_LOCK },
  "36_reindex_concurrently.sql|require-statement-timeout": { verdict: "squawk false positive", text: NO_BLOCKING_LOCK },
  "38_add_primary_key.sql|constraint-missing-not-valid": {
    verdict: "squawk false positive",
    text: "a PRIMARY KEY cannot be added NOT VALID; the real cost is reported by both",
  },
  "47_detach_partition_concurrently.sql|require-lock-timeout": {
    verdict: "squawk false positive",
    text: NO_BLOCKING_LOCK,
  },
  "47_detach_partition_concurrently.sql|require-statement-timeout": {
    verdict: "squawk false positive",
    text: NO_BLOCKING_LOCK,
  },
  "48_enum_rename_value.sql|require-lock-timeout": {
    verdict: "squawk false positive",
    text: "ALTER TYPE … RENAME VALUE takes no table lock",
  },
  "48_enum_rename_value.sql|require-statement-timeout": {
    verdict: "squawk false positive",
    text: "ALTER TYPE … RENAME VALUE takes no table lock",
  },
  "49_enum_add_value.sql|require-lock-timeout": {
    verdict: "squawk false positive",
    text: "ALTER TYPE … ADD VALUE takes no table lock",
  },
  "49_enum_add_value.sql|require-statement-timeout": {
    verdict: "squawk false positive",
    text: "ALTER TYPE … ADD VALUE takes no table lock",
  },
  "51_long_identifier.sql|require-lock-timeout": {
    verdict: "squawk false positive",
    text: `CREATE INDEX CONCURRENTLY: ${NO_BLOCKING_LOCK}`,
  },
  "51_long_identifier.sql|require-statement-timeout": {
    verdict: "squawk false positive",
    text: `CREATE INDEX CONCURRENTLY: ${NO_BLOCKING_LOCK}`,
  },
  "52_exclusion_constraint.sql|constraint-missing-not-valid": {
    verdict: "squawk false positive",
    text: "an exclusion constraint cannot be added NOT VALID (we report it as exclusion-constraint: maintenance window)",
  },
  "07_django_add_foreign_key.sql|adding-foreign-key-constraint": {
    verdict: "squawk false positive",
    text: "the new column is all NULL: PostgreSQL marks an inline REFERENCES valid without reading a row (the tracer reads 0 rows of library_book)",
  },
  "63_domain_validate_constraint.sql|ban-alter-domain-with-add-constraint": {
    verdict: "squawk false positive",
    text: "the domain's constraint is added NOT VALID: no table is read or locked (the tracer shows neither); the scan is line 2's VALIDATE",
  },
  "63_domain_validate_constraint.sql|require-lock-timeout": {
    verdict: "squawk false positive",
    text: "ALTER DOMAIN … ADD CONSTRAINT … NOT VALID takes no table lock; the ShareLock is taken by line 2's VALIDATE, where we warn",
  },
  "63_domain_validate_constraint.sql|require-statement-timeout": {
    verdict: "squawk false positive",
    text: "ALTER DOMAIN … ADD CONSTRAINT … NOT VALID takes no table lock; the ShareLock is taken by line 2's VALIDATE, where we warn",
  },
  "71_vacuum_full_false.sql|require-lock-timeout": {
    verdict: "squawk false positive",
    text: `VACUUM (FULL FALSE) is a plain VACUUM: ${NO_BLOCKING_LOCK}`,
  },
  "71_vacuum_full_false.sql|require-statement-timeout": {
    verdict: "squawk false positive",
    text: `VACUUM (FULL FALSE) is a plain VACUUM: ${NO_BLOCKING_LOCK}`,
  },
  "58_drop_database.sql|require-lock-timeout": {
    verdict: "squawk false positive",
    text: "DROP DATABASE takes no table lock; the problem is the drop, which both report",
  },
  "58_drop_database.sql|require-statement-timeout": {
    verdict: "squawk false positive",
    text: "DROP DATABASE takes no table lock; the problem is the drop, which both report",
  },
}

/** Why we report something squawk does not, by "file|rule" or rule. */
const OURS_ONLY: Record<string, { verdict: Verdict; text: string }> = {
  "not-null-without-default": {
    verdict: "squawk misses it",
    text: "Django's add-then-DROP DEFAULT: squawk sees the DEFAULT and stays quiet, but the running release's INSERTs fail once it is dropped",
  },
  "statements-after-strong-lock": {
    verdict: "squawk misses it",
    text: "squawk has no transaction model: the work after it runs while AccessExclusiveLock is held, so reads wait too",
  },
  "backfill-in-migration": {
    verdict: "squawk misses it",
    text: "squawk does not look at UPDATE/DELETE: one statement over the whole table",
  },
  "run-python": {
    verdict: "squawk misses it",
    text: "squawk reads SQL only; sqlmigrate prints RunPython as a comment",
  },
  "foreign-key-without-index": {
    verdict: "squawk misses it",
    text: "squawk does not look for indexes: every DELETE on the referenced table scans this one",
  },
  "vacuum-full": {
    verdict: "squawk misses it",
    text: "no squawk 2.66 rule: VACUUM FULL rewrites under AccessExclusiveLock",
  },
  cluster: { verdict: "squawk misses it", text: "no squawk 2.66 rule: CLUSTER rewrites under AccessExclusiveLock" },
  "rename-enum-value": {
    verdict: "squawk misses it",
    text: "no squawk rule: the running release still writes the old value",
  },
  "refresh-matview-not-concurrently": {
    verdict: "squawk misses it",
    text: "no squawk rule: REFRESH without CONCURRENTLY blocks reads of the view",
  },
  "needs-newer-postgres": {
    verdict: "squawk misses it",
    text: "squawk takes --pg-version but does not check this: the statement fails on that version",
  },
  "enum-add-value-in-transaction": {
    verdict: "squawk misses it",
    text: "squawk takes --pg-version but does not check this: ADD VALUE fails in a transaction before 12",
  },
  "concurrently-pg14-bug": {
    verdict: "squawk misses it",
    text: "PostgreSQL 14.0–14.3 can corrupt indexes built concurrently",
  },
  "json-column": {
    verdict: "squawk misses it",
    text: "no squawk rule for json (jsonb is smaller, indexable, comparable)",
  },
  "int-primary-key": { verdict: "squawk misses it", text: "the 32-bit key runs out at 2.1 billion rows" },
  "drop-index-not-concurrently": {
    verdict: "squawk misses it",
    text: "squawk does not know IF EXISTS drops of Django's _like indexes",
  },
  "exclusion-constraint": {
    verdict: "squawk misses it",
    text: "squawk only asks for NOT VALID, which an exclusion constraint cannot have",
  },
  "add-column-generated": {
    verdict: "squawk misses it",
    text: "squawk only suggests identity (a style rule); adding a serial column fills every row: a table rewrite",
  },
  "domain-set-not-null": {
    verdict: "squawk misses it",
    text: "no squawk 2.66 rule: SET NOT NULL on a domain reads every table that uses it under ShareLock",
  },
  "domain-validate-constraint": {
    verdict: "squawk misses it",
    text: "squawk flags the NOT VALID add, which reads nothing; a domain's VALIDATE reads every table that uses it under ShareLock",
  },
  "primary-key-using-index-nullable": {
    verdict: "squawk misses it",
    text: "squawk only asks for USING INDEX; with a nullable key column PostgreSQL still checks every row under AccessExclusiveLock",
  },
  "add-column-check": {
    verdict: "squawk misses it",
    text: "no squawk rule for a CHECK written on ADD COLUMN: every row is checked under AccessExclusiveLock",
  },
  truncate: {
    verdict: "squawk misses it",
    text: "squawk bans only TRUNCATE … CASCADE; a plain TRUNCATE empties the running release's table too",
  },
  "lock-table": {
    verdict: "squawk misses it",
    text: "no squawk rule for LOCK TABLE: the lock is held until the transaction ends",
  },
  "63_domain_validate_constraint.sql|missing-lock-timeout": {
    verdict: "squawk misses it",
    text: "the VALIDATE takes ShareLock on every table that uses the domain; squawk warns at line 1, which locks no table",
  },
  "63_domain_validate_constraint.sql|missing-statement-timeout": {
    verdict: "squawk misses it",
    text: "the VALIDATE takes ShareLock on every table that uses the domain; squawk warns at line 1, which locks no table",
  },
  "56_set_local_timeouts.sql|missing-lock-timeout": {
    verdict: "squawk misses it",
    text: "SET LOCAL ended with the COMMIT at line 5: the ALTER at line 6 runs with no lock_timeout",
  },
  "56_set_local_timeouts.sql|missing-statement-timeout": {
    verdict: "squawk misses it",
    text: "SET LOCAL ended with the COMMIT at line 5: the ALTER at line 6 runs with no statement_timeout",
  },
}

async function main(): Promise<void> {
  ensureSquawk()
  const schema = await fixtureSchema()
  const rows: Row[] = []
  for (const c of CASES) rows.push(await compareCase(c, schema))
  const version = await new Promise<string>((resolve) => {
    import("node:child_process").then(({ execFile }) =>
      execFile("node_modules/.bin/squawk", ["--version"], (_e, out) => resolve(out.trim().replace(/^squawk /, ""))),
    )
  })
  const text = markdown(rows, version)
  await writeFile("bench/results/migrations-compare.md", text)
  process.stdout.write(text)
}

await main()
