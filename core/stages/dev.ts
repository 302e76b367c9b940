/**
 * The development stack as one Dagger Service, for `dagger call dev up`: Django's runserver from
 * the Dockerfile's `development` target with the source mounted over /app, Postgres (data on
 * tmpfs), Memcached and RabbitMQ bound as db, cache and queue, and Adminer and Mailhog beside it
 * when the environment's `tools` asks for them (the shipped development environment does).
 *
 * `up` only tunnels the ports of the service it is given, and bound services are reachable only
 * from the containers that bind them. So the returned service is a small Caddy front that binds
 * the app and the tools and publishes one port each:
 *
 *   8000  the app (runserver; config.app.port)       dagger call dev up --ports 8000:8000
 *   8080  Adminer (server "db")                      add --ports 8080:8080
 *   8025  Mailhog's web UI (SMTP 1025 stays inside)  add --ports 8025:8025
 *
 * `dagger call dev up` with no --ports forwards all three. Caddy passes the Host header through,
 * so Django's development ALLOWED_HOSTS (localhost, 127.0.0.1) still match.
 *
 * Reload: Dagger snapshots host directories when a call starts (there is no live host mount yet,
 * dagger/dagger#6990), so an edit reaches the server on the next `dagger call dev up`. The image
 * is built from the Dockerfile and requirements files alone and the code is mounted over it, so
 * a code edit never rebuilds the image: restarting costs the mount, not a pip install.
 */
import { type Container, type Directory, type Platform, type Service, dag } from "@dagger.io/dagger"
import type { EnvironmentConfig } from "../config/schema.js"
import { IMAGES, STAGE_INPUTS } from "../constants.js"
import { APP_DIR } from "./commands.js"
import { DEV_IMAGES, MAILHOG_PLATFORM } from "./dev-images.js"
import { memcachedService, rabbitmqService } from "./test.js"

/** Ports inside the stack; the front publishes `adminer` and `mailhogUi` under the same numbers. */
export const DEV_PORTS = {
  postgres: 5432,
  memcached: 11211,
  rabbitmq: 5672,
  adminer: 8080,
  mailhogSmtp: 1025,
  mailhogUi: 8025,
} as const

/** The development target's USER (the Dockerfile chowns /app to it, so manage.py can write there). */
export const DEV_APP_USER = "10001:10001"

/**
 * Throwaway credentials for a throwaway stack: the database lives on tmpfs, nothing here is
 * reachable beyond the developer's own tunnel, and none of it is a secret. Never reuse them.
 */
export const DEV_SECRET_KEY = "development-only-not-a-secret"
export const DEV_DATABASE_PASSWORD = "development-only"

/** What the front publishes: a port and the bound alias:port it forwards to. */
export interface DevRoute {
  port: number
  upstream: string
  description: string
}

/** The app's environment: development settings, and every service by its binding alias. */
export function devEnvironment(config: EnvironmentConfig): Record<string, string> {
  const postgres = config.services.postgres
  return {
    DJANGO_SETTINGS_MODULE: config.app.settings_module,
    DEBUG: String(config.runtime.debug),
    LOG_LEVEL: config.runtime.log_level,
    SECRET_KEY: DEV_SECRET_KEY,
    POSTGRES_HOST: "db",
    POSTGRES_PORT: String(DEV_PORTS.postgres),
    POSTGRES_DB: postgres.database,
    POSTGRES_USER: postgres.user,
    POSTGRES_PASSWORD: DEV_DATABASE_PASSWORD,
    MEMCACHED_LOCATION: `cache:${DEV_PORTS.memcached}`,
    // The rabbitmq image's guest user, which it lets connect from other hosts.
    RABBITMQ_URL: `amqp://guest:guest@queue:${DEV_PORTS.rabbitmq}//`,
    ...(config.tools.mailhog ? { EMAIL_HOST: "mailhog", EMAIL_PORT: String(DEV_PORTS.mailhogSmtp) } : {}),
  }
}

/** The database starts empty on every `up` (tmpfs), so migrate first, then serve with autoreload. */
export const devServerArgs = (port: number): string[] => [
  "sh",
  "-c",
  `python manage.py migrate --noinput && exec python manage.py runserver 0.0.0.0:${port}`,
]

/** The app, then each enabled tool, each on its own port. */
export function devRoutes(config: EnvironmentConfig): DevRoute[] {
  const port = config.app.port
  return [
    { port, upstream: `app:${port}`, description: "Django runserver" },
    ...(config.tools.adminer
      ? [{ port: DEV_PORTS.adminer, upstream: `adminer:${DEV_PORTS.adminer}`, description: "Adminer (server: db)" }]
      : []),
    ...(config.tools.mailhog
      ? [{ port: DEV_PORTS.mailhogUi, upstream: `mailhog:${DEV_PORTS.mailhogUi}`, description: "Mailhog web UI" }]
      : []),
  ]
}

