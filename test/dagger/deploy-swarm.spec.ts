/**
 * The swarm driver's Dagger path, through the real module entrypoint against the recording
 * engine: `docker stack deploy` runs in the docker-cli container with DOCKER_HOST set, the stack
 * file in a plain variable (it names secrets, never values them) and the secrets as Dagger
 * Secrets; the gate probes each task by its DNS name; the switch makes HAProxy's template for
 * tasks.<service> ready through its runtime API.
 */
import { expect } from "chai"
import { readFileSync } from "node:fs"
import { join } from "node:path"
import { stringify } from "yaml"
import { IMAGES } from "../../core/constants.js"
import { STACK_ENV, stackDeploy } from "../../core/docker/stack.js"
import { type Chain, call, findCalls } from "../harness/chain.js"
import { runFunction, warmReplica } from "../harness/entrypoint.js"
import { type RecordingEngine, startRecordingEngine } from "../harness/recording-engine.js"
import { serveTree } from "../helpers/dagger.js"
import { ENVIRONMENTS, ROOT } from "../helpers/paths.js"
import { type ScratchDatabase, createScratchDatabase } from "../helpers/postgres.js"

const DIGEST = `sha256:${"cd".repeat(32)}`
const IMAGE = `registry.example.com/acme/webapp@${DIGEST}`
const DIR = "/ci/environments"
const argvOf = (chain: Chain): string[] =>
  chain.at(-1)?.field === "withExec" ? (chain.at(-1)!.args.args as string[]) : []

