/**
 * Postgres readiness: connect and run `SELECT 1`. An open port is not a ready database (it
 * answers "the database system is starting up" for a while), so the probe needs a real query.
 * pg's connectionTimeoutMillis destroys the socket when the connect phase stalls, query_timeout
 * bounds the query, and a hard time limit covers the whole attempt, after which the client is
 * ended without waiting.
 */
import type pg from "pg"
import { describeError } from "../errno.js"
import type { Probe, ProbeResult } from "../result.js"
import { withTimeLimit } from "../time-limit.js"

export interface PostgresProbeOptions {
  host: string
  port: number
  user: string
  database: string
  password?: string
}

/** Postgres error codes that mean "your credentials or database name", not "not ready". */
const AUTH_CODES = new Set(["28P01", "28000", "3D000"])

export function postgresProbe(options: PostgresProbeOptions): Probe {
  const target = `postgres://${options.user}@${options.host}:${options.port}/${options.database}`
  return async ({ timeoutMs }) => {
    // Loaded on first use, before the clock starts.
    const { default: pgModule } = await import("pg")
    const started = performance.now()
    const done = (result: Omit<ProbeResult, "target" | "ms">): ProbeResult => ({
      target,
      ms: Math.round(performance.now() - started),
      ...result,
    })
    const client: pg.Client = new pgModule.Client({
      host: options.host,
      port: options.port,
      user: options.user,
      database: options.database,
      password: options.password,
      connectionTimeoutMillis: Math.max(1, timeoutMs),
      query_timeout: Math.max(1, timeoutMs),
      application_name: "deploy-pipeline-health",
    })
    // An error after connect (server restart) is emitted, and an unheard 'error' kills the process.
    client.on("error", () => {})
    try {
      await withTimeLimit(
        timeoutMs,
        (async () => {
          await client.connect()
          await client.query("SELECT 1")
        })(),
      )
      return done({ ok: true })
    } catch (err) {
      return done(describePostgresError(err, timeoutMs))
    } finally {
      void client.end().catch(() => {})
    }
  }
}

/** pg's own timeouts and Postgres's refusals, worded like the other probes. */
export function describePostgresError(err: unknown, timeoutMs: number): Omit<ProbeResult, "target" | "ms"> {
  const message = err instanceof Error ? err.message : String(err)
  // pg reports its connect timeout as a terminated connection whose cause is "timeout expired".
  const cause = err instanceof Error && err.cause instanceof Error ? err.cause.message : ""
  if (
    message === "timeout expired" ||
    cause === "timeout expired" ||
    message === "Query read timeout" ||
    /connection timeout/.test(message)
  ) {
    return { ok: false, failure: "timeout", error: `no answer within ${timeoutMs}ms` }
  }
  const code = typeof err === "object" && err !== null && "code" in err ? String(err.code) : ""
  if (AUTH_CODES.has(code)) return { ok: false, failure: "auth", error: `${message} (${code})` }
  return { ok: false, ...describeError(err) }
}