/** The front's Caddyfile: plain HTTP, no admin API, one site per route. */
export function devCaddyfile(routes: readonly DevRoute[]): string {
  const global = ["{", "\tadmin off", "\tauto_https off", "}"]
  const sites = routes.map((r) => [`http://:${r.port} {`, `\treverse_proxy ${r.upstream}`, "}"].join("\n"))
  return [global.join("\n"), ...sites].join("\n\n") + "\n"
}

export const DEV_CADDYFILE = "/etc/caddy/Caddyfile"
export const devFrontArgs = (): string[] => ["caddy", "run", "--config", DEV_CADDYFILE, "--adapter", "caddyfile"]

/** Postgres for development: the environment's database and user, a throwaway password, data on tmpfs. */
export function devPostgresService(config: EnvironmentConfig): Service {
  return dag
    .container()
    .from(IMAGES.postgres)
    .withEnvVariable("POSTGRES_USER", config.services.postgres.user)
    .withEnvVariable("POSTGRES_PASSWORD", DEV_DATABASE_PASSWORD)
    .withEnvVariable("POSTGRES_DB", config.services.postgres.database)
    .withMountedTemp("/var/lib/postgresql/data")
    .withExposedPort(DEV_PORTS.postgres)
    .asService({ useEntrypoint: true })
}

/** Adminer with the stack's Postgres bound as db, preselected on its login page. */
export function adminerService(db: Service): Service {
  return dag
    .container()
    .from(DEV_IMAGES.adminer)
    .withServiceBinding("db", db)
    .withEnvVariable("ADMINER_DEFAULT_SERVER", "db")
    .withExposedPort(DEV_PORTS.adminer)
    .asService({ useEntrypoint: true })
}

/**
 * Mailhog: catches the app's mail on SMTP 1025 and shows it on 8025. Its image has an
 * ENTRYPOINT (MailHog) and no CMD, so the command is given outright.
 */
export function mailhogService(): Service {
  return dag
    .container({ platform: MAILHOG_PLATFORM as Platform })
    .from(DEV_IMAGES.mailhog)
    .withExposedPort(DEV_PORTS.mailhogSmtp)
    .withExposedPort(DEV_PORTS.mailhogUi)
    .asService({ args: ["MailHog"], useEntrypoint: false })
}

/** The app container: the development target, the source over /app, services bound, settings set. */
export function devApp(
  source: Directory,
  config: EnvironmentConfig,
  services: { db: Service; mailhog?: Service },
): Container {
  // The image needs only what its dependency layers COPY; the code arrives through the mount.
  const context = source.filter({ include: ["Dockerfile", ...STAGE_INPUTS.dependencies] })
  let app = context
    .dockerBuild({ target: "development", buildArgs: [{ name: "PYTHON_IMAGE", value: IMAGES.python }] })
    .withMountedDirectory(APP_DIR, source.filter({ exclude: [...STAGE_INPUTS.appExclude] }), { owner: DEV_APP_USER })
    .withWorkdir(APP_DIR)
    .withServiceBinding("db", services.db)
    .withServiceBinding("cache", memcachedService())
    .withServiceBinding("queue", rabbitmqService())
  if (services.mailhog) app = app.withServiceBinding("mailhog", services.mailhog)
  for (const [name, value] of Object.entries(devEnvironment(config))) app = app.withEnvVariable(name, value)
  return app.withExposedPort(config.app.port)
}

/**
 * The development stack behind one Caddy front (see the top of this file for its ports). Lazy:
 * nothing runs until the caller asks for a leaf such as `up`.
 */
export function devService(source: Directory, config: EnvironmentConfig): Service {
  const db = devPostgresService(config)
  const mailhog = config.tools.mailhog ? mailhogService() : undefined
  const app = devApp(source, config, { db, mailhog }).asService({
    args: devServerArgs(config.app.port),
    useEntrypoint: false,
  })
  const routes = devRoutes(config)
  let front = dag
    .container()
    .from(IMAGES.caddy)
    .withNewFile(DEV_CADDYFILE, devCaddyfile(routes))
    .withServiceBinding("app", app)
  if (config.tools.adminer) front = front.withServiceBinding("adminer", adminerService(db))
  if (mailhog) front = front.withServiceBinding("mailhog", mailhog)
  for (const route of routes) front = front.withExposedPort(route.port, { description: route.description })
  return front.asService({ args: devFrontArgs(), useEntrypoint: false })
}
