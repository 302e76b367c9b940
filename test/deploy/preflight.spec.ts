/**
 * Preflight's service checks: the app's Postgres, Memcached and RabbitMQ probed concurrently
 * before anything changes. On the real engine with the real services: an app database that does
 * not answer refuses the deploy with nothing changed and the ledger row failed at preflight; a
 * Memcached nobody listens on is a warning on a deploy that goes on.
 */
import { expect } from "chai"
import { execFileSync } from "node:child_process"
import { deploy } from "../../core/deploy/deploy.js"
import { DeployError } from "../../core/deploy/errors.js"
import { readHistory } from "../../core/deploy/inspect.js"
import { servicesFailure } from "../../core/deploy/preflight.js"
import { freePort } from "../helpers/deploy-env.js"
import { type DeployFixture, deployFixture } from "../helpers/deploy-fixture.js"

describe("deploy/preflight", function () {
  this.timeout(120_000)

  it("says which services did not answer, what follows, how hard they were tried, and what to check", () => {
    expect(
      servicesFailure(
        [
          {
            service: "memcached",
            target: "memcached://cache:11211",
            ok: false,
            ms: 2004,
            attempts: 4,
            error: "connect ECONNREFUSED",
          },
        ],
        "so nothing was changed",
      ),
    ).to.equal(
      [
        "memcached did not answer, so nothing was changed:",
        "  memcached://cache:11211: connect ECONNREFUSED (4 attempts in 2004 ms)",
        "next: check that the service runs and that this deploy reaches it at the address above (the ledger and notifications use the same): services.<name>.deployer where set, else services.<name>, or under Dagger --<name>; and the credentials named under secrets:",
      ].join("\n"),
    )
  })

  describe("on the real Docker engine and services", () => {
    let f: DeployFixture
    const containers = () =>
      execFileSync(
        "docker",
        ["ps", "-aq", "--filter", `label=deploy-pipeline.project=${f.env.config.app.name}-${f.env.name}`],
        { encoding: "utf8" },
      )
        .trim()
        .split("\n")
        .filter(Boolean)
        .sort()
    before(async () => (f = await deployFixture("preflight")))
    after(async () => f?.cleanup())

    it("refuses a deploy whose app database does not answer, before anything exists on the host", async () => {
      const env = {
        ...f.env,
        config: {
          ...f.env.config,
          services: {
            ...f.env.config.services,
            postgres: { ...f.env.config.services.postgres, database: "dp_no_such_database" },
          },
        },
      }
      let error: unknown
      try {
        await deploy({ env, image: f.images.app.v1!, version: "v1", requestedBy: "spec" }, await f.engine(env))
      } catch (e) {
        error = e
      }
      expect(error).to.be.instanceOf(DeployError)
      expect((error as DeployError).code).to.equal("preflight")
      expect((error as Error).message).to.match(
        /^postgres did not answer, so nothing was changed:\n  .*dp_no_such_database.*: database "dp_no_such_database" does not exist \(3D000\) \(\d+ attempts? in \d+ ms\)\nnext: /,
      )
      expect(containers()).to.deep.equal([])
      const [last] = await readHistory(f.env, await f.engine(), 1)
      expect(last).to.deep.include({ result: "failed" })
      expect(last!.phases.map((p) => [p.step, p.detail])).to.deep.equal([
        ["preflight", "failed: postgres did not answer, so nothing was changed:"],
      ])
    })

    it("records the services' answer times; a Memcached that does not answer is a warning on a deploy that goes on", async () => {
      const ok = await deploy(
        { env: f.env, image: f.images.app.v1!, version: "v1", requestedBy: "spec" },
        await f.engine(),
      )
      expect(ok.warnings).to.deep.equal([])
      const [first] = await readHistory(f.env, await f.engine(), 1)
      expect(first!.phases[0]!.detail).to.match(
        /^docker \S+, image present; postgres \d+ ms, memcached \d+ ms, rabbitmq \d+ ms$/,
      )

      const closed = await freePort()
      const env = {
        ...f.env,
        config: {
          ...f.env.config,
          services: { ...f.env.config.services, memcached: { host: "127.0.0.1", port: closed } },
        },
      }
      const outcome = await deploy(
        { env, image: f.images.app.v2!, version: "v2", requestedBy: "spec" },
        await f.engine(env),
      )
      expect(outcome.result).to.equal("succeeded")
      expect(outcome.warnings).to.have.length(1)
      expect(outcome.warnings[0]).to.match(
        new RegExp(
          `^memcached did not answer, the deploy goes on: the app's /health/ at the gate decides whether it serves without them:\\n  .*127\\.0\\.0\\.1:${closed}.*\\(\\d+ attempts? in \\d+ ms\\)\\nnext: `,
        ),
      )
      const [last] = await readHistory(f.env, await f.engine(), 1)
      expect(last!.phases[0]!.detail).to.match(
        /^docker \S+, image present; postgres \d+ ms, memcached no answer, rabbitmq \d+ ms$/,
      )
      expect(await f.serving()).to.equal("v2")
    })
  })

  describe("with services.* as only the app's containers name them (db, cache, queue)", () => {
    let f: DeployFixture
    before(async () => (f = await deployFixture("preflightview")))
    after(async () => f?.cleanup())

    it("the ledger, preflight and notifications reach each service through services.<name>.deployer, the app keeps services.*", async () => {
      const { postgres, memcached, rabbitmq } = f.env.config.services
      const at = (host: string, address: { host: string; port: number }) => ({
        host,
        deployer: { host: address.host, port: address.port },
      })
      const services = {
        ...f.env.config.services,
        postgres: { ...postgres, ...at("db", postgres) },
        memcached: { ...memcached, ...at("cache", memcached) },
        rabbitmq: { ...rabbitmq, ...at("queue", rabbitmq) },
      }
      const env = { ...f.env, config: { ...f.env.config, services } }
      const outcome = await deploy(
        { env, image: f.images.app.v1!, version: "v1", requestedBy: "spec" },
        await f.engine(env),
      )
      expect(outcome.result).to.equal("succeeded")
      // Notifications were delivered (a broker it could not reach would be a warning).
      expect(outcome.warnings).to.deep.equal([])
      const [record] = await readHistory(env, await f.engine(env), 1)
      expect(record!.phases[0]!.detail).to.match(
        /^docker \S+, image present; postgres \d+ ms, memcached \d+ ms, rabbitmq \d+ ms$/,
      )
      const name = execFileSync(
        "docker",
        [
          "ps",
          "-q",
          "--filter",
          `label=deploy-pipeline.project=${f.env.config.app.name}-${f.env.name}`,
          "--filter",
          "label=deploy-pipeline.role=web",
        ],
        { encoding: "utf8" },
      ).trim()
      const settings = execFileSync(
        "docker",
        ["inspect", "--format", "{{range .Config.Env}}{{println .}}{{end}}", name],
        { encoding: "utf8" },
      ).split("\n")
      expect(
        settings.filter((line) => /^(POSTGRES_HOST|MEMCACHED_LOCATION|RABBITMQ_HOST)=/.test(line)).sort(),
      ).to.deep.equal([`MEMCACHED_LOCATION=cache:${memcached.port}`, "POSTGRES_HOST=db", "RABBITMQ_HOST=queue"])
    })
  })
})
