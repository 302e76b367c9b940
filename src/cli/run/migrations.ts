/** `migrations check|trace FILE|DIR...`: the paths after the two words go to migrationsCommand (the WASM parser loads here). */
import { type Command, UsageError } from "../command.js"
import { migrationsCommand } from "../migrations-commands.js"

export const migrations: Command = async ({ positionals, values }) => {
  const result = await migrationsCommand(positionals[1]!, { paths: positionals.slice(2), schema: values.schema, database: values.database, pgVersion: values["pg-version"], format: values.format, inPlace: values["in-place"] })
  if (typeof result === "string") throw new UsageError(result)
  return result
}
