/**
 * The migrations gate's view of the target: the schema of services.postgres.database, read
 * through the deployer's view of Postgres (deployer-services.ts) with POSTGRES_PASSWORD, the way
 * `migrations check --database` reads it. With it the gate tells a binary-coercible widening
 * (varchar(100) → varchar(200)) from a rewrite, and knows each table's size. When it cannot be
 * read the gate says why and analyses without it, as before: a read failure never refuses a
 * deploy on its own, nor lets one through unseen.
 */
import type { EnvironmentConfig } from "../config/schema.js"
import { connect } from "../migrations/pg-client.js"
import { schemaFromDatabase } from "../migrations/schema-db.js"
import type { Schema } from "../migrations/schema.js"
import { deployerView, describeViewSource } from "./deployer-services.js"
import { type EngineDeps, type EngineDepsSource, engineDeps } from "./session.js"

/** The schema and where it was read, or why it was not (the gate then analyses without it). */
export type TargetSchema = { schema: Schema; source: string } | { schema?: undefined; warning: string }

/** What reading needs from the engine: the password, and where this deployer reaches Postgres. */
export type SchemaDeps = Pick<EngineDeps, "secretValues" | "reach">

/** Reads one database's schema at an address; the real one connects with pg. */
export type SchemaReader = (target: {
  host: string
  port: number
  user: string
  database: string
  password?: string
}) => Promise<Schema>

export async function readTargetSchema(
  config: EnvironmentConfig,
  deps: SchemaDeps | (() => Promise<SchemaDeps>),
  read: SchemaReader = readLive,
): Promise<TargetSchema> {
  const { database, user } = config.services.postgres
  let engine: SchemaDeps
  try {
    engine = typeof deps === "function" ? await deps() : deps
  } catch (error) {
    return {
      warning: `the database's schema was not read (${firstLine(error)}), so the gate analysed without it: a widening such as varchar(100) → varchar(200) counts as a rewrite`,
    }
  }
  const view = deployerView(config.services, "postgres", engine.reach)
  const where = `${database} at ${view.host}:${view.port} (${describeViewSource("postgres", view.source)})`
  const password = engine.secretValues.POSTGRES_PASSWORD
  try {
    const schema = await read({ host: view.host, port: view.port, user, database, ...(password ? { password } : {}) })
    return { schema, source: `schema of ${where}` }
  } catch (error) {
    return {
      warning: `the schema of ${where} could not be read (${firstLine(error)}), so the gate analysed without it: a widening such as varchar(100) → varchar(200) counts as a rewrite; check that this deployer reaches that address as ${user} (services.postgres.deployer sets the deployer's own address)`,
    }
  }
}

/** The engine's dependencies made at most once, on first use: the gate may need them before the lock, the session after it. */
export function onceEngineDeps(source: EngineDepsSource): () => Promise<EngineDeps> {
  let made: Promise<EngineDeps> | undefined
  return () => (made ??= engineDeps(source))
}

async function readLive(target: Parameters<SchemaReader>[0]): Promise<Schema> {
  const auth = `${encodeURIComponent(target.user)}${target.password ? `:${encodeURIComponent(target.password)}` : ""}`
  const host = target.host.includes(":") ? `[${target.host}]` : target.host
  const db = await connect(
    `postgres://${auth}@${host}:${target.port}/${encodeURIComponent(target.database)}?connect_timeout=10`,
    "deploy-pipeline-gate",
  )
  try {
    return await schemaFromDatabase(db)
  } finally {
    await db.end()
  }
}

function firstLine(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split("\n")[0]!
}
