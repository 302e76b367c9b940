/**
 * The static analyzer: walks each file's statements in order, keeping what the file has done so far
 * (tables it created, columns it added, its transaction, timeouts, locks held) and the schema as it
 * evolves, and asks every rule about each statement. Pure apart from loading the WASM parser.
 */
import { constText, displayName, nameKey, pick, qualify, relationKey, strings } from "./ast.js"
import { domainScan } from "./domain.js"
import { type Finding, compareFindings } from "./finding.js"
import { type LockMode, type RelationLock, blocksWrites, statementLocks, strength, strongest } from "./locks.js"
import { doesWork, statementOperation, wholeTableRead } from "./operation.js"
import { type ParsedFile, type Statement, parseFile } from "./parse.js"
import { DEFAULT_PG_VERSION, type PgVersion } from "./pg-version.js"
import { RULES, type RuleId } from "./rules/catalog.js"
import { columnRules } from "./rules/columns.js"
import { constraintRules } from "./rules/constraints.js"
import { type Report, type Rule, type RuleContext, findingFrom } from "./rules/context.js"
import { destructiveRules } from "./rules/destructive.js"
import { domainRules } from "./rules/domains.js"
import { hygieneRules } from "./rules/hygiene.js"
import { indexRules } from "./rules/indexes.js"
import { lockTableRule } from "./rules/lock-table.js"
import { type Schema, applyDdl, cloneSchema, emptySchema, schemaOf } from "./schema.js"
import type { SqlFile } from "./sql-file.js"

export interface AnalyzeOptions {
  /** The target's version; defaults to the schema's (from --database), then to PostgreSQL 15. */
  version?: PgVersion
  /** The target's current schema (from --schema or --database). */
  schema?: Schema
}

const STATEMENT_RULES: readonly Rule[] = [
  indexRules,
  constraintRules,
  columnRules,
  domainRules,
  lockTableRule,
  destructiveRules,
  hygieneRules,
]

/** Analyzes the files in order; the schema carries from one file to the next, as migrations apply. */
export async function analyzeFiles(files: readonly SqlFile[], options: AnalyzeOptions = {}): Promise<Finding[]> {
  const parsed: ParsedFile[] = []
  for (const file of files) parsed.push(await parseFile(file))
  return analyzeParsed(parsed, files, options)
}

export function analyzeParsed(
  parsed: readonly ParsedFile[],
  files: readonly SqlFile[],
  options: AnalyzeOptions = {},
): Finding[] {
  const version = options.version ?? options.schema?.version ?? DEFAULT_PG_VERSION
  const schema = options.schema ? cloneSchema(options.schema) : emptySchema()
  const known = options.schema !== undefined
  return parsed.flatMap((file, i) => analyzeFile(file, files[i]?.content ?? "", version, schema, known))
}

interface Transaction {
  /** Constraints added in this transaction, with the lock their ADD took. */
  added: Map<string, LockMode>
  /** The strongest lock this transaction holds per existing relation. */
  held: Map<string, { mode: LockMode; line: number }>
  /** Rule #21 fires once per transaction. */
  reportedAfterLock: boolean
}

interface Timeouts {
  lock: "session" | "local" | undefined
  statement: "session" | "local" | undefined
  warnedLock: boolean
  warnedStatement: boolean
}

interface ForeignKey {
  table: string
  columns: string[]
  target: string
  statement: Statement
  locks: RelationLock[]
  tableExisted: boolean
}

