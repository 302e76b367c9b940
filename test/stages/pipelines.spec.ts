/**
 * The build stages as `dagger call` runs them: the real entrypoint, against the recording engine.
 * Assertions are on the recorded pipeline: images, mounts, services, platforms, exec args, secrets.
 */
import { expect } from "chai"
import { IMAGES } from "../../core/constants.js"
import { lintToolChecks, testEnvironment, testStageExecs } from "../../core/stages/commands.js"
import { scanDbDay } from "../../core/stages/scan.js"
import { type Chain, type Ref, call, describeChain, findCalls, isRef } from "../harness/chain.js"
import { execError } from "../harness/engine-errors.js"
import { runEntrypoint } from "../harness/entrypoint-process.js"
import { runFunction, warmReplica } from "../harness/entrypoint.js"
import { type RecordingEngine, startRecordingEngine } from "../harness/recording-engine.js"
import { DJANGO_APP, appInputs, firstOf, serveTree, shippedTree } from "../helpers/dagger.js"
import { shippedEnvironment } from "../helpers/environments.js"
import { ROOT } from "../helpers/paths.js"

const execArgs = (chain: Chain) => findCalls(chain, "withExec").map((c) => c.args.args as string[])
const topIndex = (chain: Chain, field: string, match: (args: Record<string, unknown>) => boolean = () => true) =>
  chain.findIndex((c) => c.field === field && match(c.args))
const ref = (value: unknown): Ref => {
  if (!isRef(value)) throw new Error(`expected an object reference, got ${JSON.stringify(value)}`)
  return value
}
const CANARY = "canary-registry-password-7f3a9c"

