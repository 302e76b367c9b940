/**
 * The backup under Dagger, driven directly against the recording engine: the real takeBackup
 * with the Dagger backup executor, whose recorded Postgres-client execs really run here (see
 * helpers/dagger-postgres.ts) against the test Postgres. Asserted on the recorded pipeline: the
 * image and exact argv, PGPASSWORD as a Secret variable (a canary password in no query), a cache
 * buster per run, the dump exported back and mounted into both pg_restore containers.
 */
import { type SecretID, connection, dag } from "@dagger.io/dagger"
import { expect } from "chai"
import { mkdtemp, readdir, rm } from "node:fs/promises"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { type BackupResult, takeBackup } from "../../core/backup/backup.js"
import type { PgConn } from "../../core/backup/connection.js"
import { IMAGES } from "../../core/constants.js"
import { daggerPostgresExecutor } from "../../core/exec/dagger-postgres.js"
import type { ExecResult } from "../../core/exec/types.js"
import { type Chain, call, findCalls } from "../harness/chain.js"
import { type RecordingEngine, startRecordingEngine } from "../harness/recording-engine.js"
import { runPostgresLocally } from "../helpers/dagger-postgres.js"
import { manualClock, type ScratchDatabase } from "../helpers/postgres.js"
import { option } from "../backup/executors.js"
import { createShopDatabase } from "../backup/shop.js"

const CANARY = "canary-pg-password-4c1e"
const SECRET_CHAIN = [call("secret", { uri: "env://POSTGRES_PASSWORD" })]
const argvOf = (chain: Chain): string[] =>
  chain.at(-1)?.field === "withExec" ? (chain.at(-1)!.args.args as string[]) : []

describe("exec/dagger-postgres: the backup in a Postgres client container", function () {
  this.timeout(60_000)
  let engine: RecordingEngine
  let savedEnv: NodeJS.ProcessEnv
  let db: ScratchDatabase
  let conn: PgConn
  let dir: string

  before(async () => {
    savedEnv = { ...process.env }
    engine = await startRecordingEngine()
    ;({ db, conn } = await createShopDatabase("daggerpg"))
  })
  after(async () => {
    await engine.stop()
    await db.drop()
    process.env = savedEnv
  })
  beforeEach(async () => {
    engine.reset()
    engine.hook = runPostgresLocally()
    Object.assign(process.env, engine.sessionEnv(engine.newSession()))
    dir = await mkdtemp(join(tmpdir(), "dp-daggerpg-"))
  })
  afterEach(() => rm(dir, { recursive: true, force: true }))

  it("dumps, verifies and checksums through pinned client containers; PGPASSWORD only ever a Secret", async () => {
    const secretId = engine.makeId(SECRET_CHAIN)
    const location = join(dir, "production")
    let taken: BackupResult | undefined
    await connection(async () => {
      const executor = daggerPostgresExecutor({
        secrets: { PGPASSWORD: dag.loadSecretFromID(secretId as SecretID) },
        runId: "run-7",
        workdir: dir,
      })
      taken = await takeBackup({
        env: "production",
        source: { ...conn, password: CANARY },
        location,
        keep: 3,
        verify: true,
        executor,
        clock: manualClock("2024-05-01T12:03:04Z"),
      })
    })
    const result = taken ?? expect.fail("no backup")
    expect(result.verified?.rows).to.equal(18)
    expect((await readdir(location)).sort()).to.deep.equal([`${result.id}.dump`, `${result.id}.json`])

    const runs = [...new Map(engine.evaluationsOf("exitCode").map((e) => [JSON.stringify(e.chain), e.chain])).values()]
    const partial = join(location, ".production-20240501T120304Z.dump.partial")
    const snapshot = option(argvOf(runs[1]!), "snapshot")
    const scratch = result.verified!.scratchDatabase
    expect(runs.map(argvOf)).to.deep.equal([
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
        `--file=${partial}`,
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
    const secret = call("withSecretVariable", { name: "PGPASSWORD", secret: { $ref: secretId, chain: SECRET_CHAIN } })
    const mounted = (path: string) =>
      call("withMountedFile", {
        path,
        source: {
          $ref: engine.makeId([
            call("currentModule"),
            call("workdirFile", { path: "production/" + path.split("/").at(-1) }),
          ]),
          chain: [call("currentModule"), call("workdirFile", { path: "production/" + path.split("/").at(-1) })],
        },
      })
    const head = (n: number) => [
      call("container"),
      call("from", { address: IMAGES.postgres }),
      call("withEnvVariable", { name: "DEPLOY_PIPELINE_RUN", value: `run-7-pg-${n}` }),
    ]
    expect(runs.map((chain) => chain.slice(0, -1))).to.deep.equal([
      head(1),
      [
        ...head(2),
        secret,
        call("withDirectory", {
          path: location,
          source: { $ref: engine.makeId([call("directory")]), chain: [call("directory")] },
        }),
      ],
      [...head(3), mounted(result.file)],
      [...head(4), secret, mounted(result.file)],
    ])
    expect(runs.map((chain) => chain.at(-1)!.args.expect)).to.deep.equal(["ANY", "ANY", "ANY", "ANY"])
    expect(engine.evaluationsOf("export").map((e) => [e.chain.slice(-2), e.leaf.args.path])).to.deep.equal([
      [[runs[1]!.at(-1)!, call("file", { path: partial })], partial],
    ])
    expect(engine.rawQueries.filter((q) => q.includes(CANARY))).to.deep.equal([])
    expect(findCalls(runs.flat(), "withEnvVariable").filter((c) => c.args.name === "PGPASSWORD")).to.deep.equal([])
  })

  it("exports nothing when the command fails, and refuses what it cannot do under Dagger", async () => {
    const hook = runPostgresLocally()
    engine.hook = (event) => (event.leaf.field === "exitCode" ? 1 : hook(event))
    let outcome: { failed: ExecResult; errors: string[] } | undefined
    await connection(async () => {
      const executor = daggerPostgresExecutor({ secrets: {}, runId: "run-8", workdir: dir })
      const failed = await executor.run(["pg_dump", `--file=${join(dir, "x.dump")}`], {
        outputFiles: [join(dir, "x.dump")],
      })
      const errors = await Promise.all([
        executor.run(["pg_dump"], { secretEnv: ["PGPASSWORD"] }).catch((e: Error) => e.message),
        executor.run(["pg_restore", "/etc/passwd"], { inputFiles: ["/etc/passwd"] }).catch((e: Error) => e.message),
        executor.run(["pg_dump"], { stdoutFile: join(dir, "y") }).catch((e: Error) => e.message),
      ])
      outcome = { failed, errors: errors.map(String) }
    })
    if (!outcome) expect.fail("nothing ran")
    expect(outcome.failed.exitCode).to.equal(1)
    expect(engine.evaluationsOf("export")).to.deep.equal([])
    expect(outcome.errors).to.deep.equal([
      "the command needs secret PGPASSWORD, which this environment does not name under secrets:",
      `/etc/passwd is outside the module's working directory ${dir}; under Dagger a file shared with a container must be under it (currentModule().workdirFile), so write it there`,
      `pg_dump under Dagger cannot stream stdout into ${join(dir, "y")}; have it write the file itself (pg_dump --file=) and name it in outputFiles`,
    ])
  })
})
