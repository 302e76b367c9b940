/** Rules #10–#15 and #18: adding, changing and dropping columns of an existing table. */
import type { AlterTableCmd, ColumnDef } from "libpg-query"
import { displayName, pick } from "../ast.js"
import { formatType } from "../column-type.js"
import { addColumnRewrite, alterTypeRewrite, columnConstraints, hasNotNullCheck } from "../operation.js"
import { type Rule, type RuleContext, existingTableCommands } from "./context.js"
import { typeHygiene } from "./hygiene.js"

export const columnRules: Rule = (ctx) => {
  const alter = existingTableCommands(ctx)
  if (!alter) return
  const { table } = alter
  for (const cmd of alter.cmds) {
    const column = cmd.name ?? ""
    switch (cmd.subtype) {
      case "AT_AddColumn": {
        const def = pick(cmd.def, "ColumnDef")
        if (def) addColumn(ctx, table, def)
        break
      }
      case "AT_SetNotNull":
        setNotNull(ctx, table, column)
        break
      case "AT_ColumnDefault":
        if (!cmd.def) dropDefault(ctx, table, column)
        break
      case "AT_AlterColumnType":
        alterType(ctx, table, cmd)
        break
      case "AT_DropColumn":
        if (ctx.addedColumns.has(`${table}.${column}`)) break
        ctx.report("drop-column", {
          relation: table,
          lock: "AccessExclusiveLock",
          why: `The running release still selects ${column} (Django reads every column of a model), so it fails as soon as ${displayName(table)}.${column} is gone`,
          fix: "Remove the field from the model first (SeparateDatabaseAndState, state only), deploy, then drop the column in a later post-deploy migration",
        })
        break
      case "AT_DropNotNull":
        ctx.report("drop-not-null", {
          relation: table,
          lock: "AccessExclusiveLock",
          why: `Instant, and the running release never writes NULL into ${column}; but once the new release does, every reader of ${displayName(table)}.${column} must handle NULL`,
          fix: "Expected when a field becomes optional (the expand step): check that the code still running tolerates NULL in this column",
        })
        break
    }
  }
}

function addColumn(ctx: RuleContext, table: string, def: ColumnDef): void {
  const name = displayName(table)
  const column = def.colname ?? ""
  const constraints = columnConstraints(def)
  const rewrite = addColumnRewrite(def, ctx.version, ctx.schema)
  if (rewrite?.cause === "volatile" || rewrite?.cause === "pre-11") {
    ctx.report("add-column-default-rewrite", {
      relation: table,
      lock: "AccessExclusiveLock",
      rewrites: true,
      why:
        rewrite.cause === "volatile"
          ? `The default ${rewrite.culprits.join(", ")} is volatile (or not known to be stable), so PostgreSQL computes it for every row and rewrites ${name} under an AccessExclusiveLock (clock_timestamp(): 4.1 s, gen_random_uuid(): 9.5 s per 1M rows)`
          : `PostgreSQL ${ctx.version.major} rewrites the whole of ${name} under an AccessExclusiveLock to add a column with a DEFAULT (11+ only writes the catalog)`,
      fix: "Add the column nullable without a default, SET DEFAULT for new rows, backfill existing rows in batches, then make it NOT NULL through a validated CHECK",
    })
  } else if (rewrite) {
    const what =
      rewrite.cause === "serial" ? "a serial" : rewrite.cause === "identity" ? "an identity" : "a GENERATED … STORED"
    ctx.report("add-column-generated", {
      relation: table,
      lock: "AccessExclusiveLock",
      rewrites: true,
      why: `Adding ${what} column computes a value for every existing row: PostgreSQL rewrites ${name} under an AccessExclusiveLock (3.2–3.8 s per 1M rows)`,
      fix: "Create a new table and copy into it, or add a nullable column, fill new rows with a default or trigger and backfill old rows in batches",
    })
  }
  const notNull =
    def.is_not_null === true ||
    constraints.some((c) => c.contype === "CONSTR_NOTNULL" || c.contype === "CONSTR_PRIMARY")
  const hasDefault =
    constraints.some(
      (c) => c.contype === "CONSTR_DEFAULT" || c.contype === "CONSTR_IDENTITY" || c.contype === "CONSTR_GENERATED",
    ) ||
    def.raw_default !== undefined ||
    rewrite?.cause === "serial"
  if (notNull && !hasDefault) {
    ctx.report("not-null-without-default", {
      relation: table,
      lock: "AccessExclusiveLock",
      why: `${column} is NOT NULL with no default: the statement fails if ${name} has rows, and the running release's INSERTs (which do not set ${column}) fail`,
      fix: "Give it a database default (Django 5: db_default=…), or add it nullable and make it NOT NULL once every running release writes it",
    })
  }
  typeHygiene(ctx, table, column, def.typeName)
}

