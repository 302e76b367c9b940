/**
 * The stage for the ordered-argv specs: a throwaway environment whose Docker host is a
 * FakeDockerHost (no engine), the engine the CLI builds around it with a fake clock, and the
 * ledger in a scratch database on the real local Postgres. Helpers script what the host says:
 * the project's containers (docker ps), the proxy's live route and the health answers.
 */
import type { Environment } from "../../../core/config/load.js"
import { localEngine } from "../../../core/cli/engine.js"
import type { EngineDeps } from "../../../core/deploy/session.js"
import { FakeTiming } from "../../health/support/fake-timing.js"
import { TEST_SECRET_VALUES, testEnvironment } from "../../helpers/deploy-env.js"
import { type Answer, FakeDockerHost } from "../../helpers/fake-docker-host.js"
import { type ScratchDatabase, createScratchDatabase } from "../../helpers/postgres.js"

export const REPO = "registry.example.com/acme/shop"
/** Three releases, pinned by digest as publish prints them. */
export const V1 = {
  ref: `${REPO}@sha256:${"1a".repeat(32)}`,
  digest: `sha256:${"1a".repeat(32)}`,
  short: "1a".repeat(6),
  version: "v1",
}
export const V2 = {
  ref: `${REPO}@sha256:${"2b".repeat(32)}`,
  digest: `sha256:${"2b".repeat(32)}`,
  short: "2b".repeat(6),
  version: "v2",
}

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
  const env = await testEnvironment({
    name: "dev",
    app: "shop",
    ledgerDatabase: db.name,
    proxyImage: "haproxy:test",
    overrides,
  })
  const host = new FakeDockerHost()
  const logs: string[] = []
  return {
    env,
    host,
    db,
    logs,
    deps: async () => ({
      ...(await localEngine(env, (line) => logs.push(line))),
      executor: host,
      timing: new FakeTiming(),
    }),
    cleanup: () => db.drop(),
  }
}

type Release = typeof V1

/** A web container as docker ps lists it (the labels the driver reads, tab-separated). */
export function webRow(
  release: Release,
  replica: number,
  state: string,
  colour: "blue" | "green",
  deployId: number,
): string {
  return [
    `id-${release.short}-${replica}`,
    `shop-dev-web-${release.short}-${replica}`,
    state,
    release.digest,
    release.version,
    colour,
    String(deployId),
    "web",
  ].join("\t")
}

/** A web container's address on the project network, as the fake host reports it: 10.0.<release>.<replica>. */
export function addressOf(name: string): string {
  const release = [V1, V2].findIndex((r) => name.includes(r.short)) + 1
  return `10.0.${release}.${/-(\d+)$/.exec(name)?.[1] ?? 0}`
}

/** The container at a fake address (addressOf's inverse). */
export function nameAt(address: string): string {
  const [, , release, replica] = address.split(".")
  return `shop-dev-web-${[V1, V2][Number(release) - 1]!.short}-${replica}`
}

/** `docker container inspect` of addresses: a container listed in `rows` or made by a recorded `docker run`, running as listed or once `docker start`ed, with its colour label and its fake address. */
function inspectAddresses(host: FakeDockerHost, rows: readonly string[]) {
  return (argv: readonly string[]) => {
    const lines = argv.slice(5).map((name) => {
      const row = rows.map((r) => r.split("\t")).find((fields) => fields[1] === name)
      const ran = host.lines().find((line) => line.startsWith(`docker run --detach --name ${name} `))
      const colour = row?.[5] ?? /deploy-pipeline\.colour=(\w+)/.exec(ran ?? "")?.[1] ?? ""
      const started = host.lines().some((line) => line.startsWith("docker start ") && line.split(" ").includes(name))
      const running = started || (row ? row[2] === "running" : ran !== undefined)
      return `/${name}\t${running ? "running" : "exited"}\t${colour}\t${running ? addressOf(name) : ""}`
    })
    return { stdout: `${lines.join("\n")}\n` }
  }
}

