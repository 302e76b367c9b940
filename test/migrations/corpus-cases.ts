/**
 * The migration corpus and what the analyzer must find in each file: exact lines, rule ids,
 * severities and lock modes. Files live in test/fixtures/migrations/corpus; unless a case says
 * otherwise they are checked against the schema in test/fixtures/migrations/schema.sql (a real
 * pg_dump --schema-only) on PostgreSQL 15. corpus.spec.ts asserts these; bench/migrations-compare.ts
 * runs squawk on the same cases.
 */
import type { Severity } from "../../core/migrations/finding.js"
import type { LockMode } from "../../core/migrations/locks.js"
import type { RuleId } from "../../core/migrations/rules/catalog.js"

export interface CorpusCase {
  file: string
  options: { schema?: false; pgVersion?: string }
  about: string
  expect: [line: number, rule: RuleId, severity: Severity, lock: LockMode | null][]
}

export const CORPUS_DIR = "test/fixtures/migrations/corpus"
export const SCHEMA_FIXTURE = "test/fixtures/migrations/schema.sql"
/** `pg_dump --schema-only --no-owner` (PostgreSQL 15) of a freshly created, empty database: a valid schema with no tables. */
export const EMPTY_SCHEMA_FIXTURE = "test/fixtures/migrations/empty-schema.sql"

