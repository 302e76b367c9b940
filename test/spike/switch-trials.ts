/**
 * Repeats the Caddy blue↔green switch under load many times and prints one JSON line per trial:
 * the raw numbers behind test/spike/CADDY-SWITCH-NOTES.md. Not a spec; run it by hand:
 *
 *   npx tsx test/spike/switch-trials.ts [--method load|patch] [--trials 10] [--requests 1500]
 *     [--concurrency 8] [--no-retry] [--fresh] [--direct]
 *
 * --no-retry  report connection resets instead of retrying them (bare Node http behaviour)
 * --fresh     a new connection per request (Connection: close) instead of keep-alive
 * --direct    target Caddy's container IP on the bridge instead of the 127.0.0.1 published port
 *             (which goes through docker-proxy)
 */
import { parseArgs } from "node:util"
import { APP_PORT, CADDY_ADMIN_PORT, ensureTestImages, requireDocker } from "../helpers/docker-images.js"
import {
  CADDY_HTTP_PORT,
  RUN_LABEL,
  caddyConfig,
  docker,
  publishedPort,
  removeRun,
  request,
  runPrefix,
  waitFor,
} from "./containers.js"
import { failures, now, retried, runLoad } from "../helpers/load.js"

const { values: opt } = parseArgs({
  options: {
    method: { type: "string", default: "load" },
    trials: { type: "string", default: "10" },
    requests: { type: "string", default: "1500" },
    concurrency: { type: "string", default: "8" },
    "no-retry": { type: "boolean", default: false },
    fresh: { type: "boolean", default: false },
    direct: { type: "boolean", default: false },
  },
})
const requests = Number(opt.requests)

requireDocker()
const images = await ensureTestImages()
const prefix = runPrefix("trials")
const label = `${RUN_LABEL}=${prefix}`
const net = `${prefix}-net`
try {
  await docker("network", "create", "--label", label, net)
  for (const [colour, id] of [
    ["blue", images.app.v1],
    ["green", images.app.v2],
  ] as const) {
    await docker(
      "run",
      "-d",
      "--label",
      label,
      "--name",
      `${prefix}-${colour}`,
      "--network",
      net,
      "--network-alias",
      colour,
      "--no-healthcheck",
      id ?? "",
    )
  }
  const caddy = `${prefix}-caddy`
  await docker(
    "run",
    "-d",
    "--label",
    label,
    "--name",
    caddy,
    "--network",
    net,
    "-p",
    `127.0.0.1::${CADDY_ADMIN_PORT}`,
    "-p",
    `127.0.0.1::${CADDY_HTTP_PORT}`,
    images.caddy,
  )
  const admin = `http://127.0.0.1:${await publishedPort(caddy, CADDY_ADMIN_PORT)}`
  const ip = await docker("inspect", "-f", "{{range .NetworkSettings.Networks}}{{.IPAddress}}{{end}}", caddy)
  const web = opt.direct
    ? `http://${ip}:${CADDY_HTTP_PORT}/`
    : `http://127.0.0.1:${await publishedPort(caddy, CADDY_HTTP_PORT)}/`
  await waitFor("Caddy's admin API", async () =>
    (await request("GET", `${admin}/config/`)).status === 200 ? true : undefined,
  )
  const loaded = await request("POST", `${admin}/load`, caddyConfig("blue"))
  if (loaded.status !== 200) throw new Error(`POST /load: ${loaded.status} ${loaded.body}`)
  await waitFor("Caddy serving v1", async () => ((await request("GET", web)).body.trim() === "v1" ? true : undefined))

  let from = "blue"
  for (let trial = 0; trial < Number(opt.trials); trial++) {
    const to = from === "blue" ? "green" : "blue"
    const version = (colour: string): string => (colour === "blue" ? "v1" : "v2")
    let t0 = 0
    let t1 = 0
    let status = 0
    let switching: Promise<void> | undefined
    const load = await runLoad({
      url: web,
      requests,
      concurrency: Number(opt.concurrency),
      deadlineMs: 60_000,
      keepAlive: !opt.fresh,
      retryConnectionFailures: !opt["no-retry"],
      onProgress: (n) => {
        if (n >= Math.floor(requests / 3) && !switching) {
          switching = (async () => {
            t0 = now()
            const answer =
              opt.method === "patch"
                ? await request("PATCH", `${admin}/id/web-proxy/upstreams`, [{ dial: `${to}:${APP_PORT}` }])
                : await request("POST", `${admin}/load`, caddyConfig(to))
            t1 = now()
            status = answer.status
          })()
        }
      },
    })
    await switching
    const { records } = load
    const failed = failures(records)
    const before = records.filter((r) => r.endedAt < t0)
    const after = records.filter((r) => r.startedAt > t1)
    console.log(
      JSON.stringify({
        trial,
        method: opt.method,
        to,
        requests: records.length,
        failed: failed.length,
        failedOnReusedSockets: failed.filter((r) => r.reusedSocket).length,
        retried: retried(records).length,
        errors: failed
          .slice(0, 3)
          .map(
            (r) =>
              `${r.error ?? r.status} reused=${r.reusedSocket} t=${(r.startedAt - t0).toFixed(1)}..${(r.endedAt - t0).toFixed(1)}ms`,
          ),
        sockets: load.socketsOpened,
        loadMs: Math.round(load.durationMs),
        switchMs: Number((t1 - t0).toFixed(1)),
        switchStatus: status,
        wrongBefore: before.filter((r) => r.body !== version(from)).length,
        wrongAfter: after.filter((r) => r.body !== version(to)).length,
      }),
    )
    from = to
  }
} finally {
  await removeRun(prefix)
}
