/**
 * Restoring a deploy's backup, on the real Docker engine and the real Postgres: refused without
 * the id repeated (nothing changes), then done through the real `deploy-pipeline backup restore`
 * process: the data is back as the backup had it, the ledger (in the same database) kept every
 * row, and the restore is recorded under the lock.
 */
import { expect } from "chai"
import { mkdtempSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { deploy } from "../../core/deploy/deploy.js"
import { DeployError } from "../../core/deploy/errors.js"
import { readHistory } from "../../core/deploy/inspect.js"
import { restore } from "../../core/deploy/restore.js"
import { cliProcess } from "../helpers/cli.js"
import { PROTECTED_TIER_SECRETS } from "../helpers/deploy-env.js"
import { type DeployFixture, deployFixture } from "../helpers/deploy-fixture.js"
import { connectTo } from "../helpers/postgres.js"

describe("deploy/restore on the real Docker engine and Postgres", function () {
  this.timeout(120_000)
  let f: DeployFixture
  let backupId: string
  const orders = async () => {
    const client = await connectTo(f.db.name)
    try {
      return (
        await client.query<{ n: number; total: string }>(
          "SELECT count(*)::int AS n, coalesce(sum(total), 0)::text AS total FROM shop_order",
        )
      ).rows[0]
    } finally {
      await client.end()
    }
  }

  before(async () => {
    const location = mkdtempSync(join(tmpdir(), "dp-restore-"))
    f = await deployFixture("restore", {
      name: "production",
      tier: "production",
      overrides: {
        deploy: { backup: { enabled: true, location, verify: true, keep: 3 } },
        secrets: PROTECTED_TIER_SECRETS,
      },
    })
    const client = await connectTo(f.db.name)
    try {
      await client.query("CREATE TABLE shop_order (id bigserial PRIMARY KEY, total numeric NOT NULL)")
      await client.query("INSERT INTO shop_order (total) SELECT g FROM generate_series(1, 500) g")
    } finally {
      await client.end()
    }
    const digest = f.images.app.v1!
    const outcome = await deploy(
      { env: f.env, image: digest, version: "v1", requestedBy: "spec", approve: `production@${digest.slice(7, 19)}` },
      await f.engine(),
    )
    expect(outcome.warnings).to.deep.equal([])
    backupId = (await readHistory(f.env, await f.engine(), 1))[0]!.backup!.id
    // After the backup: writes the restore will lose.
    const writer = await connectTo(f.db.name)
    try {
      await writer.query("DELETE FROM shop_order WHERE id > 100")
      await writer.query("INSERT INTO shop_order (total) VALUES (99999)")
    } finally {
      await writer.end()
    }
  })
  after(() => f?.cleanup())

  it("refuses without the id repeated, or with another one, and changes nothing", async () => {
    for (const confirm of [undefined, "production-20200101T000000Z-000000000000"]) {
      const error = await restore(
        { env: f.env, id: backupId, ...(confirm ? { confirm } : {}), requestedBy: "spec" },
        await f.engine(),
      ).then(
        () => null,
        (e: unknown) => e,
      )
      expect(error).to.be.instanceOf(DeployError)
      expect((error as DeployError).code).to.equal("refused")
      expect((error as Error).message).to.match(
        confirm
          ? /does not name the backup being restored/
          : /loses every write made since it was taken; it never happens on its own\. To restore, pass --confirm-restore production-/,
      )
    }
    expect(await orders()).to.deep.equal({ n: 101, total: String(5050 + 99999) })
    expect((await readHistory(f.env, await f.engine(), 5)).map((r) => r.action)).to.deep.equal(["deploy"])
  })

  it("deploy-pipeline backup restore --confirm-restore ID puts the backup's data back and records it; the ledger keeps its rows", async () => {
    const dir = f.writeEnvironments()
    const result = cliProcess([
      "backup",
      "restore",
      "--dir",
      dir,
      "--env",
      "production",
      "--id",
      backupId,
      "--confirm-restore",
      backupId,
      "--quiet",
    ])
    expect(result.code, result.stderr).to.equal(0)
    expect(result.stdout.trim()).to.match(
      new RegExp(
        `^restore #2: restored production's database ${f.db.name} from ${backupId}, taken before deploy #1; writes since then are gone, the ledger \\(schema deploy_pipeline\\) kept its history$`,
      ),
    )
    expect(await orders()).to.deep.equal({ n: 500, total: "125250" })
    const history = await readHistory(f.env, await f.engine(), 5)
    expect(history.map((r) => [r.action, r.result])).to.deep.equal([
      ["restore", "succeeded"],
      ["deploy", "succeeded"],
    ])
    expect(history[0]!.backup!.id).to.equal(backupId)
    expect(history[0]!.phases.map((p) => p.step)).to.deep.equal(["restore"])
    // A restore is not a release: what runs, and what a rollback would go to, are unchanged.
    expect(await f.serving()).to.equal("v1")
  })

  it("restoring the same backup again still names the deploy that took it, not the earlier restore", async () => {
    const outcome = await restore(
      { env: f.env, id: backupId, confirm: backupId, requestedBy: "spec" },
      await f.engine(),
    )
    expect(outcome.summary).to.match(
      new RegExp(`^restored production's database ${f.db.name} from ${backupId}, taken before deploy #1;`),
    )
    expect((await readHistory(f.env, await f.engine(), 5)).map((r) => [r.id, r.action])).to.deep.equal([
      [3, "restore"],
      [2, "restore"],
      [1, "deploy"],
    ])
  })
})
