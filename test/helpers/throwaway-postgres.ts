/**
 * A PostgreSQL cluster made for one spec, as the test stage's database is (data on tmpfs, trust
 * auth): `initdb` into a fresh folder under /dev/shm with the machine's PostgreSQL 15 binaries,
 * started by `pg_ctl` on a free loopback port, stopped and deleted by stop(). The machine's own
 * server (5432) is never touched. As root, the server runs as the `postgres` user (initdb refuses
 * root).
 */
import { type SpawnSyncReturns, spawnSync } from "node:child_process"
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs"
import { join } from "node:path"
import { closedPort } from "../health/support/net.js"

export const PG_BIN = process.env.PG_BIN ?? "/usr/lib/postgresql/15/bin"
const TMPFS = "/dev/shm"

export interface ThrowawayPostgres {
  host: string
  port: number
  dataDir: string
  stop(): void
}

function run(argv: string[], timeout = 60_000): SpawnSyncReturns<string> {
  const asPostgres = process.getuid?.() === 0 ? ["runuser", "-u", "postgres", "--", ...argv] : argv
  const result = spawnSync(asPostgres[0]!, asPostgres.slice(1), { encoding: "utf8", timeout })
  if (result.status !== 0)
    throw new Error(`${argv.join(" ")} exited ${String(result.status)}: ${result.stderr || result.error?.message}`)
  return result
}

function requireTmpfs(): void {
  const mounts = readFileSync("/proc/mounts", "utf8")
    .split("\n")
    .map((line) => line.split(" "))
  if (!mounts.some(([, mountpoint, type]) => mountpoint === TMPFS && type === "tmpfs"))
    throw new Error(`${TMPFS} is not a tmpfs mount here; the throwaway cluster's data must live in memory`)
}

/** Starts a cluster and creates `databases` in it; stop() stops it and removes every file. */
export async function startThrowawayPostgres(databases: readonly string[] = []): Promise<ThrowawayPostgres> {
  if (!existsSync(join(PG_BIN, "initdb")))
    throw new Error(
      `PostgreSQL 15 server binaries not found in ${PG_BIN}: run \`bash ci/setup/services.sh\` (or apt-get install postgresql-15), or set PG_BIN`,
    )
  requireTmpfs()
  const dir = mkdtempSync(join(TMPFS, "dp-pg-"))
  const dataDir = join(dir, "data")
  const stop = () => {
    if (existsSync(join(dataDir, "postmaster.pid")))
      run([join(PG_BIN, "pg_ctl"), "-D", dataDir, "-m", "fast", "-w", "stop"])
    rmSync(dir, { recursive: true, force: true })
  }
  try {
    if (process.getuid?.() === 0) spawnSync("chown", ["postgres:", dir])
    run([
      join(PG_BIN, "initdb"),
      "-D",
      dataDir,
      "-U",
      "postgres",
      "--auth=trust",
      "-E",
      "UTF8",
      "--no-sync",
      "--no-instructions",
    ])
    const port = await closedPort()
    const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off`
    run([
      join(PG_BIN, "pg_ctl"),
      "-D",
      dataDir,
      "-l",
      join(dir, "server.log"),
      "-o",
      options,
      "-w",
      "-t",
      "30",
      "start",
    ])
    for (const name of databases)
      run([join(PG_BIN, "createdb"), "-h", "127.0.0.1", "-p", String(port), "-U", "postgres", name])
    return { host: "127.0.0.1", port, dataDir, stop }
  } catch (error) {
    stop()
    throw error
  }
}
