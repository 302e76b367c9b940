/** Rules #5, #6, #8, #9 and exclusion constraints: adding constraints without a long lock on an existing table. */
import type { ColumnDef, Constraint } from "libpg-query"
import { displayName, pick, relationKey } from "../ast.js"
import { columnConstraints, hasDefaultClause, primaryKeyNullableColumns } from "../operation.js"
import { type Rule, type RuleContext, existingTableCommands } from "./context.js"

export const constraintRules: Rule = (ctx) => {
  const alter = existingTableCommands(ctx)
  if (!alter) return
  const { table } = alter
  for (const cmd of alter.cmds) {
    if (cmd.subtype === "AT_AddConstraint") {
      const con = pick(cmd.def, "Constraint")
      if (con) addConstraint(ctx, table, con, undefined)
    }
    const def = pick(cmd.def, "ColumnDef")
    if (cmd.subtype === "AT_AddColumn" && def) {
      for (const con of columnConstraints(def)) addConstraint(ctx, table, con, def)
    }
  }
}

/** `column` is the ADD COLUMN's definition for a constraint written inline on the new column. */
function addConstraint(ctx: RuleContext, table: string, con: Constraint, column: ColumnDef | undefined): void {
  const name = displayName(table)
  const inline = column !== undefined
  switch (con.contype) {
    case "CONSTR_CHECK":
      if (column) {
        ctx.report("add-column-check", {
          relation: table,
          lock: "AccessExclusiveLock",
          why: `ADD COLUMN ${column.colname} … CHECK tests the new column's value (NULL or its default) on every row of ${name} while holding the ADD COLUMN's AccessExclusiveLock: reads and writes wait for the whole scan`,
          fix: `Add the column without the CHECK, then ADD CONSTRAINT … CHECK (…) NOT VALID and VALIDATE CONSTRAINT in a later migration (ShareUpdateExclusiveLock: reads and writes go on)`,
        })
        return
      }
      if (con.skip_validation) return
      ctx.report("check-without-not-valid", {
        relation: table,
        lock: "AccessExclusiveLock",
        why: `Adding ${con.conname ? `CHECK ${con.conname}` : "a CHECK"} checks every row of ${name} while holding an AccessExclusiveLock: reads and writes wait (198 ms per 1M rows; 2 ms with NOT VALID)`,
        fix: "ADD CONSTRAINT … NOT VALID, then VALIDATE CONSTRAINT in a later migration (it takes ShareUpdateExclusiveLock, which blocks neither reads nor writes)",
      })
      return
    case "CONSTR_FOREIGN": {
      // A new column with no DEFAULT clause is all NULL: PostgreSQL marks its foreign key valid without a scan.
      if (con.skip_validation || (column && !hasDefaultClause(column))) return
      const target = con.pktable ? displayName(relationKey(con.pktable)) : "the referenced table"
      ctx.report(
        "foreign-key-without-not-valid",
        inline
          ? {
              relation: table,
              lock: "AccessExclusiveLock",
              why: `ADD COLUMN … DEFAULT … REFERENCES ${target} checks the default of every row of ${name} against ${target} under the ADD COLUMN's AccessExclusiveLock, and takes ShareRowExclusiveLock on ${target}: reads and writes wait (without the DEFAULT the new column is all NULL and nothing is checked)`,
              fix: `Add the column with REFERENCES and no DEFAULT (valid at once, no scan), SET DEFAULT for new rows, backfill old rows in batches; or add it without REFERENCES, then ADD CONSTRAINT … FOREIGN KEY … NOT VALID and VALIDATE CONSTRAINT in a later migration`,
            }
          : {
              relation: table,
              lock: "ShareRowExclusiveLock",
              why: `Adding a foreign key checks every row of ${name} while holding ShareRowExclusiveLock on ${name} and ${target}: writes to both wait (272 ms per 1M rows; 3 ms with NOT VALID)`,
              fix: "ADD CONSTRAINT … FOREIGN KEY … NOT VALID (Django's DEFERRABLE INITIALLY DEFERRED can stay), then VALIDATE CONSTRAINT in a later migration",
            },
      )
      return
    }
    case "CONSTR_UNIQUE":
      if (con.indexname) return
      ctx.report("unique-without-index", {
        relation: table,
        lock: "AccessExclusiveLock",
        why: `${inline ? "ADD COLUMN … UNIQUE" : "ADD CONSTRAINT … UNIQUE"} builds its index while holding an AccessExclusiveLock on ${name}: reads and writes wait (967 ms per 1M rows)`,
        fix: "CREATE UNIQUE INDEX CONCURRENTLY in a non-atomic migration, then ALTER TABLE … ADD CONSTRAINT … UNIQUE USING INDEX (3 ms)",
      })
      return
    case "CONSTR_PRIMARY":
      if (con.indexname) return primaryKeyUsingIndex(ctx, table, con.indexname)
      ctx.report("primary-key-without-index", {
        relation: table,
        lock: "AccessExclusiveLock",
        why: `ADD PRIMARY KEY builds a unique index and checks NOT NULL on ${name} while holding an AccessExclusiveLock: reads and writes wait`,
        fix: "CREATE UNIQUE INDEX CONCURRENTLY, make the columns NOT NULL through a validated CHECK, then ADD CONSTRAINT … PRIMARY KEY USING INDEX (5 ms)",
      })
      return
    case "CONSTR_EXCLUSION":
      ctx.report("exclusion-constraint", {
        relation: table,
        lock: "AccessExclusiveLock",
        why: `An exclusion constraint builds its index under an AccessExclusiveLock on ${name} and cannot be added NOT VALID: reads and writes wait for the whole build`,
        fix: "Add it in a maintenance window, or when the table is created",
      })
      return
  }
}

/** ADD PRIMARY KEY USING INDEX makes the key columns NOT NULL, and checks every row for it unless they already are. */
function primaryKeyUsingIndex(ctx: RuleContext, table: string, index: string): void {
  const nullable = primaryKeyNullableColumns(table, index, ctx.version, ctx.schema)
  if (nullable?.length === 0) return
  const name = displayName(table)
  const columns = nullable ? nullable.join(", ") : `the columns of ${index}`
  ctx.report("primary-key-using-index-nullable", {
    relation: table,
    lock: "AccessExclusiveLock",
    why: `A primary key makes ${columns} NOT NULL: ${nullable ? `${nullable.length > 1 ? "they are" : "it is"} nullable, so` : "unless they already are NOT NULL (the schema does not say; pass --schema or --database),"} PostgreSQL checks every row of ${name} while holding an AccessExclusiveLock: reads and writes wait for the whole scan`,
    fix:
      ctx.version.major >= 12
        ? `First ADD CONSTRAINT … CHECK (${nullable?.[0] ?? "c"} IS NOT NULL) NOT VALID for each key column and VALIDATE CONSTRAINT in a later migration; then ADD PRIMARY KEY USING INDEX only writes the catalog (PostgreSQL 12+ uses the validated CHECK), and the CHECK can be dropped`
        : `PostgreSQL ${ctx.version.major} cannot skip the scan (12+ can, with a validated CHECK): do it in a maintenance window`,
  })
}
