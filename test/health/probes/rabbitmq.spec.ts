/** The RabbitMQ probe against the real broker on 127.0.0.1:5672 (guest/guest), a closed port and a server that never answers. */
import { expect } from "chai"
import { rabbitmqProbe } from "../../../core/health/probes/rabbitmq.js"
import { closedPort, requireService, silentServer, withoutMs } from "../support/net.js"

describe("health/probes/rabbitmq", () => {
  before(() => requireService("RabbitMQ", 5672))
  const broker = { host: "127.0.0.1", port: 5672, vhost: "/", user: "guest", password: "guest" }

  it("passes: connects, opens a channel, closes both", async () => {
    const result = await rabbitmqProbe(broker)({ timeoutMs: 3000 })
    expect(withoutMs(result)).to.deep.equal({ ok: true, target: "amqp://guest@127.0.0.1:5672/" })
  })

  it("fails on a wrong password as a credentials problem", async () => {
    const result = await rabbitmqProbe({ ...broker, password: "wrong" })({ timeoutMs: 3000 })
    expect(withoutMs(result)).to.deep.equal({
      ok: false,
      target: "amqp://guest@127.0.0.1:5672/",
      failure: "auth",
      error:
        'Handshake terminated by server: 403 (ACCESS-REFUSED) with message "ACCESS_REFUSED - Login was refused using authentication mechanism PLAIN. For details see the broker logfile."',
    })
  })

  it("fails on a vhost that does not exist", async () => {
    const result = await rabbitmqProbe({ ...broker, vhost: "no-such-vhost" })({ timeoutMs: 3000 })
    expect(withoutMs(result)).to.deep.equal({
      ok: false,
      target: "amqp://guest@127.0.0.1:5672/no-such-vhost",
      failure: "auth",
      error: 'the broker refused to open vhost "no-such-vhost": it does not exist, or the user has no access to it',
    })
  })

  it("fails at once on a closed port", async () => {
    const port = await closedPort()
    const result = await rabbitmqProbe({ ...broker, port })({ timeoutMs: 3000 })
    expect(withoutMs(result)).to.deep.equal({
      ok: false,
      target: `amqp://guest@127.0.0.1:${port}/`,
      failure: "refused",
      error: "connection refused (ECONNREFUSED)",
    })
    expect(result.ms).to.be.below(500)
  })

  it("fails within the timeout when the server accepts and never answers", async () => {
    const silent = await silentServer()
    try {
      const result = await rabbitmqProbe({ ...broker, port: silent.port })({ timeoutMs: 300 })
      expect(withoutMs(result)).to.deep.equal({
        ok: false,
        target: `amqp://guest@127.0.0.1:${silent.port}/`,
        failure: "timeout",
        error: "no answer within 300ms",
      })
      expect(result.ms).to.be.within(295, 700)
    } finally {
      await silent.close()
    }
  })
})
