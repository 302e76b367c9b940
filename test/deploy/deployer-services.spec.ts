/** The deployer's view of the services, and the engine endpoints it comes from: exact outputs. */
import { expect } from "chai"

import { deployerServices, deployerView, describeReach, parseEndpoint } from "../../core/deploy/deployer-services.js"

const SERVICES = {
  postgres: { host: "db.internal", port: 5432, user: "webapp", database: "webapp", version: 15 },
  memcached: { host: "cache.internal", port: 11211 },
  rabbitmq: { host: "queue.internal", port: 5672, user: "webapp", vhost: "/" },
} as unknown as Parameters<typeof deployerServices>[0]
/** A database on the Docker host's loopback, which the app's containers reach as db.internal. */
const VIEWED = { ...SERVICES, postgres: { ...SERVICES.postgres, deployer: { host: "127.0.0.1" } } } as Parameters<
  typeof deployerServices
>[0]

describe("deploy/deployer-services", () => {
  it("replaces only the reached services' host and port", () => {
    expect(deployerServices(SERVICES, { postgres: { host: "10.87.0.4", port: 15432 } })).to.deep.equal({
      postgres: { host: "10.87.0.4", port: 15432, user: "webapp", database: "webapp", version: 15 },
      memcached: { host: "cache.internal", port: 11211 },
      rabbitmq: { host: "queue.internal", port: 5672, user: "webapp", vhost: "/" },
    })
    expect(deployerServices(SERVICES)).to.deep.equal(SERVICES)
  })

  it("reads the engine's host:port endpoints, IPv6 included", () => {
    expect(parseEndpoint("postgres", "7vfh2lq3bkg2a.dagger.local:5432")).to.deep.equal({
      host: "7vfh2lq3bkg2a.dagger.local",
      port: 5432,
    })
    expect(parseEndpoint("rabbitmq", "[fd00::3]:5672")).to.deep.equal({ host: "fd00::3", port: 5672 })
  })

  it("refuses anything else, naming the service and the argument to fix", () => {
    expect(() => parseEndpoint("memcached", "tcp://cache:11211")).to.throw(
      'the memcached service\'s endpoint "tcp://cache:11211" is not host:port; pass --memcached as tcp://HOST:PORT (for a service on this machine: tcp://localhost:PORT)',
    )
    expect(() => parseEndpoint("postgres", "db:70000")).to.throw(
      'the postgres service\'s endpoint "db:70000" is not host:port',
    )
  })

  it("says, for each reached service, which address the app uses, which this deploy uses, and where that comes from", () => {
    expect(
      describeReach(SERVICES, { postgres: { host: "127.0.0.1", port: 5432 }, rabbitmq: { host: "svc-1", port: 5672 } }),
    ).to.deep.equal([
      "postgres: the app uses db.internal:5432; this deploy reaches it at 127.0.0.1:5432 (deployer view, from --postgres)",
      "rabbitmq: the app uses queue.internal:5672; this deploy reaches it at svc-1:5672 (deployer view, from --rabbitmq)",
    ])
    expect(describeReach(VIEWED, {})).to.deep.equal([
      "postgres: the app uses db.internal:5432; this deploy reaches it at 127.0.0.1:5432 (deployer view, from services.postgres.deployer)",
    ])
  })

  it("takes a host service first, then services.<name>.deployer (its port defaulting to the service's), then services.<name>", () => {
    expect(deployerView(VIEWED, "postgres", { postgres: { host: "svc-2", port: 15432 } })).to.deep.equal({
      host: "svc-2",
      port: 15432,
      source: "host-service",
    })
    expect(deployerView(VIEWED, "postgres")).to.deep.equal({ host: "127.0.0.1", port: 5432, source: "deployer" })
    expect(
      deployerView(
        { ...VIEWED, postgres: { ...VIEWED.postgres, deployer: { host: "127.0.0.1", port: 6432 } } },
        "postgres",
      ),
    ).to.deep.equal({ host: "127.0.0.1", port: 6432, source: "deployer" })
    expect(deployerView(VIEWED, "memcached")).to.deep.equal({ host: "cache.internal", port: 11211, source: "services" })
    expect(deployerServices(VIEWED).postgres).to.deep.equal({
      host: "127.0.0.1",
      port: 5432,
      user: "webapp",
      database: "webapp",
      version: 15,
      deployer: { host: "127.0.0.1" },
    })
  })
})
