/**
 * The ledger's Postgres connection, opened for both surfaces' engines. A connection that fails
 * becomes a LedgerUnreachableError that names the ledger's database, where it was looked for and
 * what to check, never a bare driver message such as `connect ECONNREFUSED 127.0.0.1:5432`.
 */
import type pg from "pg"
import { describeError } from "../health/errno.js"
import { LedgerError } from "./errors.js"

export interface LedgerAddress {
  host: string
  port: number
  user: string
  database: string
}

export function ledgerUnreachableMessage(address: LedgerAddress, said: string): string {
  return [
    `the ledger's database ${address.database} at ${address.host}:${address.port} (user ${address.user}) did not accept a connection: ${said}`,
    "next: check that PostgreSQL runs there and takes connections from this machine, that ledger.database exists and that POSTGRES_PASSWORD is current; " +
      "the address is services.postgres.deployer where set, else services.postgres (under Dagger: --postgres)",
  ].join("\n")
}

export class LedgerUnreachableError extends LedgerError {
  readonly code = "ledger-unreachable"
  constructor(
    readonly address: LedgerAddress,
    said: string,
    cause: unknown,
  ) {
    super(ledgerUnreachableMessage(address, said), { cause })
  }
}

/** Opens a client to the ledger's database; pg loads only when a command gets this far. */
export async function connectLedgerClient(
  address: LedgerAddress,
  password: string | undefined,
  timeoutMs = 10_000,
): Promise<pg.Client> {
  const { default: pgModule } = await import("pg")
  const client = new pgModule.Client({
    ...address,
    ...(password ? { password } : {}),
    connectionTimeoutMillis: timeoutMs,
  })
  try {
    await client.connect()
  } catch (error) {
    await client.end().catch(() => undefined)
    throw new LedgerUnreachableError(address, describeError(error).error, error)
  }
  return client
}
