/**
 * Runs one probe attempt in a child process and prints its result, then does nothing else:
 * the process must exit on its own. probes/no-hang.spec.ts uses it to prove that no socket or
 * timer outlives an attempt against a server that never answers.
 *
 *   node --import tsx test/health/support/probe-once.ts <http|postgres|memcached|rabbitmq> <port> <timeoutMs>
 */
import { httpProbe } from "../../../core/health/probes/http.js"
import { memcachedProbe } from "../../../core/health/probes/memcached.js"
import { postgresProbe } from "../../../core/health/probes/postgres.js"
import { rabbitmqProbe } from "../../../core/health/probes/rabbitmq.js"
import type { Probe } from "../../../core/health/result.js"

const [kind = "", portText = "", timeoutText = ""] = process.argv.slice(2)
const port = Number(portText)
const probes: Record<string, () => Probe> = {
  http: () => httpProbe({ url: `http://127.0.0.1:${port}/health/`, expectStatus: 200 }),
  postgres: () => postgresProbe({ host: "127.0.0.1", port, user: "postgres", database: "postgres" }),
  memcached: () => memcachedProbe({ host: "127.0.0.1", port }),
  rabbitmq: () => rabbitmqProbe({ host: "127.0.0.1", port, vhost: "/", user: "guest", password: "guest" }),
}
const make = probes[kind]
if (!make) throw new Error(`unknown probe ${kind}`)
const result = await make()({ timeoutMs: Number(timeoutText) })
process.stdout.write(`${JSON.stringify(result)}\n`)
