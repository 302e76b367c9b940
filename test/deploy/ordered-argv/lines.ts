/**
 * The Docker command lines the ordered-argv specs expect, written out whole (argv joined by
 * spaces), for the stage's environment: app shop, environment dev, proxy on 127.0.0.1:8080/8081.
 * Both drivers' proxy is HAProxy (runtime API on the proxy's loopback).
 */
import type { ExecOptions } from "../../../core/exec/types.js"
import type { FakeDockerHost } from "../../helpers/fake-docker-host.js"
import { type V1, nameAt } from "./stage.js"

type Release = typeof V1

export const PS =
  'docker ps --all --no-trunc --filter label=deploy-pipeline.project=shop-dev --format {{.ID}}\t{{.Names}}\t{{.State}}\t{{.Label "deploy-pipeline.digest"}}\t{{.Label "deploy-pipeline.version"}}\t{{.Label "deploy-pipeline.colour"}}\t{{.Label "deploy-pipeline.deploy-id"}}\t{{.Label "deploy-pipeline.role"}}'
/** What HAProxy routes, read through its runtime API. */
export const LIVE_ROUTE =
  "docker exec shop-dev-proxy sh -c printf 'show servers state live\\n' | nc 127.0.0.1 9999 && printf 'show servers state preview\\n' | nc 127.0.0.1 9999"
/** Each container's state, colour and address on the project network. */
export const addresses = (...names: string[]) =>
  `docker container inspect --format {{.Name}}\t{{.State.Status}}\t{{index .Config.Labels "deploy-pipeline.colour"}}\t{{with index .NetworkSettings.Networks "shop-dev-net"}}{{.IPAddress}}{{end}} ${names.join(" ")}`
export const VERSION = "docker version --format {{.Server.Version}}"
export const NETWORK = "docker network inspect --format {{.Name}} shop-dev-net"
export const NETWORK_CREATE = "docker network create --label deploy-pipeline.project=shop-dev shop-dev-net"
export const PROXY_STATE = "docker container inspect --format {{.State.Status}} shop-dev-proxy"
export const PROXY_RUN = `docker run --detach --name shop-dev-proxy --network shop-dev-net --label deploy-pipeline.project=shop-dev --label deploy-pipeline.role=proxy --restart unless-stopped --publish 127.0.0.1:8080:80 --publish 127.0.0.1:8081:81 --env HAPROXY_CONFIG haproxy:test sh -c [ -s /var/lib/haproxy/deploy-pipeline.cfg ] || printf '%s' "$HAPROXY_CONFIG" > /var/lib/haproxy/deploy-pipeline.cfg; exec haproxy -W -db -f /var/lib/haproxy/deploy-pipeline.cfg`
/** The route sent to HAProxy's runtime API (the commands in HAPROXY_COMMANDS), one connection per line. */
export const RUNTIME = `docker exec --env HAPROXY_COMMANDS shop-dev-proxy sh -c reply="$(printf '%s\\n' "$HAPROXY_COMMANDS" | while IFS= read -r line; do printf '%s\\n' "$line" | nc 127.0.0.1 9999 || exit 2; done)" || exit 2\nprintf '%s\\n' "$reply"`
/** The same route written to the config a restarted proxy starts from (HAPROXY_CONFIG). */
export const SAVE = `docker exec --env HAPROXY_CONFIG shop-dev-proxy sh -c printf '%s' "$HAPROXY_CONFIG" > /var/lib/haproxy/deploy-pipeline.cfg.new && mv /var/lib/haproxy/deploy-pipeline.cfg.new /var/lib/haproxy/deploy-pipeline.cfg`
/** A switch: the addresses of the route's containers, then the runtime API, then the saved config. */
export const route = (...names: string[]): string[] => [addresses(...names), RUNTIME, SAVE]
export const web = (release: Release, replica = 1) => `shop-dev-web-${release.short}-${replica}`
export const IMAGE_ID = (release: Release) => `docker image inspect --format {{.Id}} ${release.ref}`
export const stop = (...names: string[]) => `docker stop --time 10 ${names.join(" ")}`
/** deploy.keep_warm's timer in a warm container (600 s here), and its cancellation before a rollback routes to it. */
export const warmTimer = (name: string, seconds = 600) =>
  `docker exec --detach ${name} sh -c echo $$ > /tmp/.deploy-pipeline-keep-warm && sleep ${seconds} && [ "$(cat /tmp/.deploy-pipeline-keep-warm 2>/dev/null)" = "$$" ] && kill -TERM 1`
