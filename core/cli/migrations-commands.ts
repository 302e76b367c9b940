/** The CLI's `migrations check|trace FILE|DIR...`: reads the SQL files, then runs the pure commands. */
import { guarded } from "../commands/error-outcome.js"
import { migrationsCheck } from "../commands/migrations-check.js"
import { migrationsTrace } from "../commands/migrations-trace.js"
import { type Outcome, failure } from "../commands/outcome.js"
import { debugRequested } from "../errors/describe.js"
import { readSchemaFile, readSqlArguments } from "./sql-inputs.js"

export interface MigrationsCliOptions {
  paths: readonly string[]
  schema?: string
  database?: string
  pgVersion?: string
  format: "text" | "json"
  inPlace?: boolean
}

export async function migrationsCommand(sub: string, options: MigrationsCliOptions): Promise<Outcome> {
  if (sub !== "check" && sub !== "trace")
    return failure(
      "usage",
      `unknown command "migrations ${sub}"; use migrations check, migrations trace or migrations rehearse`,
    )
  if (options.paths.length === 0)
    return failure("usage", `migrations ${sub} needs FILE|DIR arguments: the SQL that manage.py sqlmigrate prints`)
  const { format } = options
  return guarded(debugRequested(), async () => {
    const files = await readSqlArguments(options.paths)
    if (sub === "trace") {
      if (!options.database)
        return failure("usage", "migrations trace needs --database URL (a server it may create a scratch copy on)")
      return await migrationsTrace(files, {
        database: options.database,
        format,
        ...(options.inPlace ? { inPlace: true } : {}),
      })
    }
    if (options.schema && options.database) return failure("usage", "pass --schema FILE or --database URL, not both")
    const schema = options.schema ? { path: options.schema, content: await readSchemaFile(options.schema) } : undefined
    return await migrationsCheck(files, {
      format,
      ...(schema ? { schema } : {}),
      ...(options.database ? { database: options.database } : {}),
      ...(options.pgVersion ? { pgVersion: options.pgVersion } : {}),
    })
  })
}
