/**
 * An environment running the reference Django app's data for `migrations rehearse`: a scratch
 * database migrated by a release of the app (its own migrate command in a container of it), rows
 * in core_release, relays so the app's containers reach this machine's services, and helpers to
 * take a verified backup recorded in the ledger as a deploy's, to read what the environment's
 * database holds (each table's relfilenode and row count) and to list leftover scratch databases.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { stringify } from "yaml"
import { backupSettings } from "../../core/backup/config.js"
import { takeBackup } from "../../core/backup/backup.js"
import { localEngine } from "../../core/cli/engine.js"
import type { Environment } from "../../core/config/load.js"
import { type Plain, deepMerge } from "../../core/config/merge.js"
import { migrationEnvironment } from "../../core/deploy/migrate.js"
import { releaseOf } from "../../core/deploy/release.js"
import { type EngineDeps, driverFor } from "../../core/deploy/session.js"
import { Ledger } from "../../core/ledger/ledger.js"
import { migrateLedger } from "../../core/ledger/migrate.js"
import { TEST_SECRET_VALUES, testEnvironment } from "./deploy-env.js"
import { removeProject } from "./deploy-fixture.js"
import { requireDocker } from "./docker-images.js"
import { PG, type ScratchDatabase, connectTo, createScratchDatabase } from "./postgres.js"
import { exportRabbitmqUrl, realAppOverrides } from "./real-app-env.js"
import { type ServiceRelay, relayServices } from "./service-relay.js"

export interface RehearsalFixture {
  env: Environment & { raw: Plain }
  db: ScratchDatabase
  engine: EngineDeps
  relay: ServiceRelay
  logs: string[]
  /** Applies every migration of `image` to the environment's database, as a deploy's migrate step does. */
  migrateWith(image: string): Promise<void>
  /** Inserts `rows` rows into core_release, in one statement. */
  addReleases(rows: number): Promise<void>
  /** A verified backup of the environment's database, recorded in the ledger as taken by a deploy of `image`; its id. */
  backup(image: string): Promise<string>
  /** Each user table outside the ledger's schema: "schema.table filenode=N rows=N". */
  snapshot(): Promise<string[]>
  /** Writes the environment as a YAML file (base-free) for the CLI; returns the folder. */
  writeEnvironments(): string
  /** Rehearsal scratch databases left on the server for this environment. */
  leftovers(): Promise<string[]>
  cleanup(): Promise<void>
}

export async function rehearsalFixture(label: string, overrides: Plain = {}): Promise<RehearsalFixture> {
  requireDocker()
  Object.assign(process.env, TEST_SECRET_VALUES)
  const relay = await relayServices({ postgres: PG.port, memcached: 11211, rabbitmq: 5672 })
  exportRabbitmqUrl(relay)
  const db = await createScratchDatabase(label)
  const backups = mkdtempSync(join(tmpdir(), `dp-${label}-backups-`))
  const app = `dp${label}${process.pid % 10000}`
  const real = realAppOverrides(relay, { ALLOWED_HOSTS: "localhost" })
  const env = await testEnvironment({
    name: "rehearsal",
    app,
    ledgerDatabase: db.name,
    proxyImage: "unused",
    tier: "testing",
    overrides: deepMerge(
      deepMerge(real, { deploy: { backup: { enabled: false, location: backups, verify: true, keep: 3 } } }),
      overrides,
    ),
  })
  const logs: string[] = []
  const engine = await localEngine(env, (line) => logs.push(line))
  const run = async (sql: string) => {
    const client = await connectTo(db.name)
    try {
      return (await client.query(sql)).rows
    } finally {
      await client.end()
    }
  }
  return {
    env,
    db,
    engine,
    relay,
    logs,
    async migrateWith(image) {
      const driver = driverFor(env, engine.executor)
      const created = await driver.ensureNetwork()
      try {
        const result = await driver.runInRelease(
          releaseOf(image),
          { role: "setup", name: `setup-${releaseOf(image).short}` },
          env.config.deploy.migrations.command,
          migrationEnvironment(env.config),
        )
        if (result.exitCode !== 0) throw new Error(`migrate with ${image} failed: ${result.stderr}${result.stdout}`)
      } finally {
        if (created) await driver.removeNetwork()
      }
    },
    async addReleases(rows) {
      await run(`INSERT INTO core_release (version, commit_sha, environment, notes, created_at)
        SELECT 'v' || g, md5(g::text), 'production', 'release ' || g, now() FROM generate_series(1, ${rows}) g`)
    },
    async backup(image) {
      const settings = backupSettings(env.name, env.config)
      const taken = await takeBackup({ ...settings, executor: engine.backupExecutor! })
      if (!taken.verified) throw new Error("the fixture's backup was not verified")
      const client = await engine.connectLedger()
      try {
        await migrateLedger(client, env.config.ledger.schema)
        const ledger = new Ledger(client, env.config.ledger.schema)
        const release = releaseOf(image)
        const id = await ledger.start({
          env: env.name,
          action: "deploy",
          requestedBy: "spec",
          approval: null,
          image: { ref: release.image, digest: release.digest },
          commit: null,
          configHash: env.hash,
          previousDigest: null,
          colorFrom: null,
          colorTo: "blue",
          owner: { who: "spec", host: "spec", pid: process.pid },
          lock: { backendPid: 1, backendStart: new Date() },
        })
        await ledger.amend(id, { backup: taken.ref })
        await ledger.finish(id, "succeeded")
      } finally {
        await client.end()
      }
      return taken.id
    },
    async snapshot() {
      const tables = await run(`SELECT n.nspname || '.' || c.relname AS name, pg_relation_filenode(c.oid) AS filenode
        FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE c.relkind = 'r' AND n.nspname NOT IN ('pg_catalog', 'information_schema', '${env.config.ledger.schema}') AND n.nspname NOT LIKE 'pg_toast%' ORDER BY 1`)
      const lines: string[] = []
      for (const t of tables as { name: string; filenode: number }[]) {
        const [schema, table] = t.name.split(".")
        const [{ n }] = (await run(`SELECT count(*)::int AS n FROM "${schema}"."${table}"`)) as [{ n: number }]
        lines.push(`${t.name} filenode=${t.filenode} rows=${n}`)
      }
      return lines
    },
    writeEnvironments() {
      const dir = mkdtempSync(join(tmpdir(), "dp-envs-"))
      writeFileSync(join(dir, `${env.name}.yaml`), stringify(env.raw))
      return dir
    },
    async leftovers() {
      const rows = await run(
        `SELECT datname FROM pg_database WHERE datname LIKE 'dp\\_rehearse\\_rehearsal\\_%' ORDER BY 1`,
      )
      return (rows as { datname: string }[]).map((r) => r.datname)
    },
    async cleanup() {
      removeProject(env)
      await relay.close()
      await db.drop()
      rmSync(backups, { recursive: true, force: true })
    },
  }
}