function setNotNull(ctx: RuleContext, table: string, column: string): void {
  const info = ctx.schema.tables.get(table)?.columns.get(column)
  if (info?.notNull) return
  if (ctx.version.major >= 12 && hasNotNullCheck(ctx.schema, table, column)) return
  ctx.report("set-not-null", {
    relation: table,
    lock: "AccessExclusiveLock",
    why: `SET NOT NULL scans every row of ${displayName(table)} while holding an AccessExclusiveLock: reads and writes wait (325–411 ms per 1M rows)`,
    fix:
      ctx.version.major >= 12
        ? `ADD CONSTRAINT … CHECK (${column} IS NOT NULL) NOT VALID; VALIDATE CONSTRAINT in a later migration; then SET NOT NULL (1–2 ms: PostgreSQL 12+ uses the validated CHECK) and drop the CHECK`
        : `PostgreSQL ${ctx.version.major} cannot skip the scan (12+ can, with a validated CHECK): keep the column nullable behind a validated CHECK (${column} IS NOT NULL), or do it in a maintenance window`,
  })
}

/** Django's AddField with a default: ADD COLUMN … DEFAULT x NOT NULL, then DROP DEFAULT. */
function dropDefault(ctx: RuleContext, table: string, column: string): void {
  const info = ctx.schema.tables.get(table)?.columns.get(column)
  if (!info?.notNull || !ctx.addedColumns.has(`${table}.${column}`)) return
  ctx.report("not-null-without-default", {
    relation: table,
    lock: "AccessExclusiveLock",
    why: `${column} was just added NOT NULL and its default is dropped here: the running release's INSERTs do not set ${column} and fail with a not-null violation`,
    fix: "Keep the database default: Django 5 db_default=… (no DROP DEFAULT), or add the column nullable and make it NOT NULL after the release that writes it is live",
  })
}

function alterType(ctx: RuleContext, table: string, cmd: AlterTableCmd): void {
  const column = cmd.name ?? ""
  const def = pick(cmd.def, "ColumnDef")
  const { rewrites, from, to } = alterTypeRewrite(table, column, def, ctx.schema)
  if (def) typeHygiene(ctx, table, column, def.typeName)
  if (rewrites === false) return
  const name = displayName(table)
  ctx.report("alter-column-type", {
    relation: table,
    lock: "AccessExclusiveLock",
    rewrites: true,
    why:
      rewrites === undefined
        ? `Changing ${column} to ${formatType(to)} takes an AccessExclusiveLock on ${name} and rewrites it unless the change is binary-coercible; the current type is unknown (pass --schema or --database to tell a varchar widening from a rewrite)`
        : `Changing ${column} from ${formatType(from!)} to ${formatType(to)} rewrites ${name} and rebuilds its indexes under an AccessExclusiveLock: reads and writes wait (integer → bigint: 2.6 s per 1M rows)`,
    fix: "Change it in a binary-coercible way (a longer varchar, varchar → text, more numeric precision); otherwise add a new column, write both, backfill in batches, switch reads, then drop the old column",
  })
}
