/**
 * The stage for the ordered-argv specs: a throwaway environment whose Docker host is a
 * FakeDockerHost (no engine), the engine the CLI builds around it with a fake clock, and the
 * ledger in a scratch database on the real local Postgres. Helpers script what the host says:
 * the project's containers (docker ps), the proxy's live route and the health answers.
 */
import type { Environment } from "../../../src/config/load.js"
import { localEngine } from "../../../src/cli/engine.js"
import type { EngineDeps } from "../../../src/deploy/session.js"
import { FakeTiming } from "../../health/support/fake-timing.js"
import { TEST_SECRET_VALUES, testEnvironment } from "../../helpers/deploy-env.js"
import { type Answer, FakeDockerHost } from "../../helpers/fake-docker-host.js"
import { type ScratchDatabase, createScratchDatabase } from "../../helpers/postgres.js"

export const REPO = "registry.example.com/acme/shop"
/** Three releases, pinned by digest as publish prints them. */
export const V1 = { ref: `${REPO}@sha256:${"1a".repeat(32)}`, digest: `sha256:${"1a".repeat(32)}`, short: "1a".repeat(6), version: "v1" }
export const V2 = { ref: `${REPO}@sha256:${"2b".repeat(32)}`, digest: `sha256:${"2b".repeat(32)}`, short: "2b".repeat(6), version: "v2" }

export interface Stage {
  env: Environment
  host: FakeDockerHost
  db: ScratchDatabase
  logs: string[]
  deps(): Promise<EngineDeps>
  cleanup(): Promise<void>
}

export async function stage(label: string, driver: "compose" | "swarm" = "compose"): Promise<Stage> {
  Object.assign(process.env, TEST_SECRET_VALUES)
  const db = await createScratchDatabase(label)
  const overrides = { deploy: { driver, proxy: { http_port: 8080, preview_port: 8081 } }, notify: { enabled: false } }
  const env = await testEnvironment({ name: "dev", app: "shop", ledgerDatabase: db.name, proxyImage: "caddy:test", overrides })
  const host = new FakeDockerHost()
  const logs: string[] = []
  return {
    env,
    host,
    db,
    logs,
    deps: async () => ({ ...(await localEngine(env, (line) => logs.push(line))), executor: host, timing: new FakeTiming() }),
    cleanup: () => db.drop(),
  }
}

type Release = typeof V1

/** A web container as docker ps lists it (the labels the driver reads, tab-separated). */
export function webRow(release: Release, replica: number, state: string, colour: "blue" | "green", deployId: number): string {
  return [`id-${release.short}-${replica}`, `shop-dev-web-${release.short}-${replica}`, state, release.digest, release.version, colour, String(deployId), "web"].join("\t")
}

/** What the host says: its containers, what the proxy routes live, and each release's health. */
export function script(host: FakeDockerHost, state: { rows: string[]; live: string[]; health: Record<string, Answer> }): void {
  host
    .on("docker ps --all", { stdout: `${state.rows.join("\n")}\n` })
    .on("docker version", { stdout: "27.3.1\n" })
    .on("docker container inspect --format {{.State.Status}} shop-dev-proxy", { stdout: "running\n" })
    .on(/ wget -q -O - http:\/\/localhost:2019\/config\//, { stdout: JSON.stringify({ upstreams: state.live.map((name) => ({ dial: `${name}:8000` })) }) })
  for (const [where, answer] of Object.entries(state.health)) host.on(new RegExp(` wget -q -S -O - .* http://${where}:?\\d*/health/$`), answer)
}

/** What busybox wget prints for a /health/ answer: the status line on stderr, the body on stdout. */
export function health(status: "healthy" | "unhealthy", version: string): Answer {
  return { exitCode: status === "healthy" ? 0 : 1, stderr: `  HTTP/1.1 ${status === "healthy" ? "200 OK" : "503 Service Unavailable"}\n`, stdout: JSON.stringify({ status, version }) }
}
