/**
 * check-migrations through the module entrypoint: from a folder of SQL, and from the app itself
 * (showmigrations + sqlmigrate in the app's container, against the environment's database, with
 * its secrets as Dagger Secrets and no cache).
 */
import { expect } from "chai"
import { readFileSync } from "node:fs"
import { join } from "node:path"
import { type Chain, call, findCalls } from "../harness/chain.js"
import { runFunction, warmReplica } from "../harness/entrypoint.js"
import { type RecordingEngine, startRecordingEngine } from "../harness/recording-engine.js"
import { appInputs, firstOf, serveTree, shippedTree } from "../helpers/dagger.js"
import { FIXTURES, ROOT } from "../helpers/paths.js"

const ADD_INDEX = readFileSync(join(FIXTURES, "migrations", "corpus", "08_django_add_index.sql"), "utf8")
const NULLABLE = readFileSync(join(FIXTURES, "migrations", "corpus", "02_django_add_field_nullable.sql"), "utf8")

describe("check-migrations through the module entrypoint", function () {
  this.timeout(120_000)
  let engine: RecordingEngine

  before(warmReplica(ROOT))
  before(async () => {
    engine = await startRecordingEngine()
  })
  after(() => engine.stop())
  beforeEach(() => engine.reset())

  it("fails on error findings in a folder of sqlmigrate output, with the PostgreSQL version of the environment", async () => {
    engine.hook = firstOf(
      serveTree(shippedTree()),
      serveTree({ "/ci/pending/0002_add_index.sql": ADD_INDEX, "/ci/pending/0003_nullable.sql": NULLABLE }),
    )
    const migrations = engine.makeId([call("host"), call("directory", { path: "/ci/pending" })])
    const result = await runFunction(engine, {
      moduleRoot: ROOT,
      fn: "checkMigrations",
      constructorArgs: appInputs(engine),
      args: { env: "production", migrations },
    })
    expect(result.exitCode).to.equal(1)
    const lines = String(result.error?.message).split("\n")
    expect(lines[0]!).to.equal(
      "migrations/0002_add_index.sql:5 error create-index-not-concurrently (ShareLock on library_book)",
    )
    expect(lines.at(-1)).to.equal(
      "1 error, 4 warnings, 0 info (2 files, PostgreSQL 17.0, schema unknown); errors block staging and production unless overridden with a recorded reason.",
    )
  })

  it("asks the app for its pending migrations against the environment's database, uncached, with secrets as Secrets", async () => {
    engine.hook = firstOf(
      serveTree(shippedTree()),
      ({ chain, leaf }) => {
        if (chain.at(-1)?.field !== "directory" || chain.at(-1)?.args.path !== "/pending") return undefined
        if (leaf.field === "entries") return ["0001_library_0003_nullable.sql"]
        return undefined
      },
      ({ chain, leaf }) =>
        leaf.field === "contents" && chain.at(-1)?.args.path === "0001_library_0003_nullable.sql"
          ? NULLABLE
          : undefined,
    )
    const result = await runFunction(engine, {
      moduleRoot: ROOT,
      fn: "checkMigrations",
      constructorArgs: appInputs(engine),
      args: { env: "staging" },
    })
    expect(result.exitCode, result.stderr).to.equal(0)
    expect(String(result.value).split("\n").at(-1)).to.equal(
      "0 errors, 2 warnings, 0 info (1 file, PostgreSQL 17.0, schema unknown).",
    )
    const entries = engine.evaluationsOf("entries").find((e) => e.chain.at(-1)?.args.path === "/pending")!.chain
    const script = String((entries.at(-2)?.args.args as string[] | undefined)?.[2])
    expect(script).to.include("python manage.py showmigrations --plan --no-color")
    expect(script).to.include('python manage.py sqlmigrate "$app" "$name"')
    const env = (name: string) =>
      findCalls(entries, "withEnvVariable")
        .filter((c) => c.args.name === name)
        .map((c) => c.args.value)
    expect(env("DJANGO_SETTINGS_MODULE")).to.deep.equal(["config.settings.staging"])
    expect(env("POSTGRES_HOST")).to.deep.equal(["db"])
    expect(env("DEPLOY_PIPELINE_RUN")).to.have.length(1)
    expect(
      findCalls(entries, "withSecretVariable").map((c) => [c.args.name, (c.args.secret as { chain: Chain }).chain]),
    ).to.deep.equal([
      ["SECRET_KEY", [call("secret", { uri: "env://DJANGO_SECRET_KEY" })]],
      ["POSTGRES_PASSWORD", [call("secret", { uri: "env://POSTGRES_PASSWORD" })]],
      ["ALLOWED_HOSTS", [call("secret", { uri: "env://DJANGO_ALLOWED_HOSTS" })]],
    ])
  })
})
