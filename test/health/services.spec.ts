/**
 * probeServices against the real Postgres, Memcached and RabbitMQ on this machine, and against
 * closed loopback ports: one result per service, concurrently, within the deadline.
 */
import { expect } from "chai"
import type { EnvironmentConfig } from "../../core/config/schema.js"
import { probeServices } from "../../core/health/services.js"
import { shippedEnvironment } from "../helpers/environments.js"
import { closedPort, requireService } from "./support/net.js"

function withServices(services: EnvironmentConfig["services"]): EnvironmentConfig {
  return { ...shippedEnvironment("development").config, services }
}

describe("health/services", () => {
  before(async () => {
    await requireService("Postgres", 5432)
    await requireService("Memcached", 11211)
    await requireService("RabbitMQ", 5672)
  })

  it("checks all three live services once each", async () => {
    const config = withServices({
      postgres: { host: "127.0.0.1", port: 5432, database: "postgres", user: "postgres", version: 15 },
      memcached: { host: "127.0.0.1", port: 11211 },
      rabbitmq: { host: "127.0.0.1", port: 5672, vhost: "/", user: "guest" },
    })
    const checks = await probeServices(config, { rabbitmq: { password: "guest" } }, { deadlineMs: 5000 })
    expect(checks.map(({ ms: _ms, ...rest }) => rest)).to.deep.equal([
      { service: "postgres", target: "postgres://postgres@127.0.0.1:5432/postgres", ok: true, attempts: 1 },
      { service: "memcached", target: "memcached://127.0.0.1:11211", ok: true, attempts: 1 },
      { service: "rabbitmq", target: "amqp://guest@127.0.0.1:5672/", ok: true, attempts: 1 },
    ])
    for (const check of checks) expect(check.ms).to.be.below(2000)
  })

  it("retries dead services on the backoff schedule until the deadline, concurrently", async () => {
    const [pg, mc, mq] = [await closedPort(), await closedPort(), await closedPort()]
    const config = withServices({
      postgres: { host: "127.0.0.1", port: pg, database: "webapp", user: "webapp", version: 17 },
      memcached: { host: "127.0.0.1", port: mc },
      rabbitmq: { host: "127.0.0.1", port: mq, vhost: "/", user: "webapp" },
    })
    const started = Date.now()
    // attempts at about 0, 100 and 300 ms; the next would start at 700, past the 600 ms deadline
    const checks = await probeServices(
      config,
      {},
      { deadlineMs: 600, backoff: { intervalMs: 100, factor: 2, maxMs: 1000, jitter: 0 } },
    )
    const took = Date.now() - started
    expect(checks.map(({ ms: _ms, ...rest }) => rest)).to.deep.equal([
      {
        service: "postgres",
        target: `postgres://webapp@127.0.0.1:${pg}/webapp`,
        ok: false,
        attempts: 3,
        error: "connection refused (ECONNREFUSED)",
      },
      {
        service: "memcached",
        target: `memcached://127.0.0.1:${mc}`,
        ok: false,
        attempts: 3,
        error: "connection refused (ECONNREFUSED)",
      },
      {
        service: "rabbitmq",
        target: `amqp://webapp@127.0.0.1:${mq}/`,
        ok: false,
        attempts: 3,
        error: "connection refused (ECONNREFUSED)",
      },
    ])
    for (const check of checks) expect(check.ms).to.be.within(300, 600)
    expect(took, "the three ran at once").to.be.below(600)
  })

  it("reports live and failing services side by side", async () => {
    const mc = await closedPort()
    const config = withServices({
      postgres: { host: "127.0.0.1", port: 5432, database: "postgres", user: "postgres", version: 15 },
      memcached: { host: "127.0.0.1", port: mc },
      rabbitmq: { host: "127.0.0.1", port: 5672, vhost: "/", user: "guest" },
    })
    const checks = await probeServices(
      config,
      { rabbitmq: { password: "wrong" } },
      { deadlineMs: 250, backoff: { intervalMs: 100, factor: 1, maxMs: 100, jitter: 0 } },
    )
    expect(checks.map(({ ms: _ms, ...rest }) => rest)).to.deep.equal([
      { service: "postgres", target: "postgres://postgres@127.0.0.1:5432/postgres", ok: true, attempts: 1 },
      // attempts at about 0, 100 and 200 ms; the next would start at 300, past the 250 ms deadline
      {
        service: "memcached",
        target: `memcached://127.0.0.1:${mc}`,
        ok: false,
        attempts: 3,
        error: "connection refused (ECONNREFUSED)",
      },
      {
        // refused credentials are not retried
        service: "rabbitmq",
        target: "amqp://guest@127.0.0.1:5672/",
        ok: false,
        attempts: 1,
        error:
          'Handshake terminated by server: 403 (ACCESS-REFUSED) with message "ACCESS_REFUSED - Login was refused using authentication mechanism PLAIN. For details see the broker logfile."',
      },
    ])
  })
})
