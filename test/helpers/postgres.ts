/**
 * Scratch databases on the test machine's real Postgres (127.0.0.1:5432, user postgres, trust
 * auth; PGHOST/PGPORT/PGUSER override). Each spec creates its own uniquely named database and
 * drops it afterwards, so specs run side by side and leave nothing behind.
 */
import { randomBytes } from "node:crypto"
import pg from "pg"
import type { Clock, Sleep } from "../../core/time/clock.js"

export const PG = {
  host: process.env.PGHOST ?? "127.0.0.1",
  port: Number(process.env.PGPORT ?? 5432),
  user: process.env.PGUSER ?? "postgres",
}

export interface ScratchDatabase {
  name: string
  /** A new connection to this database; closed by drop() if the test did not close it. */
  connect(): Promise<pg.Client>
  drop(): Promise<void>
}

export async function connectTo(database: string): Promise<pg.Client> {
  const client = new pg.Client({ ...PG, database })
  client.on("error", () => undefined)
  await client.connect()
  return client
}

/** Creates dp_test_<label>_<pid>_<random> and returns it. */
export async function createScratchDatabase(label: string): Promise<ScratchDatabase> {
  const name = `dp_test_${label}_${process.pid}_${randomBytes(3).toString("hex")}`
  await admin(`CREATE DATABASE ${pg.escapeIdentifier(name)}`)
  const clients: pg.Client[] = []
  return {
    name,
    async connect() {
      const client = await connectTo(name)
      clients.push(client)
      return client
    },
    async drop() {
      await Promise.all(clients.map((client) => client.end().catch(() => undefined)))
      await admin(`DROP DATABASE IF EXISTS ${pg.escapeIdentifier(name)} WITH (FORCE)`)
    },
  }
}

export async function databaseExists(name: string): Promise<boolean> {
  const client = await connectTo("postgres")
  try {
    const { rows } = await client.query("SELECT 1 FROM pg_database WHERE datname = $1", [name])
    return rows.length === 1
  } finally {
    await client.end()
  }
}

async function admin(sql: string): Promise<void> {
  const client = await connectTo("postgres")
  try {
    await client.query(sql)
  } finally {
    await client.end()
  }
}

/** A clock that stands still until told to move; its sleep really waits (so other sessions act) and then advances it. */
export function manualClock(start: string): Clock & { sleep: Sleep; advance(ms: number): void } {
  let now = new Date(start).getTime()
  return {
    now: () => now,
    advance(ms: number) {
      now += ms
    },
    async sleep(ms: number) {
      await new Promise((resolve) => setTimeout(resolve, ms))
      now += ms
    },
  }
}
