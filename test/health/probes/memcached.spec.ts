/**
 * The Memcached probe against the real server on 127.0.0.1:11211 (this suite fails, never
 * skips, when it is missing), a closed port, a server that never answers and one that hangs up.
 */
import { expect } from "chai"
import { memcachedProbe } from "../../../core/health/probes/memcached.js"
import { closedPort, requireService, silentServer, withoutMs } from "../support/net.js"

describe("health/probes/memcached", () => {
  before(() => requireService("Memcached", 11211))

  it("passes: a set/get round-trip of a unique key", async () => {
    const result = await memcachedProbe({ host: "127.0.0.1", port: 11211 })({ timeoutMs: 2000 })
    expect(withoutMs(result)).to.deep.equal({ ok: true, target: "memcached://127.0.0.1:11211" })
  })

  it("fails at once on a closed port, without memjs's retries or console logging", async () => {
    const port = await closedPort()
    const logged: unknown[] = []
    const original = console.log
    console.log = (...args: unknown[]) => void logged.push(args)
    try {
      const result = await memcachedProbe({ host: "127.0.0.1", port })({ timeoutMs: 2000 })
      expect(withoutMs(result)).to.deep.equal({
        ok: false,
        target: `memcached://127.0.0.1:${port}`,
        failure: "refused",
        error: "connection refused (ECONNREFUSED)",
      })
      expect(result.ms).to.be.below(190) // memjs's default retry would wait 200 ms
    } finally {
      console.log = original
    }
    expect(logged).to.deep.equal([])
  })

  it("fails within the timeout when the server accepts and never answers", async () => {
    const silent = await silentServer()
    try {
      const result = await memcachedProbe({ host: "127.0.0.1", port: silent.port })({ timeoutMs: 300 })
      expect(withoutMs(result)).to.deep.equal({
        ok: false,
        target: `memcached://127.0.0.1:${silent.port}`,
        failure: "timeout",
        error: "no answer within 300ms",
      })
      expect(result.ms).to.be.within(295, 700)
    } finally {
      await silent.close()
    }
  })

  it("fails within the timeout when the server hangs up without answering (memjs never calls back)", async () => {
    const closing = await silentServer("end")
    try {
      const result = await memcachedProbe({ host: "127.0.0.1", port: closing.port })({ timeoutMs: 300 })
      expect(withoutMs(result)).to.deep.equal({
        ok: false,
        target: `memcached://127.0.0.1:${closing.port}`,
        failure: "timeout",
        error: "no answer within 300ms",
      })
    } finally {
      await closing.close()
    }
  })

  it("ignores SASL credentials in the environment unless they are passed", async () => {
    process.env.MEMCACHIER_USERNAME = "stray"
    process.env.MEMCACHIER_PASSWORD = "stray"
    try {
      const result = await memcachedProbe({ host: "127.0.0.1", port: 11211 })({ timeoutMs: 2000 })
      expect(result.ok).to.equal(true)
    } finally {
      delete process.env.MEMCACHIER_USERNAME
      delete process.env.MEMCACHIER_PASSWORD
    }
  })
})