function analyzeFile(
  file: ParsedFile,
  content: string,
  version: PgVersion,
  schema: Schema,
  schemaKnown: boolean,
): Finding[] {
  const findings: Finding[] = []
  const reportAt = (stmt: Statement, locks: RelationLock[], rule: RuleId, report: Report) =>
    findings.push(findingFrom({ file: file.path, stmt, locks }, rule, RULES[rule].severity, report))
  if (file.syntaxError) {
    const stmt = { line: file.syntaxError.line, sql: "", node: {} as Statement["node"] }
    reportAt(stmt, [], "syntax-error", {
      relation: null,
      lock: null,
      why: `PostgreSQL cannot parse it: ${file.syntaxError.message}`,
      fix: "Fix the SQL; nothing else in this file was checked",
    })
    return findings
  }
  const created = new Set<string>()
  const addedColumns = new Set<string>()
  const foreignKeys: ForeignKey[] = []
  const timeouts: Timeouts = { lock: undefined, statement: undefined, warnedLock: false, warnedStatement: false }
  let transaction: Transaction | undefined

  for (const stmt of file.statements) {
    const node = stmt.node
    const tx = pick(node, "TransactionStmt")
    if (tx) {
      if (tx.kind === "TRANS_STMT_BEGIN" || tx.kind === "TRANS_STMT_START")
        transaction = { added: new Map(), held: new Map(), reportedAfterLock: false }
      else if (
        tx.kind === "TRANS_STMT_COMMIT" ||
        tx.kind === "TRANS_STMT_ROLLBACK" ||
        tx.kind === "TRANS_STMT_PREPARE"
      ) {
        transaction = undefined
        if (timeouts.lock === "local") timeouts.lock = undefined
        if (timeouts.statement === "local") timeouts.statement = undefined
      }
      continue
    }
    const setting = settingValue(node)
    if (setting) {
      const on = setting.value !== undefined && !/^0+(ms|s|min)?$/i.test(setting.value.trim())
      const scope = on ? (setting.local ? (transaction ? "local" : undefined) : "session") : undefined
      if (setting.name === "lock_timeout") timeouts.lock = scope
      if (setting.name === "statement_timeout") timeouts.statement = scope
      continue
    }

    const isNew = (key: string) => created.has(key)
    const locks = statementLocks(node, version, schema).filter((l) => !isNew(l.relation))
    const operation = statementOperation(node, version, schema)
    const ctx: RuleContext = {
      file: file.path,
      stmt,
      version,
      schema,
      schemaKnown,
      inTransaction: transaction !== undefined,
      isNew,
      addedColumns,
      locks,
      operation,
      report: (rule, report) => reportAt(stmt, locks, rule, report),
    }
    if (transaction) transactionRules(ctx, transaction)
    for (const rule of STATEMENT_RULES) rule(ctx)
    timeoutRules(ctx, timeouts)
    collectForeignKeys(stmt, locks, created, foreignKeys)

    // Remember what this statement did, for the statements after it.
    if (transaction) {
      for (const lock of locks) {
        const before = transaction.held.get(lock.relation)
        const mode = before ? strongest(before.mode, lock.mode) : lock.mode
        transaction.held.set(lock.relation, { mode, line: before?.mode === mode ? before.line : stmt.line })
      }
      for (const [key, mode] of addedConstraints(node)) transaction.added.set(key, mode)
    }
    trackCreated(node, created, addedColumns)
    applyDdl(schema, node)
  }
  for (const fk of foreignKeys) foreignKeyIndex(fk, schema, schemaKnown, reportAt)
  for (const line of runPythonLines(content)) {
    reportAt({ line, sql: "", node: {} as Statement["node"] }, [], "run-python", {
      relation: null,
      lock: null,
      why: "RunPython runs code this SQL does not show: a data migration holds its transaction's locks and may read or write whole tables",
      fix: "Give it reverse_code, batch its writes, keep it out of schema-changing migrations, and trace the real manage.py migrate on a scratch copy",
    })
  }
  return findings.sort(compareFindings)
}

/** Rules #7 and #21: what an explicit transaction already holds when this statement runs. */
function transactionRules(ctx: RuleContext, tx: Transaction): void {
  const alter = pick(ctx.stmt.node, "AlterTableStmt")
  for (const item of alter?.cmds ?? []) {
    const cmd = pick(item, "AlterTableCmd")
    if (cmd?.subtype !== "AT_ValidateConstraint") continue
    const table = relationKey(alter?.relation)
    const addedHere = tx.added.get(`${table}.${cmd.name}`)
    const held = tx.held.get(table)
    const heldMode =
      addedHere ?? (held && strength(held.mode) > strength("ShareUpdateExclusiveLock") ? held.mode : undefined)
    if (!heldMode) continue
    ctx.report("validate-in-same-transaction", {
      relation: table,
      lock: heldMode,
      why: `${addedHere ? `${cmd.name} was added in this transaction, so` : `This transaction already holds ${heldMode} on ${displayName(table)}, so`} VALIDATE's full scan runs while ${heldMode} is held: NOT VALID gains nothing`,
      fix: "Commit in between: put VALIDATE CONSTRAINT in the next migration",
    })
  }
  if (
    tx.reportedAfterLock ||
    !doesWork(ctx.operation.kind) ||
    ctx.operation.table === undefined ||
    ctx.isNew(ctx.operation.table)
  )
    return
  const exclusive = [...tx.held].find(([, h]) => h.mode === "AccessExclusiveLock")
  if (!exclusive) return
  const [relation, { line }] = exclusive
  tx.reportedAfterLock = true
  ctx.report("statements-after-strong-lock", {
    relation,
    lock: "AccessExclusiveLock",
    why: `The AccessExclusiveLock on ${displayName(relation)} taken at line ${line} is held until COMMIT, so reads of ${displayName(relation)} also wait while this statement ${wholeTableRead(ctx.stmt.node) ? "reads every row" : (WORK[ctx.operation.kind] ?? "runs")}${ctx.operation.table === relation ? "" : ` on ${displayName(ctx.operation.table)}`}`,
    fix: "One risky statement per transaction: split the migration, or make it atomic = False so each statement commits on its own",
  })
}

