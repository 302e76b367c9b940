/** `migrations check|trace FILE|DIR...`: the paths after the two words go to migrationsCommand (the WASM parser loads here). */
import type { Command } from "../command.js"
import { migrationsCommand } from "../migrations-commands.js"

export const migrations: Command = ({ positionals, values, json }) =>
  migrationsCommand(positionals[1]!, {
    paths: positionals.slice(2),
    schema: values.schema,
    database: values.database,
    pgVersion: values["pg-version"],
    format: json ? "json" : "text",
    inPlace: values["in-place"],
  })
