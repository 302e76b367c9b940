/** Rules #5, #6, #8, #9 and exclusion constraints: adding constraints without a long lock on an existing table. */
import type { Constraint } from "libpg-query"
import { displayName, pick, relationKey } from "../ast.js"
import { columnConstraints } from "../operation.js"
import { type Rule, type RuleContext, existingTableCommands } from "./context.js"

export const constraintRules: Rule = (ctx) => {
  const alter = existingTableCommands(ctx)
  if (!alter) return
  const { table } = alter
  for (const cmd of alter.cmds) {
    if (cmd.subtype === "AT_AddConstraint") {
      const con = pick(cmd.def, "Constraint")
      if (con) addConstraint(ctx, table, con, false)
    }
    if (cmd.subtype === "AT_AddColumn") {
      for (const con of columnConstraints(pick(cmd.def, "ColumnDef"))) addConstraint(ctx, table, con, true)
    }
  }
}

function addConstraint(ctx: RuleContext, table: string, con: Constraint, inline: boolean): void {
  const name = displayName(table)
  switch (con.contype) {
    case "CONSTR_CHECK":
      if (con.skip_validation || inline) return
      ctx.report("check-without-not-valid", {
        relation: table,
        lock: "AccessExclusiveLock",
        why: `Adding ${con.conname ? `CHECK ${con.conname}` : "a CHECK"} checks every row of ${name} while holding an AccessExclusiveLock: reads and writes wait (198 ms per 1M rows; 2 ms with NOT VALID)`,
        fix: "ADD CONSTRAINT … NOT VALID, then VALIDATE CONSTRAINT in a later migration (it takes ShareUpdateExclusiveLock, which blocks neither reads nor writes)",
      })
      return
    case "CONSTR_FOREIGN": {
      if (con.skip_validation) return
      const target = con.pktable ? displayName(relationKey(con.pktable)) : "the referenced table"
      ctx.report("foreign-key-without-not-valid", inline
        ? {
            relation: table,
            lock: "AccessExclusiveLock",
            why: `ADD COLUMN … REFERENCES ${target} checks every row of ${name} under the ADD COLUMN's AccessExclusiveLock, and takes ShareRowExclusiveLock on ${target}: reads and writes wait`,
            fix: `Add the column without REFERENCES, then ADD CONSTRAINT … FOREIGN KEY … NOT VALID (Django's DEFERRABLE INITIALLY DEFERRED can stay) and VALIDATE CONSTRAINT in a later migration`,
          }
        : {
            relation: table,
            lock: "ShareRowExclusiveLock",
            why: `Adding a foreign key checks every row of ${name} while holding ShareRowExclusiveLock on ${name} and ${target}: writes to both wait (272 ms per 1M rows; 3 ms with NOT VALID)`,
            fix: "ADD CONSTRAINT … FOREIGN KEY … NOT VALID (Django's DEFERRABLE INITIALLY DEFERRED can stay), then VALIDATE CONSTRAINT in a later migration",
          })
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
      if (con.indexname) return
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