const WORK: Partial<Record<string, string>> = {
  rewrite: "rewrites the table",
  "unique-index": "builds a unique index",
  index: "builds an index",
  "fk-scan": "checks a foreign key on every row",
  scan: "scans every row",
  dml: "changes rows",
}

/** Rules #19 and #20, once per file, at the first statement that blocks writes to an existing relation. */
function timeoutRules(ctx: RuleContext, timeouts: Timeouts): void {
  const lock = blockingLock(ctx)
  if (!lock) return
  const name = lock.relation ? displayName(lock.relation) : lock.name
  if (!timeouts.lock && !timeouts.warnedLock) {
    timeouts.warnedLock = true
    ctx.report("missing-lock-timeout", {
      relation: lock.relation,
      lock: lock.mode,
      why: `With no lock_timeout this statement waits behind any long transaction on ${name}, and every query that conflicts with ${lock.mode} queues behind it (a SELECT waited 2,978 ms behind an instant ADD COLUMN)`,
      fix: "deploy-pipeline sets lock_timeout and retries when it runs migrations; anywhere else start with SET lock_timeout = '2s' and retry with backoff",
    })
  }
  if (!timeouts.statement && !timeouts.warnedStatement) {
    timeouts.warnedStatement = true
    ctx.report("missing-statement-timeout", {
      relation: lock.relation,
      lock: lock.mode,
      why: `With no statement_timeout a slow or stuck statement keeps ${lock.mode} on ${name} for as long as it runs`,
      fix: "deploy-pipeline sets statement_timeout when it runs migrations; anywhere else SET statement_timeout per migration (larger for CREATE INDEX CONCURRENTLY and VALIDATE)",
    })
  }
}

/** The strongest write-blocking lock the statement takes; an ALTER DOMAIN takes one on tables that, with no schema, it cannot name. */
function blockingLock(ctx: RuleContext): { relation: string | null; name: string; mode: LockMode } | undefined {
  const blocking = ctx.locks.filter((l) => blocksWrites(l.mode))
  if (blocking.length > 0)
    return { ...blocking.reduce((a, b) => (strength(b.mode) > strength(a.mode) ? b : a)), name: "" }
  const domain = domainScan(ctx.stmt.node)
  if (domain && !ctx.schemaKnown && !ctx.isNew(domain.domain))
    return { relation: null, name: `the tables with a column of type ${domain.name}`, mode: "ShareLock" }
  return undefined
}

function addedConstraints(node: Statement["node"]): [string, LockMode][] {
  const alter = pick(node, "AlterTableStmt")
  const table = relationKey(alter?.relation)
  const out: [string, LockMode][] = []
  for (const item of alter?.cmds ?? []) {
    const cmd = pick(item, "AlterTableCmd")
    const con = pick(cmd?.def, "Constraint")
    if (cmd?.subtype === "AT_AddConstraint" && con?.conname)
      out.push([
        `${table}.${con.conname}`,
        con.contype === "CONSTR_FOREIGN" ? "ShareRowExclusiveLock" : "AccessExclusiveLock",
      ])
  }
  return out
}