/** `show servers state live` as HAProxy prints it, the `live` containers (in `rows`) in their colour's ready slots, every other slot in maintenance. */
export function serversState(rows: readonly string[], live: readonly string[]): string {
  const header =
    "1\n# be_id be_name srv_id srv_name srv_addr srv_op_state srv_admin_state srv_uweight srv_iweight srv_time_since_last_change srv_check_status srv_check_result srv_check_health srv_check_state srv_agent_state bk_f_forced_id srv_f_forced_id srv_fqdn srv_port srvrecord srv_use_ssl srv_check_port srv_check_addr srv_agent_addr srv_agent_port"
  const row = (id: number, name: string, addr: string, op: number, admin: number, port: number) =>
    `4 live ${id} ${name} ${addr} ${op} ${admin} 1 1 0 6 3 1 6 0 0 0 - ${port} - 0 0 - - 0`
  const colourOf = (name: string) => rows.map((r) => r.split("\t")).find((fields) => fields[1] === name)?.[5] ?? "blue"
  const ready = live.map((name, i) => row(i + 1, `${colourOf(name)}${i + 1}`, addressOf(name), 2, 0, 8000))
  return [header, ...ready, row(live.length + 1, "green50-fallback", "127.0.0.1", 0, 1, 1), ""].join("\n")
}

/**
 * `show stat` (servers only) as HAProxy prints it, trimmed to the columns a drain reads: each
 * container in `inFlight` as a maintenance slot of the live backend with that many current sessions.
 */
export function sessionsStat(inFlight: Record<string, number> = {}): string {
  const rows = Object.entries(inFlight).map(
    ([name, sessions], i) =>
      `live,green${i + 1},0,0,${sessions},${sessions},,${sessions},MAINT,${addressOf(name)}:8000,`,
  )
  return ["# pxname,svname,qcur,qmax,scur,smax,slim,stot,status,addr,", ...rows, ""].join("\n")
}

/** `show servers state live` of the swarm driver's proxy: the live colour's template slots ready (unresolved slots have no address), the other colour's in maintenance. */
export function colourServersState(live: "blue" | "green"): string {
  const header =
    "1\n# be_id be_name srv_id srv_name srv_addr srv_op_state srv_admin_state srv_uweight srv_iweight srv_time_since_last_change srv_check_status srv_check_result srv_check_health srv_check_state srv_agent_state bk_f_forced_id srv_f_forced_id srv_fqdn srv_port srvrecord srv_use_ssl srv_check_port srv_check_addr srv_agent_addr srv_agent_port"
  const other = live === "blue" ? "green" : "blue"
  const row = (id: number, name: string, addr: string, op: number, admin: number) =>
    `4 live ${id} ${name} ${addr} ${op} ${admin} 1 1 0 6 3 1 6 0 0 0 tasks.shop-dev-${name.replace(/\d+$/, "")}_web 8000 - 0 0 - - 0`
  return [
    header,
    row(1, `${live}1`, "10.0.9.3", 2, 0),
    row(2, `${live}2`, "-", 0, 8),
    row(3, `${other}1`, "-", 0, 9),
    "",
  ].join("\n")
}

/** What the host says: its containers, what the proxy routes live, and each release's health. */
export function script(
  host: FakeDockerHost,
  state: { rows: string[]; live: string[]; health: Record<string, Answer> },
): void {
  host
    .on("docker ps --all", { stdout: `${state.rows.join("\n")}\n` })
    .on("docker version", { stdout: "27.3.1\n" })
    .on("docker container inspect --format {{.State.Status}} shop-dev-proxy", { stdout: "running\n" })
    .on("docker container inspect --format {{.Name}}", inspectAddresses(host, state.rows))
    .on(/show servers state live/, { stdout: serversState(state.rows, state.live) })
    .on(/show stat -1 4 -1/, { stdout: sessionsStat() })
  for (const [where, answer] of Object.entries(state.health))
    host.on(new RegExp(` wget -q -S -O - .* http://${where}:?\\d*/health/$`), answer)
}

/** What busybox wget prints for a /health/ answer: the status line on stderr, the body on stdout. */
export function health(status: "healthy" | "unhealthy", version: string): Answer {
  return {
    exitCode: status === "healthy" ? 0 : 1,
    stderr: `  HTTP/1.1 ${status === "healthy" ? "200 OK" : "503 Service Unavailable"}\n`,
    stdout: JSON.stringify({ status, version }),
  }
}
