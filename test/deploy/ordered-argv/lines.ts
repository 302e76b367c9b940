/**
 * The Docker command lines the ordered-argv specs expect, written out whole (argv joined by
 * spaces), for the stage's environment: app shop, environment dev, proxy on 127.0.0.1:8080/8081.
 */
import type { ExecOptions } from "../../../src/exec/types.js"
import type { V1 } from "./stage.js"

type Release = typeof V1

export const PS = 'docker ps --all --no-trunc --filter label=deploy-pipeline.project=shop-dev --format {{.ID}}\t{{.Names}}\t{{.State}}\t{{.Label "deploy-pipeline.digest"}}\t{{.Label "deploy-pipeline.version"}}\t{{.Label "deploy-pipeline.colour"}}\t{{.Label "deploy-pipeline.deploy-id"}}\t{{.Label "deploy-pipeline.role"}}'
export const LIVE_ROUTE = "docker exec shop-dev-proxy timeout 5 wget -q -O - http://localhost:2019/config/apps/http/servers/live/routes/0/handle/0"
export const VERSION = "docker version --format {{.Server.Version}}"
export const NETWORK = "docker network inspect --format {{.Name}} shop-dev-net"
export const NETWORK_CREATE = "docker network create --label deploy-pipeline.project=shop-dev shop-dev-net"
export const PROXY_STATE = "docker container inspect --format {{.State.Status}} shop-dev-proxy"
export const PROXY_RUN = "docker run --detach --name shop-dev-proxy --network shop-dev-net --label deploy-pipeline.project=shop-dev --label deploy-pipeline.role=proxy --restart unless-stopped --publish 127.0.0.1:8080:80 --publish 127.0.0.1:8081:81 caddy:test caddy run --resume --config /etc/caddy/caddy.json"
export const RELOAD = `docker exec --env CADDY_CONFIG shop-dev-proxy sh -c printf '%s' "$CADDY_CONFIG" > /tmp/deploy-pipeline.json && caddy reload --config /tmp/deploy-pipeline.json --address localhost:2019 --force`

export const web = (release: Release, replica = 1) => `shop-dev-web-${release.short}-${replica}`
export const IMAGE_ID = (release: Release) => `docker image inspect --format {{.Id}} ${release.ref}`
export const stop = (...names: string[]) => `docker stop --time 10 ${names.join(" ")}`
export const start = (...names: string[]) => `docker start ${names.join(" ")}`
/** One health probe from inside the proxy, with the app's Host. */
export const probe = (host: string) => `docker exec shop-dev-proxy timeout 2 wget -q -S -O - --header Host: localhost http://${host}/health/`
export const times = (n: number, line: string): string[] => Array.from({ length: n }, () => line)
/** The gate on a release's one replica (2 passes in a row), the switch, and a quiet 3 s watch window (7 probes). */
export const gateSwitchWatch = (release: Release): string[] => [...times(2, probe(`${web(release)}:8000`)), RELOAD, ...times(7, probe("127.0.0.1:80"))]

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

/** Where a proxy reload sends each port's traffic: the dials of the config it carried in CADDY_CONFIG. */
export function routes(options: ExecOptions | undefined): { live: string[]; preview: string[] } {
  type Server = { routes: { handle: { upstreams?: { dial: string }[] }[] }[] }
  const config = JSON.parse(options?.env?.CADDY_CONFIG ?? "{}") as { apps: { http: { servers: Record<"live" | "preview", Server> } } }
  const dials = (server: Server) => server.routes.flatMap((route) => route.handle.flatMap((h) => (h.upstreams ?? []).map((u) => u.dial)))
  return { live: dials(config.apps.http.servers.live), preview: dials(config.apps.http.servers.preview) }
}
