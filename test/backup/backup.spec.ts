/** Backups on a real Postgres with the real pg_dump/pg_restore: dump, snapshot consistency, verify, refusals, prune. */
import { expect } from "chai"
import { createHash } from "node:crypto"
import { mkdtemp, readFile, readdir, rm } from "node:fs/promises"
import { tmpdir } from "node:os"
import { join } from "node:path"
import type pg from "pg"
import { takeBackup, type BackupOptions } from "../../core/backup/backup.js"
import type { PgConn } from "../../core/backup/connection.js"
import {
  BackupCommandError,
  BackupLockTimeoutError,
  BackupVerifyError,
  BackupVersionError,
} from "../../core/backup/errors.js"
import { readManifest } from "../../core/backup/manifest.js"
import { serverMajor } from "../../core/backup/version.js"
import { type ScratchDatabase, connectTo, databaseExists, manualClock } from "../helpers/postgres.js"
import { option, recording } from "./executors.js"
import { SHOP_FACTS, createShopDatabase } from "./shop.js"

describe("backup/backup", () => {
  let db: ScratchDatabase
  let conn: PgConn
  let dir: string

  before(async () => ({ db, conn } = await createShopDatabase("backup")))
  after(async () => db.drop())
  beforeEach(async () => (dir = await mkdtemp(join(tmpdir(), "dp-backup-"))))
  afterEach(async () => rm(dir, { recursive: true, force: true }))

  function options(overrides: Partial<BackupOptions> = {}): BackupOptions {
    return {
      env: "production",
      source: conn,
      location: join(dir, "production"),
      keep: 3,
      verify: true,
      executor: recording(),
      clock: manualClock("2024-05-01T12:03:04Z"),
      ...overrides,
    }
  }

  async function rejection(promise: Promise<unknown>): Promise<Error> {
    return promise.then(
      () => expect.fail("expected a rejection"),
      (error: Error) => error,
    )
  }

  async function sha256(path: string): Promise<string> {
    return createHash("sha256")
      .update(await readFile(path))
      .digest("hex")
  }

  it("dumps, checksums, names, verifies by restoring, and writes a manifest", async () => {
    const executor = recording()
    const result = await takeBackup(options({ executor }))
    const location = join(dir, "production")
    const sha = await sha256(join(location, `${result.id}.dump`))
    expect(result.id).to.equal(`production-20240501T120304Z-${sha.slice(0, 12)}`)
    expect([result.file, result.sha256, result.createdAt, result.pruned, result.facts]).to.deep.equal([
      join(location, `${result.id}.dump`),
      sha,
      new Date("2024-05-01T12:03:04Z"),
      [],
      SHOP_FACTS,
    ])
    expect(result.ref).to.deep.equal({ id: result.id, location: result.file, sha256: sha })
    const scratch = result.verified?.scratchDatabase ?? ""
    expect(scratch).to.match(new RegExp(`^dp_verify_production_${sha.slice(0, 12)}_[0-9a-f]{6}$`))
    expect(result.verified).to.deep.equal({ scratchDatabase: scratch, tables: 9, rows: 18, djangoMigrations: 4 })
    expect(await databaseExists(scratch)).to.equal(false)
    expect((await readdir(location)).sort()).to.deep.equal([`${result.id}.dump`, `${result.id}.json`])

    const snapshot = option(executor.calls[1] ?? [], "snapshot")
    expect(executor.calls).to.deep.equal([
      ["pg_dump", "--version"],
      [
        "pg_dump",
        "-Fc",
        "-Z6",
        "--lock-wait-timeout=30000",
        "--no-owner",
        `--snapshot=${snapshot}`,
        "--host=127.0.0.1",
        "--port=5432",
        "--username=postgres",
        "--no-password",
        `--file=${join(location, ".production-20240501T120304Z.dump.partial")}`,
        `--dbname=${db.name}`,
      ],
      ["pg_restore", "--list", result.file],
      [
        "pg_restore",
        "--exit-on-error",
        "--single-transaction",
        "--no-owner",
        "--no-privileges",
        "--host=127.0.0.1",
        "--port=5432",
        "--username=postgres",
        "--no-password",
        `--dbname=${scratch}`,
        result.file,
      ],
    ])

    const client = await connectTo("postgres")
    const { rows } = await client.query<{ server_version_num: string }>("SHOW server_version_num")
    await client.end()
    const { pgDumpVersion, ...manifest } = (await readManifest(location, result.id)) ?? expect.fail("no manifest")
    expect(pgDumpVersion).to.match(/^pg_dump \(PostgreSQL\) \d+/)
    expect(manifest).to.deep.equal({
      id: result.id,
      env: "production",
      file: `${result.id}.dump`,
      sha256: sha,
      bytes: result.bytes,
      createdAt: "2024-05-01T12:03:04.000Z",
      database: db.name,
      serverVersionNum: Number(rows[0]?.server_version_num),
      facts: SHOP_FACTS,
      verified: true,
      differences: [],
    })
  })

  it("dumps and counts one snapshot, so writes during the dump change neither", async () => {
    let writer: pg.Client | undefined
    const executor = recording((argv, _options, run) => {
      if (argv[0] !== "pg_dump" || argv[1] === "--version") return undefined
      return (async () => {
        writer = await db.connect()
        await writer.query("INSERT INTO shop_order (product_id, qty) VALUES (2, 9), (2, 8)")
        return run()
      })()
    })
    const result = await takeBackup(options({ executor }))
    expect(result.facts).to.deep.equal(SHOP_FACTS)
    expect(result.verified?.rows).to.equal(18)
    const { rows } = await (writer ?? expect.fail("the dump never ran")).query(
      "SELECT count(*)::int AS n FROM shop_order",
    )
    expect(rows).to.deep.equal([{ n: 4 }])
    await writer?.query("DELETE FROM shop_order WHERE qty IN (8, 9)")
  })

  it("fails verification when the restore differs, keeps the dump with a manifest saying so, and drops the scratch database", async () => {
    let scratch = ""
    const executor = recording((argv, _options, run) => {
      if (argv[0] !== "pg_restore" || argv[1] === "--list") return undefined
      return (async () => {
        const result = await run()
        scratch = option(argv, "dbname") ?? ""
        const restored = await connectTo(scratch)
        await restored.query("DELETE FROM shop_order WHERE id = 2; DELETE FROM django_migrations WHERE id = 4")
        await restored.end()
        return result
      })()
    })
    const error = await rejection(takeBackup(options({ executor })))
    expect(error).to.be.instanceOf(BackupVerifyError)
    const { id, differences } = error as BackupVerifyError
    expect(differences).to.deep.equal([
      "public.django_migrations: 4 rows in the source, 3 in the restore",
      "public.shop_order: 2 rows in the source, 1 in the restore",
      "django_migrations: 4 rows in the source, 3 in the restore; row 4 is shop.0002_order in the source, nothing in the restore",
    ])
    expect(error.message).to.equal(
      `backup ${id} failed verification: restored into ${scratch}, it differs from the source:\n` +
        "  - public.django_migrations: 4 rows in the source, 3 in the restore\n" +
        "  - public.shop_order: 2 rows in the source, 1 in the restore\n" +
        "  - django_migrations: 4 rows in the source, 3 in the restore; row 4 is shop.0002_order in the source, nothing in the restore",
    )
    expect(await databaseExists(scratch)).to.equal(false)
    const manifest = await readManifest(join(dir, "production"), id)
    expect([manifest?.verified, manifest?.differences]).to.deep.equal([false, differences])
  })

  it("refuses a pg_dump older than the server, before writing anything", async () => {
    const executor = recording((argv) =>
      argv[1] === "--version"
        ? Promise.resolve({ exitCode: 0, stdout: "pg_dump (PostgreSQL) 11.22\n", stderr: "" })
        : undefined,
    )
    const error = await rejection(takeBackup(options({ executor })))
    const client = await connectTo("postgres")
    const { rows } = await client.query<{ server_version_num: string }>("SHOW server_version_num")
    await client.end()
    const server = serverMajor(Number(rows[0]?.server_version_num))
    expect(error).to.be.instanceOf(BackupVersionError)
    expect(error.message).to.equal(
      `pg_dump 11 is older than the server (PostgreSQL ${server}), and pg_dump refuses to dump a newer server ("server version mismatch"). ` +
        `Use pg_dump ${server} or newer: Debian's postgresql-client-${server}, or the postgres:${server} image`,
    )
    expect(executor.calls).to.deep.equal([["pg_dump", "--version"]])
    expect(await readdir(dir)).to.deep.equal([])
  })

  it("reports a pg_dump that cannot run, with its exit code", async () => {
    const error = await rejection(takeBackup(options({ programs: { pgDump: "pg_dump-not-installed" } })))
    expect(error).to.be.instanceOf(BackupCommandError)
    expect(error.message).to.equal("pg_dump-not-installed exited with 127: pg_dump-not-installed: ENOENT")
  })

  it("gives up after the lock wait timeout when a table is locked, leaving no partial file", async () => {
    const blocker = await db.connect()
    await blocker.query("BEGIN; LOCK TABLE shop_order IN ACCESS EXCLUSIVE MODE")
    const error = await rejection(takeBackup(options({ lockWaitTimeoutMs: 200 })))
    await blocker.query("ROLLBACK")
    expect(error).to.be.instanceOf(BackupLockTimeoutError)
    expect(error.message).to.equal(
      `could not lock every table of ${db.name} for the backup within 200 ms (canceling statement due to lock timeout); another session holds a conflicting lock. Retry when it is done`,
    )
    expect(await readdir(join(dir, "production"))).to.deep.equal([])
  })

  it("keeps the last `keep` dumps and prunes older ones", async () => {
    const clock = manualClock("2024-05-01T12:00:00Z")
    const ids: string[] = []
    const pruned: string[][] = []
    for (let i = 0; i < 4; i++) {
      const result = await takeBackup(options({ clock, keep: 2, verify: false }))
      ids.push(result.id)
      pruned.push(result.pruned)
      clock.advance(60_000)
    }
    expect(ids.map((id) => id.slice(0, "production-20240501T120000Z".length))).to.deep.equal([
      "production-20240501T120000Z",
      "production-20240501T120100Z",
      "production-20240501T120200Z",
      "production-20240501T120300Z",
    ])
    expect(pruned).to.deep.equal([[], [], [ids[0]], [ids[1]]])
    expect((await readdir(join(dir, "production"))).sort()).to.deep.equal([
      `${ids[2]}.dump`,
      `${ids[2]}.json`,
      `${ids[3]}.dump`,
      `${ids[3]}.json`,
    ])
    expect((await readManifest(join(dir, "production"), ids[3] ?? ""))?.verified).to.equal(null)
  })
})