export const cancelWarm = (name: string) => `docker exec ${name} rm -f /tmp/.deploy-pipeline-keep-warm`
/** What each server of the proxy has in flight (`show stat`, servers only), read before a stop. */
export const SESSIONS = "docker exec shop-dev-proxy sh -c printf 'show stat -1 4 -1\\n' | nc 127.0.0.1 9999"
/** A compose stop: the containers' addresses, the proxy asked until nothing is in flight to them (`polls` reads), then docker stop. */
export const drainedStop = (names: string[], polls = 1): string[] => [
  addresses(...names),
  ...times(polls, SESSIONS),
  stop(...names),
]
export const start = (...names: string[]) => `docker start ${names.join(" ")}`
/** One health probe from inside the proxy, with the app's Host. */
export const probe = (host: string) =>
  `docker exec shop-dev-proxy timeout 2 wget -q -S -O - --header Host: localhost http://${host}/health/`
export const times = (n: number, line: string): string[] => Array.from({ length: n }, () => line)
/** The gate on a release's one replica (2 passes in a row), the switch (`fallback`: the release that served before), and a quiet 3 s watch window (7 probes). */
export const gateSwitchWatch = (release: Release, fallback?: Release): string[] => [
  ...times(2, probe(`${web(release)}:8000`)),
  ...route(web(release), ...(fallback ? [web(fallback)] : [])),
  ...times(7, probe("127.0.0.1:80")),
]

/** A web replica of the release, with the app's settings (database `db`) and its secrets by name only. */
export function runWeb(release: Release, colour: "blue" | "green", deployId: number, db: string, replica = 1): string {
  return [
    `docker run --detach --name ${web(release, replica)} --network shop-dev-net --network-alias shop-dev-web-${colour}`,
    `--label deploy-pipeline.project=shop-dev --label deploy-pipeline.role=web --label deploy-pipeline.digest=${release.digest} --label deploy-pipeline.version=${release.version} --label deploy-pipeline.colour=${colour} --label deploy-pipeline.deploy-id=${deployId}`,
    "--restart on-failure:3 --cpus 0.5 --memory 64M --memory-reservation 16M --security-opt no-new-privileges",
    `--env DJANGO_SETTINGS_MODULE=config.settings.development --env APP_VERSION=${release.version} --env PORT=8000 --env LOG_LEVEL=DEBUG`,
    `--env POSTGRES_HOST=127.0.0.1 --env POSTGRES_PORT=5432 --env POSTGRES_DB=${db} --env POSTGRES_USER=postgres --env MEMCACHED_LOCATION=127.0.0.1:11211`,
    "--env RABBITMQ_HOST=127.0.0.1 --env RABBITMQ_PORT=5672 --env RABBITMQ_VHOST=/ --env RABBITMQ_USER=guest --env SECRET_KEY --env DEBUG --env RABBITMQ_PASSWORD",
    release.ref,
  ].join(" ")
}

/** Where a switch sends traffic: the containers (by their fake addresses, stage.ts) of the ready live, fallback and preview slots in HAPROXY_COMMANDS. */
export function routes(options: ExecOptions | undefined): { live: string[]; fallback: string[]; preview: string[] } {
  const ready = [
    ...(options?.env?.HAPROXY_COMMANDS ?? "").matchAll(
      /set server (live|preview)\/\w+?(-fallback)? addr (\S+) port 8000/g,
    ),
  ]
  const part = (backend: string, fallback: boolean) =>
    ready.filter((m) => m[1] === backend && (m[2] !== undefined) === fallback).map((m) => `${nameAt(m[3]!)}:8000`)
  return { live: part("live", false), fallback: part("live", true), preview: part("preview", false) }
}

/** What each switch sent to the proxy's runtime API, in order, as container names. */
export const switches = (host: FakeDockerHost) =>
  host.calls.filter(([argv]) => argv.join(" ") === RUNTIME).map(([, options]) => routes(options))
