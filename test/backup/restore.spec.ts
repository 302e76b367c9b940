/** Restore: refused without the exact confirmation, checksum-checked, and the ledger kept. */
import { expect } from "chai"
import { appendFile, mkdtemp, readdir, rm } from "node:fs/promises"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { takeBackup, type BackupResult } from "../../core/backup/backup.js"
import type { PgConn } from "../../core/backup/connection.js"
import { BackupDamagedError, BackupNotFoundError, RestoreRefusedError } from "../../core/backup/errors.js"
import { readFacts } from "../../core/backup/facts.js"
import { restoreBackup, type RestoreOptions } from "../../core/backup/restore.js"
import type { ScratchDatabase } from "../helpers/postgres.js"
import { recording } from "./executors.js"
import { SHOP_FACTS, createShopDatabase } from "./shop.js"

describe("backup/restore", () => {
  let db: ScratchDatabase
  let conn: PgConn
  let dir: string
  let backup: BackupResult

  before(async () => {
    ;({ db, conn } = await createShopDatabase("restore"))
    dir = await mkdtemp(join(tmpdir(), "dp-restore-"))
    backup = await takeBackup({
      env: "production",
      source: conn,
      location: dir,
      keep: 5,
      verify: false,
      executor: recording(),
    })
  })
  after(async () => {
    await db.drop()
    await rm(dir, { recursive: true, force: true })
  })

  function options(overrides: Partial<RestoreOptions>): RestoreOptions {
    return {
      id: backup.id,
      confirm: undefined,
      location: dir,
      target: conn,
      executor: recording(),
      keepSchemas: ["deploy_pipeline"],
      ...overrides,
    }
  }

  async function rejection(promise: Promise<unknown>): Promise<Error> {
    return promise.then(
      () => expect.fail("expected a rejection"),
      (error: Error) => error,
    )
  }

  it("refuses without the confirmation token, and runs nothing", async () => {
    const executor = recording()
    const error = await rejection(restoreBackup(options({ executor })))
    expect(error).to.be.instanceOf(RestoreRefusedError)
    expect(error.message).to.equal(
      `restoring ${backup.id} replaces the data of ${db.name} on 127.0.0.1:5432 with the backup's and loses every write made since it was taken; ` +
        `it never happens on its own. To restore, pass --confirm-restore ${backup.id}`,
    )
    expect(executor.calls).to.deep.equal([])
  })

  it("refuses a token that names another backup, and runs nothing", async () => {
    const executor = recording()
    const error = await rejection(
      restoreBackup(options({ executor, confirm: "production-20240101T000000Z-000000000000" })),
    )
    expect(error).to.be.instanceOf(RestoreRefusedError)
    expect(error.message).to.equal(
      `--confirm-restore production-20240101T000000Z-000000000000 does not name the backup being restored (${backup.id}); nothing was restored. To restore it, pass --confirm-restore ${backup.id}`,
    )
    expect(executor.calls).to.deep.equal([])
  })

  it("says when the backup is not there", async () => {
    const id = "production-20240101T000000Z-000000000000"
    const error = await rejection(restoreBackup(options({ id, confirm: id })))
    expect(error).to.be.instanceOf(BackupNotFoundError)
    expect(error.message).to.equal(
      `there is no backup ${id} in ${dir} (it needs ${id}.dump and its manifest ${id}.json)`,
    )
  })

  it("restores the app's data, confirmed, in one transaction, and leaves the ledger's rows alone", async () => {
    const client = await db.connect()
    await client.query(`
      DELETE FROM shop_order; INSERT INTO shop_product (name) VALUES ('mate');
      TRUNCATE audit.events; INSERT INTO django_migrations (app, name) VALUES ('shop', '0003_refund');
      INSERT INTO deploy_pipeline.locks (env) VALUES ('written-after-the-backup');
    `)
    const executor = recording()
    expect(await restoreBackup(options({ executor, confirm: backup.id }))).to.deep.equal({
      id: backup.id,
      file: backup.file,
      sha256: backup.sha256,
    })
    expect(executor.calls).to.deep.equal([
      ["pg_restore", "--list", backup.file],
      [
        "pg_restore",
        "--exit-on-error",
        "--single-transaction",
        "--no-owner",
        "--no-privileges",
        "--clean",
        "--if-exists",
        "--exclude-schema=deploy_pipeline",
        `--use-list=${join(dir, `.${backup.id}.restore-list`)}`,
        "--host=127.0.0.1",
        "--port=5432",
        "--username=postgres",
        "--no-password",
        `--dbname=${db.name}`,
        backup.file,
      ],
    ])
    expect((await readdir(dir)).sort()).to.deep.equal([`${backup.id}.dump`, `${backup.id}.json`])
    const facts = await readFacts(client)
    expect(facts).to.deep.equal({
      ...SHOP_FACTS,
      tables: SHOP_FACTS.tables.map((t) => (t.name === "deploy_pipeline.locks" ? { ...t, rows: 1 } : t)),
    })
    const { rows } = await client.query("SELECT name FROM shop_product ORDER BY id")
    expect(rows).to.deep.equal([{ name: "tea" }, { name: "coffee" }, { name: "cocoa" }])
  })

  it("refuses a dump whose checksum no longer matches its manifest", async () => {
    await appendFile(backup.file, "x")
    const executor = recording()
    const error = await rejection(restoreBackup(options({ executor, confirm: backup.id })))
    expect(error).to.be.instanceOf(BackupDamagedError)
    expect(error.message).to.match(
      new RegExp(
        `^backup ${backup.id} is damaged: ${backup.file} has sha256 [0-9a-f]{64}, but ${backup.sha256} was recorded when it was taken; nothing was restored$`,
      ),
    )
    expect(executor.calls).to.deep.equal([])
  })
})
