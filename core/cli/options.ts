/** The CLI's flags, as node:util parseArgs reads them; every command sees the same parsed values. */
import type { parseArgs } from "node:util"

export const OPTIONS = {
  dir: { type: "string" },
  env: { type: "string" },
  image: { type: "string" },
  source: { type: "string" },
  "build-arg": { type: "string", multiple: true },
  version: { type: "string" },
  approve: { type: "string" },
  commit: { type: "string" },
  "lock-wait": { type: "string" },
  to: { type: "string" },
  force: { type: "boolean" },
  reason: { type: "string" },
  json: { type: "boolean" },
  quiet: { type: "boolean", short: "q" },
  schema: { type: "string" },
  database: { type: "string" },
  "pg-version": { type: "string" },
  format: { type: "string" },
  "in-place": { type: "boolean" },
  migrations: { type: "string" },
  "allow-unsafe-migrations": { type: "string" },
  service: { type: "string" },
  replicas: { type: "string" },
  url: { type: "string" },
  users: { type: "string" },
  duration: { type: "string" },
  id: { type: "string" },
  "confirm-restore": { type: "string" },
  help: { type: "boolean", short: "h" },
} as const

export type CliValues = ReturnType<
  typeof parseArgs<{ options: typeof OPTIONS; allowPositionals: true; strict: true }>
>["values"]