describe("build stages through the module entrypoint", function () {
  this.timeout(120_000)
  let engine: RecordingEngine
  const environments = () => serveTree(shippedTree())

  before(warmReplica(ROOT))
  before(async () => {
    engine = await startRecordingEngine()
  })
  after(() => engine.stop())
  beforeEach(() => {
    engine.reset()
    engine.hook = environments()
  })

  it("test: binds postgres:17.2 on tmpfs, memcached and rabbitmq before the test exec; deps before source; returns /reports", async () => {
    const result = await runFunction(engine, { moduleRoot: ROOT, fn: "test", constructorArgs: appInputs(engine) })
    expect(result.exitCode, result.stderr).to.equal(0)
    const chain = result.valueChain!
    expect(chain.at(-1)).to.deep.equal(call("directory", { path: "/reports" }))
    expect(chain.slice(0, 2)).to.deep.equal([call("container"), call("from", { address: IMAGES.python })])

    const bindings = chain.filter((c) => c.field === "withServiceBinding")
    expect(bindings.map((b) => b.args.alias)).to.deep.equal(["db", "cache", "queue"])
    const db = ref(bindings[0]!.args.service).chain
    expect(describeChain(db)).to.equal(
      `container.from(address: "postgres:17.2").withEnvVariable(name: "POSTGRES_HOST_AUTH_METHOD", value: "trust").withEnvVariable(name: "POSTGRES_DB", value: "app")` +
        `.withMountedTemp(path: "/var/lib/postgresql/data").withExposedPort(port: 5432).asService(useEntrypoint: true)`,
    )
    expect(findCalls(ref(bindings[1]!.args.service).chain, "from")[0]!.args.address).to.equal(IMAGES.memcached)
    expect(findCalls(ref(bindings[2]!.args.service).chain, "from")[0]!.args.address).to.equal(IMAGES.rabbitmq)

    const lastBinding = chain.lastIndexOf(bindings[2]!)
    const testExec = topIndex(chain, "withExec", (a) => String((a.args as string[])[2]).includes("manage.py test"))
    const pipInstall = topIndex(chain, "withExec", (a) => String((a.args as string[])[2]).includes("pip install"))
    const sourceCopy = topIndex(
      chain,
      "withDirectory",
      (a) => findCalls(ref(a.source).chain, "filter")[0]?.args.exclude !== undefined,
    )
    const depsCopy = topIndex(
      chain,
      "withDirectory",
      (a) => findCalls(ref(a.source).chain, "filter")[0]?.args.include !== undefined,
    )
    expect([depsCopy, pipInstall, sourceCopy, lastBinding, testExec].every((i) => i >= 0)).to.equal(true)
    expect(depsCopy).to.be.below(pipInstall)
    expect(pipInstall).to.be.below(sourceCopy)
    expect(lastBinding).to.be.below(testExec)
    expect(describeChain(ref(chain[depsCopy]!.args.source).chain)).to.equal(
      `host.directory(path: "${DJANGO_APP}").filter(include: ["requirements*.txt"])`,
    )
    expect(findCalls(chain, "withMountedCache")[0]!.args.path).to.equal("/root/.cache/pip")

    const execs = execArgs(chain).map((args) => args.join(" "))
    expect(execs.findIndex((e) => e.includes("pg_isready"))).to.be.below(
      execs.findIndex((e) => e.includes("makemigrations --check")),
    )
    expect(execs.at(-1)).to.include("coverage xml -o /reports/coverage.xml")
    expect(
      chain.filter((c) => c.field === "withEnvVariable" && c.args.name === "TEST_OUTPUT_DIR").map((c) => c.args.value),
    ).to.deep.equal(["/reports/junit"])
    expect(
      chain
        .filter((c) => c.field === "withEnvVariable" && c.args.name === "DJANGO_SETTINGS_MODULE")
        .map((c) => c.args.value),
    ).to.deep.equal(["config.settings.testing"])

    // What test-real-app.spec.ts runs on the host is exactly what was sent: the builders' argv and env.
    const { config } = shippedEnvironment("testing")
    expect(execArgs(chain).slice(-3)).to.deep.equal(testStageExecs(config.tests))
    const sentEnv = chain.filter((c) => c.field === "withEnvVariable")
    expect(Object.fromEntries(sentEnv.map((c) => [c.args.name, c.args.value]))).to.deep.equal(
      testEnvironment(config.app.settings_module),
    )
  })

  it("test: a failing exec fails the call with the tail of its stderr, not a stack trace", async () => {
    const stderr = [
      "Creating test database for alias 'default'...",
      ...Array.from({ length: 30 }, (_, i) => `FAIL: test_${i} (core.tests.HealthTests)`),
      "FAILED (failures=30)",
    ].join("\n")
    engine.hook = firstOf(environments(), ({ leaf }) => {
      if (leaf.field === "sync")
        throw execError({ cmd: ["sh", "-c", "set -eu\nmkdir -p /reports/junit"], exitCode: 1, stderr })
      return undefined
    })
    const result = await runFunction(engine, { moduleRoot: ROOT, fn: "test", constructorArgs: appInputs(engine) })
    expect(result.exitCode).to.equal(1)
    expect(result.error!.message).to.equal(
      [
        "test failed: `sh -c set -eu\nmkdir -p /reports/junit` exited 1",
        "… 12 earlier lines",
        ...Array.from({ length: 19 }, (_, i) => `FAIL: test_${i + 11} (core.tests.HealthTests)`),
        "FAILED (failures=30)",
      ].join("\n"),
    )
    expect(result.error!.message).to.not.match(/^\s+at /m)
  })

  it("build-multi-arch: one image per platform, from the Dockerfile's production target, with OCI labels", async () => {
    const result = await runFunction(engine, {
      moduleRoot: ROOT,
      fn: "buildMultiArch",
      constructorArgs: appInputs(engine),
      args: { version: "1.4.2", revision: "abc123" },
    })
    expect(result.exitCode, result.stderr).to.equal(0)
    const images = (result.value as string[]).map((id) => engine.resolve(id))
    expect(images.map((chain) => findCalls(chain, "dockerBuild")[0]!.args.platform)).to.deep.equal([
      "linux/amd64",
      "linux/arm64",
    ])
    const build = findCalls(images[0]!, "dockerBuild")[0]!.args
    expect(build.target).to.equal("production")
    expect(build.buildArgs).to.deep.equal([
      { name: "PYTHON_IMAGE", value: IMAGES.python },
      { name: "VERSION", value: "1.4.2" },
      { name: "REVISION", value: "abc123" },
    ])
    expect(findCalls(images[1]!, "withLabel").map((c) => [c.args.name, c.args.value])).to.deep.equal([
      ["org.opencontainers.image.source", "unknown"],
      ["org.opencontainers.image.revision", "abc123"],
      ["org.opencontainers.image.created", "1970-01-01T00:00:00Z"],
      ["org.opencontainers.image.version", "1.4.2"],
    ])
  })

  it("publish: one push with exactly two platform variants, the digest returned, the password never in a query", async () => {
    const password = engine.makeId([call("setSecret", { name: "registry-password", plaintext: CANARY })])
    const address = "registry.example.com/acme/webapp:1.4.2"
    const result = await runFunction(engine, {
      moduleRoot: ROOT,
      fn: "publish",
      constructorArgs: appInputs(engine),
      args: { address, username: "ci", password },
    })
    expect(result.exitCode, result.stderr).to.equal(0)
    expect(result.value).to.match(/^registry\.example\.com\/acme\/webapp:1\.4\.2@sha256:[a-f0-9]{64}$/)
    const publishes = engine.evaluationsOf("publish")
    expect(publishes).to.have.length(1)
    const [push] = publishes
    expect(push!.leaf.args.address).to.equal(address)
    const variants = (push!.leaf.args.platformVariants as unknown[]).map((v) => ref(v).chain)
    expect(variants.map((chain) => findCalls(chain, "dockerBuild")[0]!.args.platform)).to.deep.equal([
      "linux/amd64",
      "linux/arm64",
    ])
    expect(push!.chain).to.deep.equal([
      call("container"),
      call("withRegistryAuth", {
        address: "registry.example.com",
        username: "ci",
        secret: { $ref: password, chain: [call("setSecret", { name: "registry-password", plaintext: CANARY })] },
      }),
    ])
    expect(engine.rawQueries.filter((q) => q.includes(CANARY))).to.deep.equal([])
  })

  it("scan --env production: severity and exit-code flags from the config; reports as Files; check fails above the threshold", async () => {
    const days = [scanDbDay(new Date())]
    const scan = await runFunction(engine, {
      moduleRoot: ROOT,
      fn: "scan",
      constructorArgs: appInputs(engine),
      args: { env: "production" },
    })
    days.push(scanDbDay(new Date()))
    expect(scan.exitCode, scan.stderr).to.equal(0)
    const state = scan.value as { scanner: string; targets: string[]; severity: string[]; ignoreUnfixed: boolean }
    expect(state).to.deep.include({
      targets: ["linux/amd64", "linux/arm64", "source"],
      severity: ["CRITICAL", "HIGH", "MEDIUM"],
      ignoreUnfixed: false,
    })
    const scanner = engine.resolve(state.scanner)
    expect(scanner.slice(0, 2)).to.deep.equal([call("container"), call("from", { address: IMAGES.trivy })])
    expect(findCalls(scanner, "withMountedCache")[0]!.args.path).to.equal("/root/.cache/trivy")
    // The day keys the scan's cache, so an unchanged source is scanned again against a newer database.
    const dayKey = scanner.findIndex((c) => c.field === "withEnvVariable" && c.args.name === "TRIVY_DB_DAY")
    expect(days).to.include(scanner[dayKey]!.args.value)
    expect(dayKey).to.be.below(scanner.findIndex((c) => c.field === "withExec"))
    expect(execArgs(scanner).map((a) => a.slice(0, 2).concat(a.slice(-1)).join(" "))).to.deep.equal([
      "trivy image /images/image-linux-amd64.tar",
      "trivy convert /reports/image-linux-amd64.json",
      "trivy image /images/image-linux-arm64.tar",
      "trivy convert /reports/image-linux-arm64.json",
      "trivy fs /src",
      "trivy convert /reports/source.json",
    ])

    const gate =
      (exitFor: string) =>
      ({ chain, leaf }: { chain: Chain; leaf: { field: string } }) => {
        const last = chain.at(-1)
        const args = last?.field === "withExec" ? (last.args.args as string[]) : []
        if (args[1] !== "convert" || args[3] !== "table") return undefined
        const failing = args.at(-1) === `/reports/${exitFor}.json`
        if (leaf.field === "exitCode") return failing ? 1 : 0
        if (leaf.field === "stdout") return failing ? "libssl3  CVE-2024-0001  HIGH  fixed in 3.0.14" : ""
        return undefined
      }
    engine.hook = gate("image-linux-arm64")
    const check = await runEntrypoint(engine, {
      moduleRoot: ROOT,
      invocation: {
        moduleName: "deploy-pipeline",
        parentName: "ScanReport",
        name: "check",
        parent: state,
        inputArgs: {},
      },
    })
    expect(check.exitCode).to.equal(1)
    expect(check.returnError!.message).to.equal(
      [
        "scan: 1 of 3 checks failed",
        "  ok   trivy linux/amd64 (CRITICAL,HIGH,MEDIUM)",
        "  FAIL trivy linux/arm64 (CRITICAL,HIGH,MEDIUM) (exit 1)",
        "    libssl3  CVE-2024-0001  HIGH  fixed in 3.0.14",
        "  ok   trivy source (CRITICAL,HIGH,MEDIUM)",
      ].join("\n"),
    )
    const gates = engine.evaluationsOf("exitCode").map((e) => (e.chain.at(-1)!.args.args as string[]).join(" "))
    expect(gates).to.include(
      "trivy convert --format table --severity CRITICAL,HIGH,MEDIUM --exit-code 1 /reports/image-linux-arm64.json",
    )

    engine.hook = undefined
    const sarif = await runEntrypoint(engine, {
      moduleRoot: ROOT,
      invocation: {
        moduleName: "deploy-pipeline",
        parentName: "ScanReport",
        name: "sarif",
        parent: state,
        inputArgs: { target: "source" },
      },
    })
    expect(sarif.exitCode, sarif.stderr).to.equal(0)
    expect(engine.resolve(sarif.returnValue as string).at(-1)).to.deep.equal(
      call("file", { path: "/reports/source.sarif" }),
    )
  })

  it("lint: one report, and a failed call when any check finds a problem", async () => {
    engine.hook = firstOf(environments(), ({ chain, leaf }) => {
      const args = chain.at(-1)?.field === "withExec" ? (chain.at(-1)!.args.args as string[]) : []
      if (args[1] === "check" && leaf.field === "exitCode") return 1
      if (args[1] === "check" && leaf.field === "stdout")
        return "core/views.py:3:8: F401 [*] `os` imported but unused\nFound 1 error."
      if (leaf.field === "stdout") return args[1] === "format" ? "12 files already formatted" : ""
      return undefined
    })
    const result = await runFunction(engine, { moduleRoot: ROOT, fn: "lint", constructorArgs: appInputs(engine) })
    expect(result.exitCode).to.equal(1)
    expect(result.error!.message).to.equal(
      [
        "lint: 1 of 4 checks failed",
        "  FAIL ruff check (exit 1)",
        "    core/views.py:3:8: F401 [*] `os` imported but unused",
        "    Found 1 error.",
        "  ok   ruff format --check",
        "    12 files already formatted",
        "  ok   hadolint Dockerfile",
        "  ok   environments config",
      ].join("\n"),
    )
    // What lint-real-app.spec.ts runs on the host is exactly what was sent.
    expect(engine.evaluationsOf("exitCode").map((e) => e.chain.at(-1)!.args.args)).to.have.deep.members(
      lintToolChecks().map((c) => c.argv),
    )
    const ruff = engine
      .evaluationsOf("exitCode")
      .find((e) => (e.chain.at(-1)!.args.args as string[])[1] === "check")!.chain
    expect(describeChain(ref(findCalls(ruff, "withMountedDirectory")[0]!.args.source).chain)).to.equal(
      `host.directory(path: "${DJANGO_APP}").filter(include: ["**/*.py", "pyproject.toml", "ruff.toml", ".ruff.toml"])`,
    )
    const hadolint = engine
      .evaluationsOf("exitCode")
      .find((e) => (e.chain.at(-1)!.args.args as string[])[0] === "hadolint")!.chain
    expect(describeChain(ref(findCalls(hadolint, "withMountedDirectory")[0]!.args.source).chain)).to.equal(
      `host.directory(path: "${DJANGO_APP}").filter(include: ["Dockerfile", ".hadolint.yaml", ".hadolint.yml"])`,
    )
  })

  it("ci: runs the four stages concurrently and names every stage that failed", async () => {
    engine.hook = firstOf(environments(), ({ chain, leaf }) => {
      const args = chain.at(-1)?.field === "withExec" ? (chain.at(-1)!.args.args as string[]) : []
      if (
        leaf.field === "exitCode" &&
        (args[0] === "hadolint" || (args[1] === "convert" && args.at(-1) === "/reports/source.json"))
      )
        return 1
      if (leaf.field === "stdout" && args[0] === "hadolint")
        return "/src/Dockerfile:12 DL3008 warning: Pin versions in apt get install"
      if (leaf.field === "stdout" || leaf.field === "stderr") return ""
      if (leaf.field === "entries")
        return chain.at(-1)?.args.path === "/reports" ? ["coverage.xml", "junit/"] : undefined
      return undefined
    })
    const result = await runFunction(engine, {
      moduleRoot: ROOT,
      fn: "ci",
      constructorArgs: appInputs(engine),
      args: { env: "staging" },
    })
    expect(result.exitCode).to.equal(1)
    const message = result.error?.message ?? ""
    expect(message.split("\n")[0]).to.equal("ci: 2 of 4 stages failed (lint, scan)")
    expect(message).to.include("[FAILED] lint\n    lint: 1 of 4 checks failed")
    expect(message).to.include(
      "FAIL hadolint Dockerfile (exit 1)\n        /src/Dockerfile:12 DL3008 warning: Pin versions in apt get install",
    )
    expect(message).to.include("[FAILED] scan\n    scan: 1 of 3 checks failed")
    expect(message).to.include("[ok] test\n    reports: coverage.xml, junit/")
    expect(message).to.include("[ok] build\n    built 2 platform images: linux/amd64, linux/arm64")
  })
})