describe("Dagger deploy with the swarm driver", function () {
  this.timeout(120_000)
  let engine: RecordingEngine
  let db: ScratchDatabase

  before(warmReplica(ROOT))
  before(async () => {
    engine = await startRecordingEngine()
    db = await createScratchDatabase("daggerswarm")
  })
  after(async () => {
    await engine.stop()
    await db.drop()
  })

  it("deploys the colour's stack from inside a docker-cli container on the tcp:// host and routes the proxy to tasks.<service>", async () => {
    const remote = {
      tier: "testing",
      app: { name: "webapp" },
      deploy: {
        driver: "swarm",
        docker_host: "tcp://swarm.example.com:2376",
        tls: { ca: "env:DOCKER_CA", cert: "env:DOCKER_CERT", key: "env:DOCKER_KEY" },
      },
      runtime: { replicas: 2 },
      health: { interval: "100ms", timeout: "1s", healthy_threshold: 1, start_deadline: "5s", watch: "300ms" },
      // Preflight probes the cache and the broker too: the real local ones.
      services: {
        postgres: { host: "127.0.0.1", port: 5432, user: "postgres", database: db.name },
        memcached: { host: "127.0.0.1", port: 11211 },
        rabbitmq: { host: "127.0.0.1", port: 5672, user: "guest", vhost: "/" },
      },
      ledger: { database: db.name },
      notify: { enabled: false },
      secrets: { SECRET_KEY: "env:DJANGO_SECRET_KEY", RABBITMQ_PASSWORD: "env:DP_TEST_RABBITMQ_PASSWORD" },
    }
    const served = serveTree({
      [`${DIR}/base.yaml`]: readFileSync(join(ENVIRONMENTS, "base.yaml"), "utf8"),
      [`${DIR}/swarm.yaml`]: stringify(remote),
    })
    const probed: string[] = []
    engine.hook = (event) => {
      const file = served(event)
      if (file !== undefined) return file
      const { chain, leaf } = event
      if (leaf.field === "plaintext") return "guest"
      const argv = argvOf(chain)
      const joined = argv.join(" ")
      const answer = (exitCode: number, stdout = "", stderr = "") =>
        ({ exitCode, stdout, stderr })[leaf.field as "exitCode" | "stdout" | "stderr"]
      if (argv[0] === "sh" && joined.includes("docker stack deploy"))
        return answer(0, "Creating service webapp-swarm-blue_web\n")
      if (argv[0] !== "docker") return undefined
      if (argv[1] === "version") return answer(0, "27.4.1\n")
      if (argv[1] === "info") return answer(0, "active true\n")
      if (joined.includes("{{.Config.User}}")) return answer(0, "10001\n")
      if (argv[1] === "ps" || (argv[1] === "service" && argv[2] === "ls")) return answer(0, "")
      if (argv[1] === "service" && argv[2] === "ps")
        return answer(
          0,
          argv.includes("desired-state=running")
            ? "webapp-swarm-blue_web.1\tt1\tRunning 2 seconds ago\t\nwebapp-swarm-blue_web.2\tt2\tRunning 1 second ago\t\n"
            : "",
        )
      if (argv[1] === "network" && argv[2] === "inspect") return answer(1, "", "Error: No such network")
      if (argv[1] === "container" && argv[2] === "inspect") return answer(1, "", "Error: No such container")
      if (joined.includes("/handle/0")) return answer(1, "", "wget: can't connect")
      const health = argv.find((a) => a.endsWith("/health/"))
      if (health) {
        if (leaf.field === "exitCode") probed.push(health)
        return answer(
          0,
          JSON.stringify({ status: "healthy", version: "cdcdcdcdcdcd", timestamp: "2026-11-29T00:00:00Z" }),
          "  HTTP/1.1 200 OK\n",
        )
      }
      return answer(0, "")
    }
    const environments = engine.makeId([call("host"), call("directory", { path: DIR })])
    const result = await runFunction(engine, {
      moduleRoot: ROOT,
      fn: "deploy",
      constructorArgs: { environments },
      args: { env: "swarm", image: IMAGE },
    })
    expect(result.exitCode, `${result.stderr}\n${result.error?.message ?? ""}`).to.equal(0)
    expect(result.value).to.match(/^deploy #1 succeeded: .* is live in swarm \(blue\) \(\d+\.\d s\)$/)

    const runs = engine
      .evaluationsOf("exitCode")
      .map((e) => e.chain)
      .filter((chain) => ["docker", "sh"].includes(argvOf(chain)[0]!))
    for (const chain of runs) {
      expect(chain.slice(0, 3)).to.deep.equal([
        call("container"),
        call("from", { address: IMAGES.dockerCli }),
        call("withEnvVariable", { name: "DOCKER_HOST", value: "tcp://swarm.example.com:2376" }),
      ])
    }
    const argvs = runs.map(argvOf)
    expect(argvs).to.deep.include([
      "docker",
      "network",
      "create",
      "--driver",
      "overlay",
      "--attachable",
      "--label",
      "deploy-pipeline.project=webapp-swarm",
      "webapp-swarm-net",
    ])
    const deployRun = runs.find((chain) => argvOf(chain)[0] === "sh")!
    expect(argvOf(deployRun)).to.deep.equal(stackDeploy("webapp-swarm-blue"))
    const stack = JSON.parse(
      findCalls(deployRun, "withEnvVariable").find((c) => c.args.name === STACK_ENV)!.args.value as string,
    )
    expect(stack.services.web.image).to.equal(IMAGE)
    expect(stack.services.web.deploy).to.deep.include({ replicas: 2, endpoint_mode: "dnsrr" })
    expect(stack.services.web.environment).to.include("SECRET_KEY")
    expect(
      findCalls(deployRun, "withSecretVariable").map((c) => [c.args.name, (c.args.secret as { chain: Chain }).chain]),
    ).to.deep.equal([
      ["SECRET_KEY", [call("secret", { uri: "env://DJANGO_SECRET_KEY" })]],
      ["RABBITMQ_PASSWORD", [call("secret", { uri: "env://DP_TEST_RABBITMQ_PASSWORD" })]],
    ])

    expect([...new Set(probed.filter((url) => !url.includes("127.0.0.1")))].sort()).to.deep.equal([
      "http://webapp-swarm-blue_web.1.t1:8000/health/",
      "http://webapp-swarm-blue_web.2.t2:8000/health/",
    ])
    // The switch: the blue template's slots ready through HAProxy's runtime API, and the same route saved.
    const envOf = (name: string) =>
      runs
        .map((chain) => findCalls(chain, "withEnvVariable").find((c) => c.args.name === name)?.args.value as string)
        .filter(Boolean)
    const [commands] = envOf("HAPROXY_COMMANDS")
    expect(commands!.split(/\n|; /).filter((c) => c.endsWith("state ready"))).to.deep.equal(
      Array.from({ length: 50 }, (_, i) => `set server live/blue${i + 1} state ready`),
    )
    const saved = envOf("HAPROXY_CONFIG").at(-1)!
    expect(saved).to.include(
      "  server-template blue 1-50 tasks.webapp-swarm-blue_web:8000 resolvers docker resolve-prefer ipv4 init-addr none\n",
    )
  })
})