function trackCreated(node: Statement["node"], created: Set<string>, addedColumns: Set<string>): void {
  const create = pick(node, "CreateStmt")
  if (create) created.add(relationKey(create.relation))
  const domain = pick(node, "CreateDomainStmt")
  if (domain) created.add(nameKey(strings(domain.domainname)))
  const createAs = pick(node, "CreateTableAsStmt")
  if (createAs?.into?.rel) created.add(relationKey(createAs.into.rel))
  const index = pick(node, "IndexStmt")
  if (index?.idxname) created.add(qualify(schemaOf(relationKey(index.relation)), index.idxname))
  const rename = pick(node, "RenameStmt")
  if (
    rename?.relation &&
    created.has(relationKey(rename.relation)) &&
    (rename.renameType === "OBJECT_TABLE" || rename.renameType === "OBJECT_INDEX")
  ) {
    created.add(qualify(schemaOf(relationKey(rename.relation)), rename.newname ?? ""))
  }
  const alter = pick(node, "AlterTableStmt")
  for (const item of alter?.cmds ?? []) {
    const cmd = pick(item, "AlterTableCmd")
    const def = pick(cmd?.def, "ColumnDef")
    if (cmd?.subtype === "AT_AddColumn" && def?.colname)
      addedColumns.add(`${relationKey(alter?.relation)}.${def.colname}`)
  }
}

function collectForeignKeys(
  stmt: Statement,
  locks: RelationLock[],
  created: ReadonlySet<string>,
  out: ForeignKey[],
): void {
  const add = (table: string, columns: string[], con: ReturnType<typeof pick<"Constraint">>) => {
    if (con?.contype !== "CONSTR_FOREIGN" || columns.length === 0) return
    out.push({
      table,
      columns,
      target: relationKey(con.pktable),
      statement: stmt,
      locks,
      tableExisted: !created.has(table),
    })
  }
  const create = pick(stmt.node, "CreateStmt")
  if (create) {
    const table = relationKey(create.relation)
    for (const element of create.tableElts ?? []) {
      const con = pick(element, "Constraint")
      if (con) add(table, strings(con.fk_attrs), con)
      const def = pick(element, "ColumnDef")
      for (const c of def?.constraints ?? []) add(table, [def?.colname ?? ""], pick(c, "Constraint"))
    }
  }
  const alter = pick(stmt.node, "AlterTableStmt")
  const table = relationKey(alter?.relation)
  for (const item of alter?.cmds ?? []) {
    const cmd = pick(item, "AlterTableCmd")
    if (cmd?.subtype === "AT_AddConstraint") {
      const con = pick(cmd.def, "Constraint")
      add(table, strings(con?.fk_attrs), con)
    }
    const def = pick(cmd?.def, "ColumnDef")
    if (cmd?.subtype === "AT_AddColumn" && def)
      for (const c of def.constraints ?? []) add(table, [def.colname ?? ""], pick(c, "Constraint"))
  }
}

function foreignKeyIndex(
  fk: ForeignKey,
  schema: Schema,
  schemaKnown: boolean,
  reportAt: (stmt: Statement, locks: RelationLock[], rule: RuleId, report: Report) => void,
): void {
  if (fk.tableExisted && !schemaKnown) return
  const wanted = new Set(fk.columns)
  for (const index of schema.indexes.values()) {
    if (index.table !== fk.table || index.columns.length < wanted.size) continue
    if (index.columns.slice(0, wanted.size).every((c) => wanted.has(c))) return
  }
  const where = `${displayName(fk.table)} (${fk.columns.join(", ")})`
  reportAt(fk.statement, fk.locks, "foreign-key-without-index", {
    relation: fk.table,
    lock: null,
    why: `No index starts with ${where}: every DELETE from ${displayName(fk.target)}, and every update of its key, scans ${displayName(fk.table)} to check the constraint`,
    fix: `CREATE INDEX CONCURRENTLY ON ${where} in a non-atomic migration (Django indexes a ForeignKey unless db_index=False)`,
  })
}

/** Django's sqlmigrate prints RunPython as a comment block: "-- Raw Python operation". */
function runPythonLines(content: string): number[] {
  return content.split("\n").flatMap((text, i) => (/^--\s*Raw Python operation\s*$/.test(text.trim()) ? [i + 1] : []))
}

/** `SET lock_timeout = '2s'` → "2s"; RESET and DEFAULT → undefined. */
function settingValue(
  node: Statement["node"],
): { name: string; value: string | undefined; local: boolean } | undefined {
  const set = pick(node, "VariableSetStmt")
  if (!set?.name) return undefined
  const value = set.kind === "VAR_SET_VALUE" ? constText(set.args?.[0]) : undefined
  return { name: set.name.toLowerCase(), value, local: set.is_local === true }
}
