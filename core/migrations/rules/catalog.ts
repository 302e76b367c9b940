/**
 * Every rule the analyzer knows: its id, default severity and what it flags, numbered as in
 * shared/reference/migration-safety.md (§1 table, then the "also flagged" list as "+").
 * The README's rule list and the corpus tests are checked against this table.
 */
import type { Severity } from "../severity.js"

export interface RuleInfo {
  severity: Severity
  /** Row of the reference table, or "+" for the "also flagged" list and our own additions. */
  ref: string
  summary: string
}

export const RULES = {
  "create-index-not-concurrently": {
    severity: "error",
    ref: "1",
    summary: "CREATE INDEX without CONCURRENTLY on an existing table",
  },
  "concurrently-in-transaction": {
    severity: "error",
    ref: "2",
    summary: "a CONCURRENTLY statement inside BEGIN … COMMIT (it fails)",
  },
  "drop-index-not-concurrently": { severity: "error", ref: "3", summary: "DROP INDEX without CONCURRENTLY" },
  "reindex-not-concurrently": { severity: "error", ref: "4", summary: "REINDEX without CONCURRENTLY" },
  "check-without-not-valid": {
    severity: "error",
    ref: "5",
    summary: "ADD CONSTRAINT … CHECK without NOT VALID on an existing table",
  },
  "foreign-key-without-not-valid": {
    severity: "error",
    ref: "6",
    summary:
      "a foreign key added to an existing table without NOT VALID (also inline REFERENCES in an ADD COLUMN with a DEFAULT)",
  },
  "validate-in-same-transaction": {
    severity: "error",
    ref: "7",
    summary: "VALIDATE CONSTRAINT in the transaction that added it or holds a strong lock on the table",
  },
  "unique-without-index": {
    severity: "error",
    ref: "8",
    summary: "ADD UNIQUE without USING INDEX on an existing table",
  },
  "primary-key-without-index": {
    severity: "error",
    ref: "9",
    summary: "ADD PRIMARY KEY without USING INDEX on an existing table",
  },
  "set-not-null": {
    severity: "error",
    ref: "10",
    summary: "SET NOT NULL that scans the table (no validated CHECK (c IS NOT NULL) on PG12+)",
  },
  "not-null-without-default": {
    severity: "error",
    ref: "11",
    summary: "a new NOT NULL column with no database default, including Django's add-then-DROP DEFAULT",
  },
  "add-column-default-rewrite": {
    severity: "error",
    ref: "12",
    summary: "ADD COLUMN with a volatile DEFAULT (any DEFAULT before PG11): table rewrite",
  },
  "add-column-generated": {
    severity: "error",
    ref: "13",
    summary: "ADD COLUMN serial, identity or GENERATED … STORED: table rewrite",
  },
  "alter-column-type": {
    severity: "error",
    ref: "14",
    summary: "ALTER COLUMN TYPE that rewrites (or may: current type unknown)",
  },
  "drop-column": { severity: "error", ref: "15", summary: "DROP COLUMN while the running release still selects it" },
  "drop-table": { severity: "error", ref: "16", summary: "DROP TABLE of an existing table" },
  "rename-column": { severity: "error", ref: "17", summary: "RENAME COLUMN of an existing table" },
  "rename-table": { severity: "error", ref: "17", summary: "RENAME of an existing table" },
  "rename-enum-value": { severity: "error", ref: "17", summary: "ALTER TYPE … RENAME VALUE" },
  "drop-not-null": {
    severity: "warning",
    ref: "18",
    summary: "DROP NOT NULL (the expand step; readers must tolerate NULL)",
  },
  "missing-lock-timeout": {
    severity: "warning",
    ref: "19",
    summary: "a write-blocking lock with no lock_timeout set before it in the file",
  },
  "missing-statement-timeout": {
    severity: "warning",
    ref: "20",
    summary: "a write-blocking lock with no statement_timeout set before it in the file",
  },
  "statements-after-strong-lock": {
    severity: "error",
    ref: "21",
    summary: "slow work, a whole-table SELECT included, after an AccessExclusiveLock in the same transaction",
  },
  "json-column": { severity: "info", ref: "+", summary: "a json column (jsonb is smaller, indexable and comparable)" },
  "exclusion-constraint": {
    severity: "error",
    ref: "+",
    summary: "an exclusion constraint on an existing table (no NOT VALID possible)",
  },
  "foreign-key-without-index": {
    severity: "warning",
    ref: "+",
    summary: "a foreign key whose columns no index leads with",
  },
  "vacuum-full": { severity: "error", ref: "+", summary: "VACUUM FULL" },
  cluster: { severity: "error", ref: "+", summary: "CLUSTER" },
  "detach-partition-not-concurrently": {
    severity: "error",
    ref: "+",
    summary: "DETACH PARTITION without CONCURRENTLY",
  },
  "truncate-cascade": { severity: "error", ref: "+", summary: "TRUNCATE … CASCADE" },
  truncate: {
    severity: "error",
    ref: "+",
    summary: "TRUNCATE of an existing table (its data is gone for the running release)",
  },
  "lock-table": {
    severity: "error",
    ref: "+",
    summary: "LOCK TABLE on an existing table (held until the transaction ends)",
  },
  "add-column-check": {
    severity: "error",
    ref: "+",
    summary: "ADD COLUMN … CHECK (…) on an existing table: every row checked under AccessExclusiveLock",
  },
  "primary-key-using-index-nullable": {
    severity: "error",
    ref: "+",
    summary: "ADD PRIMARY KEY USING INDEX on nullable columns: NOT NULL checked on every row under AccessExclusiveLock",
  },
  "domain-add-constraint": {
    severity: "error",
    ref: "+",
    summary: "ALTER DOMAIN … ADD CONSTRAINT without NOT VALID: every table using the domain scanned under ShareLock",
  },
  "domain-set-not-null": {
    severity: "error",
    ref: "+",
    summary: "ALTER DOMAIN … SET NOT NULL: every table using the domain scanned under ShareLock",
  },
  "domain-validate-constraint": {
    severity: "error",
    ref: "+",
    summary: "ALTER DOMAIN … VALIDATE CONSTRAINT: every table using the domain scanned under ShareLock",
  },
  "drop-database": { severity: "error", ref: "+", summary: "DROP DATABASE" },
  "refresh-matview-not-concurrently": {
    severity: "warning",
    ref: "+",
    summary: "REFRESH MATERIALIZED VIEW without CONCURRENTLY",
  },
  "enum-add-value-in-transaction": {
    severity: "error",
    ref: "+",
    summary: "ALTER TYPE … ADD VALUE inside a transaction before PG12 (it fails)",
  },
  "concurrently-pg14-bug": {
    severity: "error",
    ref: "+",
    summary: "CREATE INDEX / REINDEX CONCURRENTLY on PostgreSQL 14.0–14.3 (index corruption)",
  },
  "needs-newer-postgres": {
    severity: "error",
    ref: "+",
    summary:
      "syntax the target version does not have (REINDEX CONCURRENTLY < 12, DETACH CONCURRENTLY < 14, NULLS NOT DISTINCT < 15)",
  },
  "identifier-too-long": {
    severity: "warning",
    ref: "+",
    summary: "an identifier over 63 bytes (PostgreSQL truncates it silently)",
  },
  "int-primary-key": { severity: "info", ref: "+", summary: "an integer (not bigint) primary key" },
  "timestamp-without-time-zone": { severity: "info", ref: "+", summary: "a timestamp column without time zone" },
  "char-column": { severity: "info", ref: "+", summary: "a char(n) column" },
  "backfill-in-migration": {
    severity: "warning",
    ref: "+",
    summary: "UPDATE or DELETE of an existing table in one statement",
  },
  "run-python": {
    severity: "info",
    ref: "+",
    summary: "a Django RunPython operation, which SQL analysis cannot see into",
  },
  "syntax-error": { severity: "error", ref: "+", summary: "the file is not valid PostgreSQL" },
} as const satisfies Record<string, RuleInfo>

export type RuleId = keyof typeof RULES

export const RULE_IDS = Object.keys(RULES) as RuleId[]
