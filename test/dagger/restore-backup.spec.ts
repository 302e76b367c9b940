/**
 * `restore-backup` through the real module entrypoint against the recording engine, with the
 * recorded commands really run here: a production deploy on the real Docker engine kept its
 * backup on the "Docker host" (this machine) with the Docker-host store, as a Dagger deploy does;
 * then the Dagger function copies it out with `docker cp` in the docker-cli container and
 * pg_restores it in the Postgres client container over the real database. The data comes back,
 * and the password is only ever a Secret.
 */
import { expect } from "chai"
import { mkdtempSync, readFileSync, readdirSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { dockerHostStore } from "../../core/backup/store.js"
import { IMAGES } from "../../core/constants.js"
import { deploy } from "../../core/deploy/deploy.js"
import { readHistory } from "../../core/deploy/inspect.js"
import { localExecutor } from "../../core/exec/local.js"
import { type Chain, call, findCalls } from "../harness/chain.js"
import { runFunction, warmReplica } from "../harness/entrypoint.js"
import { type RecordingEngine, startRecordingEngine } from "../harness/recording-engine.js"
import { firstOf, serveTree } from "../helpers/dagger.js"
import { execIn, runPostgresLocally } from "../helpers/dagger-postgres.js"
import { PROTECTED_TIER_SECRETS } from "../helpers/deploy-env.js"
import { type DeployFixture, deployFixture } from "../helpers/deploy-fixture.js"
import { ROOT } from "../helpers/paths.js"
import { connectTo } from "../helpers/postgres.js"

const CANARY = "canary-restore-password-7e41"

describe("Dagger restore-backup, its commands run on this machine", function () {
  this.timeout(180_000)
  let f: DeployFixture
  let engine: RecordingEngine
  const location = mkdtempSync(join(tmpdir(), "dp-host-backups-"))
  const count = async () => {
    const client = await connectTo(f.db.name)
    try {
      return (await client.query<{ n: number }>("SELECT count(*)::int AS n FROM shop_order")).rows[0]!.n
    } finally {
      await client.end()
    }
  }

  before(warmReplica(ROOT))
  before(async () => {
    engine = await startRecordingEngine()
    f = await deployFixture("daggerrestore", {
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
  })
  after(async () => {
    await engine?.stop()
    await f?.cleanup()
  })

  it("copies the backup out of the Docker host and restores it in a Postgres client container; the data is back", async () => {
    // The deploy keeps its backup as a Dagger deploy does: in deploy.backup.location on the Docker host.
    const deps = {
      ...(await f.engine()),
      backupStore: dockerHostStore(localExecutor, mkdtempSync(join(tmpdir(), "dp-staging-"))),
    }
    const digest = f.images.app.v1!
    await deploy(
      { env: f.env, image: digest, version: "v1", requestedBy: "spec", approve: `production@${digest.slice(7, 19)}` },
      deps,
    )
    const backup = (await readHistory(f.env, await f.engine(), 1))[0]!.backup!
    expect(backup.location).to.equal(`docker-host:${location}/${backup.id}.dump`)
    const writer = await connectTo(f.db.name)
    await writer.query("DELETE FROM shop_order WHERE id > 10").finally(() => writer.end())
    expect(await count()).to.equal(10)

    const dir = f.writeEnvironments()
    const tree = Object.fromEntries(
      readdirSync(dir).map((name) => [`/ci/environments/${name}`, readFileSync(join(dir, name), "utf8")]),
    )
    engine.hook = firstOf(
      serveTree(tree),
      runPostgresLocally(),
      runPostgresLocally(IMAGES.dockerCli),
      ({ chain, leaf }) => {
        if (leaf.field !== "plaintext") return undefined
        return chain.some((c) => c.field === "secret" && String(c.args.uri).includes("RABBITMQ")) ? "guest" : CANARY
      },
    )
    const environments = engine.makeId([call("host"), call("directory", { path: "/ci/environments" })])
    // This machine's engine is the Docker host: the module reaches it through its socket.
    const dockerSocket = engine.makeId([call("host"), call("unixSocket", { path: "/var/run/docker.sock" })])
    const result = await runFunction(engine, {
      moduleRoot: ROOT,
      fn: "restoreBackup",
      constructorArgs: { environments },
      args: { env: "production", id: backup.id, confirmRestore: backup.id, dockerSocket },
    })
    expect(result.exitCode, `${result.stderr}\n${result.error?.message ?? ""}`).to.equal(0)
    expect(result.value).to.match(
      new RegExp(`^restore #2: restored production's database ${f.db.name} from ${backup.id}, taken before deploy #1;`),
    )
    expect(await count()).to.equal(500)

    const execs = engine.evaluationsOf("exitCode").map((e) => e.chain)
    const argvOf = (chain: Chain) => findCalls(chain, "withExec").at(-1)!.args.args as string[]
    const copies = execs.filter((chain) => execIn(chain, IMAGES.dockerCli)?.[1] === "cp")
    expect(copies.map((chain) => argvOf(chain).slice(0, 3))).to.deep.equal([
      ["docker", "cp", `deploy-pipeline-backup-${backup.id}:/backups/${backup.id}.dump`],
      ["docker", "cp", `deploy-pipeline-backup-${backup.id}:/backups/${backup.id}.json`],
    ])
    const restores = execs.filter((chain) => execIn(chain, IMAGES.postgres)?.[0] === "pg_restore")
    expect(restores.map((chain) => argvOf(chain).includes("--list"))).to.deep.equal([true, false])
    const full = restores[1]!
    expect(findCalls(full, "withSecretVariable").map((c) => c.args.name)).to.deep.equal(["PGPASSWORD"])
    expect(
      findCalls(full, "withMountedFile").map((c) => (c.args.source as { chain: Chain }).chain.at(-1)!.field),
    ).to.deep.equal(["workdirFile", "workdirFile"])
    expect(engine.rawQueries.filter((q) => q.includes(CANARY))).to.deep.equal([])
  })
})