export const CASES: CorpusCase[] = [
  {
    file: "01_django_initial_blog.sql",
    options: {},
    about:
      "CreateModel ×2 with FKs: new tables are safe; the FK still takes ShareRowExclusiveLock on the existing library_author",
    expect: [
      [10, "missing-lock-timeout", "warning", "ShareRowExclusiveLock"],
      [10, "missing-statement-timeout", "warning", "ShareRowExclusiveLock"],
    ],
  },
  {
    file: "02_django_add_field_nullable.sql",
    options: {},
    about: "AddField null=True: catalog-only, only the timeouts",
    expect: [
      [5, "missing-lock-timeout", "warning", "AccessExclusiveLock"],
      [5, "missing-statement-timeout", "warning", "AccessExclusiveLock"],
    ],
  },
  {
    file: "03_django_add_field_default.sql",
    options: {},
    about: "AddField default=True: Django adds the column DEFAULT … NOT NULL, then drops the default",
    expect: [
      [5, "missing-lock-timeout", "warning", "AccessExclusiveLock"],
      [5, "missing-statement-timeout", "warning", "AccessExclusiveLock"],
      [6, "not-null-without-default", "error", "AccessExclusiveLock"],
    ],
  },
  {
    file: "04_django_add_field_db_default.sql",
    options: {},
    about: "AddField db_default= (Django 5): the default stays, old INSERTs keep working",
    expect: [
      [5, "missing-lock-timeout", "warning", "AccessExclusiveLock"],
      [5, "missing-statement-timeout", "warning", "AccessExclusiveLock"],
    ],
  },
  {
    file: "05_django_db_default_now.sql",
    options: {},
    about: "db_default=Now(): STATEMENT_TIMESTAMP() is stable, so no rewrite on PG11+",
    expect: [
      [5, "missing-lock-timeout", "warning", "AccessExclusiveLock"],
      [5, "missing-statement-timeout", "warning", "AccessExclusiveLock"],
    ],
  },
  {
    file: "06_django_db_default_uuid.sql",
    options: {},
    about: "db_default=RandomUUID(): GEN_RANDOM_UUID() is volatile, the table is rewritten",
    expect: [
      [5, "add-column-default-rewrite", "error", "AccessExclusiveLock"],
      [5, "missing-lock-timeout", "warning", "AccessExclusiveLock"],
      [5, "missing-statement-timeout", "warning", "AccessExclusiveLock"],
    ],
  },
  {
    file: "07_django_add_foreign_key.sql",
    options: {},
    about:
      "AddField ForeignKey: inline REFERENCES on the new, all-NULL column is valid without a scan; then an index is built while AccessExclusiveLock is held",
    expect: [
      [5, "missing-lock-timeout", "warning", "AccessExclusiveLock"],
      [5, "missing-statement-timeout", "warning", "AccessExclusiveLock"],
      [6, "statements-after-strong-lock", "error", "AccessExclusiveLock"],
      [6, "create-index-not-concurrently", "error", "ShareLock"],
    ],
  },
  {
    file: "08_django_add_index.sql",
    options: {},
    about: "AddIndex in an atomic migration",
    expect: [
      [5, "create-index-not-concurrently", "error", "ShareLock"],
      [5, "missing-lock-timeout", "warning", "ShareLock"],
      [5, "missing-statement-timeout", "warning", "ShareLock"],
    ],
  },
  {
    file: "09_django_add_index_concurrently.sql",
    options: {},
    about: "AddIndexConcurrently (atomic = False): safe",
    expect: [],
  },
  {
    file: "10_django_concurrently_in_atomic.sql",
    options: {},
    about: "AddIndexConcurrently left atomic: fails inside BEGIN",
    expect: [[5, "concurrently-in-transaction", "error", null]],
  },
  {
    file: "11_django_remove_index.sql",
    options: {},
    about: "RemoveIndex: DROP INDEX takes AccessExclusiveLock on the table (known from the schema)",
    expect: [
      [5, "drop-index-not-concurrently", "error", "AccessExclusiveLock"],
      [5, "missing-lock-timeout", "warning", "AccessExclusiveLock"],
      [5, "missing-statement-timeout", "warning", "AccessExclusiveLock"],
    ],
  },
  {
    file: "12_django_remove_index_concurrently.sql",
    options: {},
    about: "RemoveIndexConcurrently: safe",
    expect: [],
  },
  {
    file: "13_django_add_check_constraint.sql",
    options: {},
    about: "AddConstraint(CheckConstraint) without NOT VALID",
    expect: [
      [5, "check-without-not-valid", "error", "AccessExclusiveLock"],
      [5, "missing-lock-timeout", "warning", "AccessExclusiveLock"],
      [5, "missing-statement-timeout", "warning", "AccessExclusiveLock"],
    ],
  },
  {
    file: "14_django_add_unique_constraint.sql",
    options: {},
    about: "AddConstraint(UniqueConstraint): builds the index under AccessExclusiveLock",
    expect: [
      [5, "unique-without-index", "error", "AccessExclusiveLock"],
      [5, "missing-lock-timeout", "warning", "AccessExclusiveLock"],
      [5, "missing-statement-timeout", "warning", "AccessExclusiveLock"],
    ],
  },
  {
    file: "15_django_unique_together.sql",
    options: {},
    about: "AlterUniqueTogether: same as a UniqueConstraint",
    expect: [
      [5, "unique-without-index", "error", "AccessExclusiveLock"],
      [5, "missing-lock-timeout", "warning", "AccessExclusiveLock"],
      [5, "missing-statement-timeout", "warning", "AccessExclusiveLock"],
    ],
  },
  {
    file: "16_django_alter_field_widen_varchar.sql",
    options: {},
    about: "max_length 100 → 200: binary-coercible with the schema known",
    expect: [
      [5, "missing-lock-timeout", "warning", "AccessExclusiveLock"],
      [5, "missing-statement-timeout", "warning", "AccessExclusiveLock"],
    ],
  },
  {
    file: "17_django_alter_field_shrink_varchar.sql",
    options: {},
    about: "max_length 100 → 50: rewrite",
    expect: [
      [5, "alter-column-type", "error", "AccessExclusiveLock"],
      [5, "missing-lock-timeout", "warning", "AccessExclusiveLock"],
      [5, "missing-statement-timeout", "warning", "AccessExclusiveLock"],
    ],
  },
  {
    file: "18_django_alter_field_to_text.sql",
    options: {},
    about: "CharField → TextField with Django's USING cast: binary-coercible",
    expect: [
      [5, "missing-lock-timeout", "warning", "AccessExclusiveLock"],
      [5, "missing-statement-timeout", "warning", "AccessExclusiveLock"],
    ],
  },
  {
    file: "19_django_alter_field_int_to_bigint.sql",
    options: {},
    about: "IntegerField → BigIntegerField: rewrite",
    expect: [
      [5, "alter-column-type", "error", "AccessExclusiveLock"],
      [5, "missing-lock-timeout", "warning", "AccessExclusiveLock"],
      [5, "missing-statement-timeout", "warning", "AccessExclusiveLock"],
    ],
  },
  {
    file: "20_django_alter_field_widen_decimal.sql",
    options: {},
    about: "DecimalField max_digits 8 → 12: binary-coercible",
    expect: [
      [5, "missing-lock-timeout", "warning", "AccessExclusiveLock"],
      [5, "missing-statement-timeout", "warning", "AccessExclusiveLock"],
    ],
  },
  {
    file: "21_django_alter_field_not_null.sql",
    options: {},
    about: "null=True → False with a default: SET DEFAULT, UPDATE, SET NOT NULL, DROP DEFAULT in one transaction",
    expect: [
      [5, "missing-lock-timeout", "warning", "AccessExclusiveLock"],
      [5, "missing-statement-timeout", "warning", "AccessExclusiveLock"],
      [6, "statements-after-strong-lock", "error", "AccessExclusiveLock"],
      [6, "backfill-in-migration", "warning", "RowExclusiveLock"],
      [7, "set-not-null", "error", "AccessExclusiveLock"],
    ],
  },
  {
    file: "22_django_not_null_check_backed.sql",
    options: {},
    about: "SET NOT NULL with a validated CHECK (note IS NOT NULL) in the schema: no scan on PG12+",
    expect: [
      [5, "missing-lock-timeout", "warning", "AccessExclusiveLock"],
      [5, "missing-statement-timeout", "warning", "AccessExclusiveLock"],
    ],
  },
  {
    file: "23_django_remove_field.sql",
    options: {},
    about: "RemoveField",
    expect: [
      [5, "drop-column", "error", "AccessExclusiveLock"],
      [5, "missing-lock-timeout", "warning", "AccessExclusiveLock"],
      [5, "missing-statement-timeout", "warning", "AccessExclusiveLock"],
    ],
  },
  {
    file: "24_django_rename_field.sql",
    options: {},
    about: "RenameField",
    expect: [
      [5, "rename-column", "error", "AccessExclusiveLock"],
      [5, "missing-lock-timeout", "warning", "AccessExclusiveLock"],
      [5, "missing-statement-timeout", "warning", "AccessExclusiveLock"],
    ],
  },
  {
    file: "25_django_rename_model.sql",
    options: {},
    about: "RenameModel",
    expect: [
      [5, "rename-table", "error", "AccessExclusiveLock"],
      [5, "missing-lock-timeout", "warning", "AccessExclusiveLock"],
      [5, "missing-statement-timeout", "warning", "AccessExclusiveLock"],
    ],
  },
  {
    file: "26_django_delete_model.sql",
    options: {},
    about: "DeleteModel",
    expect: [
      [5, "drop-table", "error", "AccessExclusiveLock"],
      [5, "missing-lock-timeout", "warning", "AccessExclusiveLock"],
      [5, "missing-statement-timeout", "warning", "AccessExclusiveLock"],
    ],
  },
  {
    file: "27_django_drop_not_null.sql",
    options: {},
    about: "null=False → True: the expand step, a warning",
    expect: [
      [5, "drop-not-null", "warning", "AccessExclusiveLock"],
      [5, "missing-lock-timeout", "warning", "AccessExclusiveLock"],
      [5, "missing-statement-timeout", "warning", "AccessExclusiveLock"],
    ],
  },
  {
    file: "28_django_run_python.sql",
    options: {},
    about: "RunPython as sqlmigrate prints it",
    expect: [[3, "run-python", "info", null]],
  },
  {
    file: "29_django_run_sql_backfill.sql",
    options: {},
    about: "RunSQL backfill in one UPDATE",
    expect: [[5, "backfill-in-migration", "warning", "RowExclusiveLock"]],
  },
  {
    file: "30_django_run_sql_fk_not_valid.sql",
    options: {},
    about: "RunSQL: FK NOT VALID with SET LOCAL timeouts, column already indexed: safe",
    expect: [],
  },
  {
    file: "31_django_run_sql_validate.sql",
    options: {},
    about: "RunSQL: VALIDATE in its own non-atomic migration: safe",
    expect: [],
  },
  {
    file: "32_validate_same_transaction.sql",
    options: {},
    about: "CHECK NOT VALID and VALIDATE in one transaction",
    expect: [
      [2, "missing-lock-timeout", "warning", "AccessExclusiveLock"],
      [2, "missing-statement-timeout", "warning", "AccessExclusiveLock"],
      [3, "validate-in-same-transaction", "error", "AccessExclusiveLock"],
      [3, "statements-after-strong-lock", "error", "AccessExclusiveLock"],
    ],
  },
  {
    file: "33_fk_validate_same_transaction.sql",
    options: {},
    about: "FK NOT VALID, CIC and VALIDATE in one transaction",
    expect: [
      [5, "concurrently-in-transaction", "error", null],
      [6, "validate-in-same-transaction", "error", "ShareRowExclusiveLock"],
    ],
  },
  {
    file: "34_create_table_and_index.sql",
    options: {},
    about: "everything on a table created in the same file is safe",
    expect: [],
  },
  {
    file: "35_reindex.sql",
    options: {},
    about: "REINDEX without CONCURRENTLY",
    expect: [
      [1, "reindex-not-concurrently", "error", "AccessExclusiveLock"],
      [1, "missing-lock-timeout", "warning", "AccessExclusiveLock"],
      [1, "missing-statement-timeout", "warning", "AccessExclusiveLock"],
    ],
  },
  {
    file: "36_reindex_concurrently.sql",
    options: {},
    about: "REINDEX CONCURRENTLY outside a transaction: safe on PG12+",
    expect: [],
  },
  {
    file: "37_unique_using_index.sql",
    options: {},
    about: "the safe unique constraint: CREATE UNIQUE INDEX CONCURRENTLY, then USING INDEX",
    expect: [],
  },
  {
    file: "38_add_primary_key.sql",
    options: {},
    about: "ADD PRIMARY KEY without USING INDEX",
    expect: [
      [1, "primary-key-without-index", "error", "AccessExclusiveLock"],
      [1, "missing-lock-timeout", "warning", "AccessExclusiveLock"],
      [1, "missing-statement-timeout", "warning", "AccessExclusiveLock"],
    ],
  },
  {
    file: "39_add_column_serial.sql",
    options: {},
    about: "ADD COLUMN bigserial: rewrite",
    expect: [
      [1, "add-column-generated", "error", "AccessExclusiveLock"],
      [1, "missing-lock-timeout", "warning", "AccessExclusiveLock"],
      [1, "missing-statement-timeout", "warning", "AccessExclusiveLock"],
    ],
  },
  {
    file: "40_add_column_generated.sql",
    options: {},
    about: "ADD COLUMN GENERATED … STORED: rewrite",
    expect: [
      [1, "add-column-generated", "error", "AccessExclusiveLock"],
      [1, "missing-lock-timeout", "warning", "AccessExclusiveLock"],
      [1, "missing-statement-timeout", "warning", "AccessExclusiveLock"],
    ],
  },
  {
    file: "41_add_column_volatile_default.sql",
    options: {},
    about: "ADD COLUMN DEFAULT clock_timestamp(): rewrite",
    expect: [
      [1, "add-column-default-rewrite", "error", "AccessExclusiveLock"],
      [1, "missing-lock-timeout", "warning", "AccessExclusiveLock"],
      [1, "missing-statement-timeout", "warning", "AccessExclusiveLock"],
    ],
  },
  {
    file: "42_add_column_default_old_pg.sql",
    options: {},
    about: "ADD COLUMN DEFAULT false: catalog-only on PG11+",
    expect: [
      [1, "missing-lock-timeout", "warning", "AccessExclusiveLock"],
      [1, "missing-statement-timeout", "warning", "AccessExclusiveLock"],
    ],
  },
  {
    file: "43_add_column_not_null_no_default.sql",
    options: {},
    about: "ADD COLUMN NOT NULL without a default",
    expect: [
      [1, "not-null-without-default", "error", "AccessExclusiveLock"],
      [1, "missing-lock-timeout", "warning", "AccessExclusiveLock"],
      [1, "missing-statement-timeout", "warning", "AccessExclusiveLock"],
    ],
  },
  {
    file: "44_vacuum_full_cluster.sql",
    options: {},
    about: "VACUUM FULL and CLUSTER",
    expect: [
      [1, "vacuum-full", "error", "AccessExclusiveLock"],
      [1, "missing-lock-timeout", "warning", "AccessExclusiveLock"],
      [1, "missing-statement-timeout", "warning", "AccessExclusiveLock"],
      [2, "cluster", "error", "AccessExclusiveLock"],
    ],
  },
  {
    file: "45_truncate_cascade.sql",
    options: {},
    about: "TRUNCATE … CASCADE",
    expect: [
      [1, "truncate-cascade", "error", "AccessExclusiveLock"],
      [1, "missing-lock-timeout", "warning", "AccessExclusiveLock"],
      [1, "missing-statement-timeout", "warning", "AccessExclusiveLock"],
    ],
  },
  {
    file: "46_detach_partition.sql",
    options: {},
    about: "DETACH PARTITION without CONCURRENTLY",
    expect: [
      [1, "detach-partition-not-concurrently", "error", "AccessExclusiveLock"],
      [1, "missing-lock-timeout", "warning", "AccessExclusiveLock"],
      [1, "missing-statement-timeout", "warning", "AccessExclusiveLock"],
    ],
  },
  {
    file: "47_detach_partition_concurrently.sql",
    options: {},
    about: "DETACH PARTITION CONCURRENTLY, non-atomic: safe on PG14+",
    expect: [],
  },
  {
    file: "48_enum_rename_value.sql",
    options: {},
    about: "ALTER TYPE … RENAME VALUE",
    expect: [[2, "rename-enum-value", "error", null]],
  },
  {
    file: "49_enum_add_value.sql",
    options: {},
    about: "ALTER TYPE … ADD VALUE in a transaction: fine on PG12+",
    expect: [],
  },
  {
    file: "50_hygiene_new_table.sql",
    options: {},
    about: "hygiene on a new table: serial key, json, timestamp, char(n)",
    expect: [
      [1, "int-primary-key", "info", null],
      [1, "json-column", "info", null],
      [1, "timestamp-without-time-zone", "info", null],
      [1, "char-column", "info", null],
    ],
  },
  {
    file: "51_long_identifier.sql",
    options: {},
    about: "an index name over 63 bytes",
    expect: [[1, "identifier-too-long", "warning", null]],
  },
  {
    file: "52_exclusion_constraint.sql",
    options: {},
    about: "exclusion constraint on an existing table",
    expect: [[3, "exclusion-constraint", "error", "AccessExclusiveLock"]],
  },
  {
    file: "53_fk_without_index.sql",
    options: {},
    about: "FK NOT VALID on a column no index covers",
    expect: [[3, "foreign-key-without-index", "warning", null]],
  },
  {
    file: "54_work_after_exclusive_lock.sql",
    options: {},
    about: "an index build on another table while an AccessExclusiveLock is held",
    expect: [
      [2, "missing-lock-timeout", "warning", "AccessExclusiveLock"],
      [2, "missing-statement-timeout", "warning", "AccessExclusiveLock"],
      [4, "statements-after-strong-lock", "error", "AccessExclusiveLock"],
      [4, "create-index-not-concurrently", "error", "ShareLock"],
    ],
  },
  {
    file: "55_timeouts_set.sql",
    options: {},
    about: "timeouts set first: nothing to say",
    expect: [],
  },
  {
    file: "56_set_local_timeouts.sql",
    options: {},
    about: "SET LOCAL ends at COMMIT: the statement after it has no timeouts",
    expect: [
      [6, "missing-lock-timeout", "warning", "AccessExclusiveLock"],
      [6, "missing-statement-timeout", "warning", "AccessExclusiveLock"],
    ],
  },
  {
    file: "57_syntax_error.sql",
    options: {},
    about: "not valid SQL",
    expect: [[2, "syntax-error", "error", null]],
  },
  {
    file: "58_drop_database.sql",
    options: {},
    about: "DROP DATABASE",
    expect: [[1, "drop-database", "error", null]],
  },
  {
    file: "59_refresh_matview.sql",
    options: {},
    about: "REFRESH MATERIALIZED VIEW without and with CONCURRENTLY",
    expect: [
      [1, "refresh-matview-not-concurrently", "warning", "AccessExclusiveLock"],
      [1, "missing-lock-timeout", "warning", "AccessExclusiveLock"],
      [1, "missing-statement-timeout", "warning", "AccessExclusiveLock"],
    ],
  },
  {
    file: "60_not_null_check_pattern.sql",
    options: {},
    about: "the safe SET NOT NULL: validate the CHECK, SET NOT NULL, drop the CHECK",
    expect: [],
  },
  {
    file: "61_domain_add_constraint.sql",
    options: {},
    about: "ALTER DOMAIN … ADD CONSTRAINT: every table with a column of the domain is scanned under ShareLock",
    expect: [
      [1, "domain-add-constraint", "error", "ShareLock"],
      [1, "missing-lock-timeout", "warning", "ShareLock"],
      [1, "missing-statement-timeout", "warning", "ShareLock"],
    ],
  },
  {
    file: "62_domain_set_not_null.sql",
    options: {},
    about: "ALTER DOMAIN … SET NOT NULL: every table with a column of the domain is scanned under ShareLock",
    expect: [
      [1, "domain-set-not-null", "error", "ShareLock"],
      [1, "missing-lock-timeout", "warning", "ShareLock"],
      [1, "missing-statement-timeout", "warning", "ShareLock"],
    ],
  },
  {
    file: "63_domain_validate_constraint.sql",
    options: {},
    about:
      "a domain's CHECK NOT VALID is instant, but its VALIDATE scans under ShareLock (a table's takes ShareUpdateExclusiveLock)",
    expect: [
      [2, "domain-validate-constraint", "error", "ShareLock"],
      [2, "missing-lock-timeout", "warning", "ShareLock"],
      [2, "missing-statement-timeout", "warning", "ShareLock"],
    ],
  },
  {
    file: "64_primary_key_using_index_nullable.sql",
    options: {},
    about:
      "ADD PRIMARY KEY USING INDEX on a nullable column: NOT NULL is checked on every row under AccessExclusiveLock",
    expect: [[4, "primary-key-using-index-nullable", "error", "AccessExclusiveLock"]],
  },
  {
    file: "65_primary_key_using_index_check_backed.sql",
    options: {},
    about: "the safe primary key: a validated CHECK (code IS NOT NULL) first, so USING INDEX skips the scan",
    expect: [],
  },
  {
    file: "66_django_add_column_check.sql",
    options: {},
    about: "AddField PositiveIntegerField: ADD COLUMN … CHECK checks every row under AccessExclusiveLock",
    expect: [
      [5, "add-column-check", "error", "AccessExclusiveLock"],
      [5, "missing-lock-timeout", "warning", "AccessExclusiveLock"],
      [5, "missing-statement-timeout", "warning", "AccessExclusiveLock"],
    ],
  },
  {
    file: "67_select_after_exclusive_lock.sql",
    options: {},
    about: "a plain SELECT count(*) reads the whole table while the transaction's AccessExclusiveLock is held",
    expect: [
      [2, "missing-lock-timeout", "warning", "AccessExclusiveLock"],
      [2, "missing-statement-timeout", "warning", "AccessExclusiveLock"],
      [3, "statements-after-strong-lock", "error", "AccessExclusiveLock"],
    ],
  },
  {
    file: "68_truncate.sql",
    options: {},
    about: "plain TRUNCATE: the running release's data is gone",
    expect: [
      [1, "truncate", "error", "AccessExclusiveLock"],
      [1, "missing-lock-timeout", "warning", "AccessExclusiveLock"],
      [1, "missing-statement-timeout", "warning", "AccessExclusiveLock"],
    ],
  },
  {
    file: "69_lock_table.sql",
    options: {},
    about: "LOCK TABLE: AccessExclusiveLock until COMMIT",
    expect: [
      [2, "lock-table", "error", "AccessExclusiveLock"],
      [2, "missing-lock-timeout", "warning", "AccessExclusiveLock"],
      [2, "missing-statement-timeout", "warning", "AccessExclusiveLock"],
    ],
  },
  {
    file: "70_add_column_fk_with_default.sql",
    options: {},
    about: "inline REFERENCES with a DEFAULT: every row's default is checked under AccessExclusiveLock",
    expect: [
      [2, "foreign-key-without-not-valid", "error", "AccessExclusiveLock"],
      [2, "missing-lock-timeout", "warning", "AccessExclusiveLock"],
      [2, "missing-statement-timeout", "warning", "AccessExclusiveLock"],
      [2, "foreign-key-without-index", "warning", null],
    ],
  },
  {
    file: "71_vacuum_full_false.sql",
    options: {},
    about: "VACUUM (FULL FALSE): a plain VACUUM, ShareUpdateExclusiveLock and no rewrite",
    expect: [],
  },
  {
    file: "72_django_no_operations.sql",
    options: {},
    about:
      "sqlmigrate of a migration with no operations (django.contrib.auth 0006) prints nothing: an empty file, no findings",
    expect: [],
  },
  {
    file: "09_django_add_index_concurrently.sql",
    options: { pgVersion: "14.2" },
    about: "the same CIC on PostgreSQL 14.2",
    expect: [[4, "concurrently-pg14-bug", "error", null]],
  },
  {
    file: "16_django_alter_field_widen_varchar.sql",
    options: { schema: false },
    about: "without the schema the current type is unknown: assumed a rewrite",
    expect: [
      [5, "alter-column-type", "error", "AccessExclusiveLock"],
      [5, "missing-lock-timeout", "warning", "AccessExclusiveLock"],
      [5, "missing-statement-timeout", "warning", "AccessExclusiveLock"],
    ],
  },
  {
    file: "18_django_alter_field_to_text.sql",
    options: { schema: false },
    about: "without the schema the current type is unknown: assumed a rewrite",
    expect: [
      [5, "alter-column-type", "error", "AccessExclusiveLock"],
      [5, "missing-lock-timeout", "warning", "AccessExclusiveLock"],
      [5, "missing-statement-timeout", "warning", "AccessExclusiveLock"],
    ],
  },
  {
    file: "19_django_alter_field_int_to_bigint.sql",
    options: { schema: false },
    about: "without the schema the current type is unknown: assumed a rewrite",
    expect: [
      [5, "alter-column-type", "error", "AccessExclusiveLock"],
      [5, "missing-lock-timeout", "warning", "AccessExclusiveLock"],
      [5, "missing-statement-timeout", "warning", "AccessExclusiveLock"],
    ],
  },
  {
    file: "20_django_alter_field_widen_decimal.sql",
    options: { schema: false },
    about: "without the schema the current type is unknown: assumed a rewrite",
    expect: [
      [5, "alter-column-type", "error", "AccessExclusiveLock"],
      [5, "missing-lock-timeout", "warning", "AccessExclusiveLock"],
      [5, "missing-statement-timeout", "warning", "AccessExclusiveLock"],
    ],
  },
  {
    file: "22_django_not_null_check_backed.sql",
    options: { pgVersion: "11" },
    about: "on PostgreSQL 11 the CHECK does not spare the scan",
    expect: [
      [5, "set-not-null", "error", "AccessExclusiveLock"],
      [5, "missing-lock-timeout", "warning", "AccessExclusiveLock"],
      [5, "missing-statement-timeout", "warning", "AccessExclusiveLock"],
    ],
  },
  {
    file: "36_reindex_concurrently.sql",
    options: { pgVersion: "11" },
    about: "REINDEX CONCURRENTLY does not exist before 12",
    expect: [[2, "needs-newer-postgres", "error", null]],
  },
  {
    file: "42_add_column_default_old_pg.sql",
    options: { pgVersion: "10" },
    about: "on PostgreSQL 10 any DEFAULT rewrites",
    expect: [
      [1, "add-column-default-rewrite", "error", "AccessExclusiveLock"],
      [1, "missing-lock-timeout", "warning", "AccessExclusiveLock"],
      [1, "missing-statement-timeout", "warning", "AccessExclusiveLock"],
    ],
  },
  {
    file: "47_detach_partition_concurrently.sql",
    options: { pgVersion: "13" },
    about: "DETACH CONCURRENTLY does not exist before 14",
    expect: [[1, "needs-newer-postgres", "error", null]],
  },
  {
    file: "49_enum_add_value.sql",
    options: { pgVersion: "11" },
    about: "ADD VALUE cannot run in a transaction before 12",
    expect: [[2, "enum-add-value-in-transaction", "error", null]],
  },
  {
    file: "60_not_null_check_pattern.sql",
    options: { pgVersion: "11" },
    about: "on PostgreSQL 11 SET NOT NULL scans even with the CHECK",
    expect: [[7, "set-not-null", "error", "AccessExclusiveLock"]],
  },
  {
    file: "11_django_remove_index.sql",
    options: { schema: false },
    about: "without the schema the index's table is unknown",
    expect: [
      [5, "drop-index-not-concurrently", "error", "AccessExclusiveLock"],
      [5, "missing-lock-timeout", "warning", "AccessExclusiveLock"],
      [5, "missing-statement-timeout", "warning", "AccessExclusiveLock"],
    ],
  },
  {
    file: "64_primary_key_using_index_nullable.sql",
    options: { schema: false },
    about: "without the schema the key columns' nullability is unknown: assumed a scan",
    expect: [[4, "primary-key-using-index-nullable", "error", "AccessExclusiveLock"]],
  },
  {
    file: "61_domain_add_constraint.sql",
    options: { schema: false },
    about: "without the schema the domain's tables are unknown: still a scan of each, under ShareLock",
    expect: [
      [1, "domain-add-constraint", "error", "ShareLock"],
      [1, "missing-lock-timeout", "warning", "ShareLock"],
      [1, "missing-statement-timeout", "warning", "ShareLock"],
    ],
  },
  {
    file: "65_primary_key_using_index_check_backed.sql",
    options: { pgVersion: "11" },
    about: "on PostgreSQL 11 the primary key scans even with the validated CHECK",
    expect: [[7, "primary-key-using-index-nullable", "error", "AccessExclusiveLock"]],
  },
]
