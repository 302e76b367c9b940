/**
 * The environments format: one zod schema is the single source of truth. The YAML loader
 * validates against it, the inferred `EnvironmentConfig` type flows through the plan and the
 * deploy engine, and the README's environments reference documents it.
 *
 * Keys follow the Compose `deploy:` vocabulary (snake_case: `restart_policy`, `update_config`,
 * `max_attempts`) so platform engineers recognise them.
 */
import { z } from "zod"
import { AlertsSchema } from "./alert-thresholds.js"
import { MANAGED_SERVICES_KEYS, checkManagedServices } from "./managed-services.js"
import { TIERS, type Tier } from "./tier.js"
import { parseDuration, parseMemory } from "./units.js"

export { TIERS, type Tier }

/** Secrets each tier must name a source for (the seed's required variables). */
export const REQUIRED_SECRETS: Record<Tier, readonly string[]> = {
  development: ["SECRET_KEY"],
  testing: [],
  staging: ["SECRET_KEY", "POSTGRES_PASSWORD", "ALLOWED_HOSTS"],
  production: ["SECRET_KEY", "POSTGRES_PASSWORD", "ALLOWED_HOSTS", "SECURE_SSL_REDIRECT", "SESSION_COOKIE_SECURE"],
}

/** Secret providers Dagger resolves with `dag.secret(uri)` (and `dagger call --x env:NAME`). */
export const SECRET_PROVIDERS = ["env", "file", "cmd", "op", "vault", "libsecret"] as const
const SECRET_REF = /^(env|file|cmd|op|vault|libsecret):(\/\/)?\S.*$/

const duration = z.string().transform((text, ctx) => {
  const ms = parseDuration(text)
  if (ms === undefined) {
    ctx.addIssue({
      code: "custom",
      message: `"${text}" is not a duration; write a number with a unit, such as "500ms", "30s", "2m" or "1h"`,
      input: text,
    })
    return z.NEVER
  }
  return ms
})

const memory = z.string().refine((text) => parseMemory(text) !== undefined, {
  error: (issue) =>
    `"${String(issue.input)}" is not a memory size; write a whole number with K, M or G, such as "512M" or "1G"`,
})

const port = z.number().int().min(1).max(65535)
const hostname = z.string().regex(/^[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?$/, {
  error: (issue) => `"${String(issue.input)}" is not a host name; write a name or address such as "db" or "10.0.0.5"`,
})
/** A Host header's value: a name or IPv4 address, or a bracketed IPv6 address, with an optional port. */
export const HOST_HEADER = /^(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?)(:\d{1,5})?$/
const identifier = z.string().regex(/^[a-z][a-z0-9_-]{0,62}$/, {
  error: (issue) =>
    `"${String(issue.input)}" is not a valid name; use lowercase letters, digits, "-" and "_", starting with a letter`,
})

export const secretRef = z.string().regex(SECRET_REF, {
  error: (issue) =>
    `${JSON.stringify(issue.input)} is not a secret reference; secret values never live in these files. ` +
    `Name where it comes from: env:NAME, file:PATH, cmd:COMMAND, op://…, vault://… or libsecret://…`,
})

const dockerHost = z.string().regex(/^(unix:\/\/\/\S+|ssh:\/\/[^\s@/]+@[^\s/:]+(:\d+)?|tcp:\/\/[^\s/:]+:\d+)$/, {
  error: (issue) =>
    `${JSON.stringify(issue.input)} is not a Docker host; write unix:///var/run/docker.sock, ssh://user@host[:port] or tcp://host:port`,
})

const resources = z.strictObject({
  cpus: z.number().min(0.01).max(256),
  memory,
})

const Deploy = z.strictObject({
  mode: z.enum(["automatic", "manual"]),
  approval: z.enum(["required", "none"]),
  driver: z.enum(["compose", "swarm"]),
  docker_host: dockerHost,
  /** Pinned known_hosts line(s) for an ssh:// host: the host key is never trusted on first use. */
  ssh_known_hosts: z.string().min(1).optional(),
  /** Secrets that reach the Docker host: the SSH key, or TLS material for tcp://. */
  ssh_key: secretRef.optional(),
  tls: z.strictObject({ ca: secretRef, cert: secretRef, key: secretRef }).optional(),
  lock_wait: duration,
  retain: z.number().int().min(1).max(20),
  /**
   * How long the release a deploy or rollback replaced stays running, out of the route, so a
   * rollback to it is one probe and a switch (compose driver). Unset: 0s, stopped at retire.
   */
  keep_warm: duration.optional(),
  proxy: z.strictObject({
    /** Where the live port is published on the Docker host: 127.0.0.1, or 0.0.0.0 to serve the world. */
    bind: z.string().regex(/^(\d{1,3}\.){3}\d{1,3}$/, {
      error: (issue) => `${JSON.stringify(issue.input)} is not an IPv4 address; write 127.0.0.1 or 0.0.0.0`,
    }),
    http_port: port,
    /** The idle colour, for checks before the switch; published on 127.0.0.1 only. */
    preview_port: port,
    /** Unused since both drivers' proxy is HAProxy (its runtime API is on the proxy's loopback, never published); kept so existing environment files stay valid. */
    admin_port: port,
    /** The proxy image, HAProxy for both drivers (default the pinned haproxy image). */
    image: z.string().min(1).optional(),
  }),
  backup: z.strictObject({
    enabled: z.boolean(),
    location: z.string().min(1),
    verify: z.boolean(),
    keep: z.number().int().min(1).max(365),
  }),
  migrations: z.strictObject({
    run: z.boolean(),
    /** What applies the pending migrations, run once in a container of the new release before it boots. */
    command: z.array(z.string().min(1)).min(1),
    block_on: z.enum(["error", "warning", "never"]),
    lock_timeout: duration,
    statement_timeout: duration,
    /** required: a deploy needs a passing `migrations rehearse` of the same digest in the ledger, no older than max_age. */
    rehearse: z.strictObject({ mode: z.enum(["required", "off"]), max_age: duration }).optional(),
  }),
})

/** The most web replicas a release may have: runtime.replicas and `scale --replicas` alike; the compose proxy has this many slots per colour. */
export const MAX_REPLICAS = 50

const Runtime = z.strictObject({
  debug: z.boolean(),
  log_level: z.enum(["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"]),
  replicas: z.number().int().min(1).max(MAX_REPLICAS),
  resources: z.strictObject({ limits: resources, reservations: resources }),
  restart_policy: z.strictObject({
    condition: z.enum(["none", "on-failure", "any"]),
    delay: duration,
    max_attempts: z.number().int().min(0).max(100),
    window: duration,
  }),
  update_config: z.strictObject({
    parallelism: z.number().int().min(1).max(50),
    delay: duration,
    order: z.enum(["start-first", "stop-first"]),
    failure_action: z.enum(["rollback", "pause", "continue"]),
    monitor: duration,
  }),
})

const Health = z.strictObject({
  path: z.string().regex(/^\/\S*$/, {
    error: (issue) => `${JSON.stringify(issue.input)} is not a URL path; start it with "/", such as "/health/"`,
  }),
  expect_status: z.number().int().min(200).max(399),
  /**
   * The Host header of every health probe (the gate's and the watch's): a name the app's
   * ALLOWED_HOSTS lists. Default: core/deploy/probe-host.ts.
   */
  host: z
    .string()
    .regex(HOST_HEADER, {
      error: (issue) =>
        `${JSON.stringify(issue.input)} is not a Host header; write a name the app's ALLOWED_HOSTS lists, such as "www.example.com" or "localhost"`,
    })
    .optional(),
  interval: duration,
  timeout: duration,
  healthy_threshold: z.number().int().min(1).max(20),
  /** How long the new colour has to pass the gate before the switch. */
  start_deadline: duration,
  /** How long health is watched after the switch; a failure in it switches back. */
  watch: duration,
})

/**
 * Where the deployer (ledger, preflight, notifications, the migrations gate's schema read) reaches
 * a service when that differs from where the app's containers do: a database on the Docker
 * host's loopback that containers reach by a network alias. Port: the service's. Under Dagger a
 * host service (--postgres …) comes first (core/deploy/deployer-services.ts).
 */
const deployerView = z.strictObject({ host: hostname, port: port.optional() }).optional()

const Services = z.strictObject({
  postgres: z.strictObject({
    host: hostname,
    port,
    database: identifier,
    user: identifier,
    version: z.number().int().min(12).max(18),
    deployer: deployerView,
  }),
  memcached: z.strictObject({ host: hostname, port, deployer: deployerView }),
  rabbitmq: z.strictObject({
    host: hostname,
    port,
    vhost: z.string().min(1),
    user: z.string().min(1),
    deployer: deployerView,
  }),
  ...MANAGED_SERVICES_KEYS,
})

const EnvironmentObject = z.strictObject({
  tier: z.enum(TIERS),
  description: z.string().max(200).optional(),
  app: z.strictObject({
    name: identifier,
    image: z.string().regex(/^[a-z0-9]+([._\/:-][a-z0-9]+)*$/, {
      error: (issue) =>
        `${JSON.stringify(issue.input)} is not an image repository; write one such as "registry.example.com/acme/webapp" (no tag: deploys pin digests)`,
    }),
    port,
    settings_module: z.string().regex(/^[A-Za-z_][\w.]*$/, {
      error: (issue) =>
        `${JSON.stringify(issue.input)} is not a Python module path; write one such as "config.settings.production"`,
    }),
    /** Extra plain (non-secret) settings for the app's containers. */
    env: z
      .record(
        z.string().regex(/^[A-Z][A-Z0-9_]*$/, {
          error: (issue) => `${JSON.stringify(issue.input)} is not a variable name; use UPPER_SNAKE_CASE`,
        }),
        z.string().max(4096),
      )
      .optional(),
  }),
  deploy: Deploy,
  runtime: Runtime,
  health: Health,
  services: Services,
  ledger: z.strictObject({ database: identifier, schema: identifier }),
  notify: z.strictObject({ enabled: z.boolean(), exchange: z.string().min(1) }),
  security: z.strictObject({
    run_as_non_root: z.boolean(),
    read_only_root_fs: z.boolean(),
    no_new_privileges: z.boolean(),
    scan: z.strictObject({
      severity: z.array(z.enum(["CRITICAL", "HIGH", "MEDIUM", "LOW", "UNKNOWN"])).min(1),
      ignore_unfixed: z.boolean(),
    }),
  }),
  tools: z.strictObject({ adminer: z.boolean(), mailhog: z.boolean() }),
  tests: z.strictObject({
    tmpfs_database: z.boolean(),
    parallel: z.union([z.literal("auto"), z.number().int().min(1).max(64)]),
    coverage: z.boolean(),
  }),
  secrets: z.record(
    z.string().regex(/^[A-Z][A-Z0-9_]*$/, {
      error: (issue) => `${JSON.stringify(issue.input)} is not a secret name; use UPPER_SNAKE_CASE, such as SECRET_KEY`,
    }),
    secretRef,
  ),
  /** Alert thresholds; each key left out takes the tier's default (core/config/alert-thresholds.ts). */
  alerts: AlertsSchema.optional(),
})

/** A validated environment: durations are milliseconds, everything else as written. */
export type EnvironmentConfig = z.output<typeof EnvironmentObject>

export const EnvironmentSchema = EnvironmentObject.superRefine(checkPolicy)

/** Rules that span keys: what each tier must have, and what each Docker host needs. */
function checkPolicy(env: EnvironmentConfig, ctx: z.RefinementCtx): void {
  checkManagedServices(env, ctx)
  const tier = env.tier
  const protectedTier = tier === "staging" || tier === "production"
  if (protectedTier && env.deploy.approval !== "required") {
    ctx.addIssue({
      code: "custom",
      path: ["deploy", "approval"],
      message: `a ${tier} deploy must be approved; set approval: required`,
    })
  }
  if (protectedTier && env.deploy.mode !== "manual") {
    ctx.addIssue({
      code: "custom",
      path: ["deploy", "mode"],
      message: `${tier} is deployed by hand, after approval; set mode: manual`,
    })
  }
  if (tier === "production" && !env.deploy.backup.enabled) {
    ctx.addIssue({
      code: "custom",
      path: ["deploy", "backup", "enabled"],
      message: "production takes a backup before every deploy; set enabled: true",
    })
  }
  if (protectedTier && env.runtime.debug) {
    ctx.addIssue({
      code: "custom",
      path: ["runtime", "debug"],
      message: `DEBUG leaks settings and stack traces to users; set debug: false for ${tier}`,
    })
  }
  const host = env.deploy.docker_host
  if (host.startsWith("ssh://")) {
    if (!env.deploy.ssh_key)
      ctx.addIssue({
        code: "custom",
        path: ["deploy"],
        message: `an ssh:// Docker host needs ssh_key; add ssh_key: env:DEPLOY_SSH_KEY (or file:…)`,
      })
    if (!env.deploy.ssh_known_hosts)
      ctx.addIssue({
        code: "custom",
        path: ["deploy"],
        message:
          "an ssh:// Docker host needs ssh_known_hosts (its pinned host key); add the line `ssh-keyscan HOST` prints, after checking it",
      })
  }
  if (host.startsWith("tcp://") && !env.deploy.tls) {
    ctx.addIssue({
      code: "custom",
      path: ["deploy"],
      message:
        "a tcp:// Docker host needs tls (ca, cert, key as secret references); an unencrypted Docker API is root on that host",
    })
  }
  for (const kind of ["cpus", "memory"] as const) {
    const limit = env.runtime.resources.limits[kind]
    const reservation = env.runtime.resources.reservations[kind]
    const amount = (value: number | string) => (typeof value === "number" ? value : (parseMemory(value) ?? 0))
    if (amount(reservation) > amount(limit)) {
      ctx.addIssue({
        code: "custom",
        path: ["runtime", "resources", "reservations", kind],
        message: `the reservation (${reservation}) is more than the limit (${limit}); lower it to at most ${limit}`,
      })
    }
  }
  if (env.health.timeout > env.health.interval * 10) {
    ctx.addIssue({
      code: "custom",
      path: ["health", "timeout"],
      message: "timeout is more than ten intervals; shorten it, or lengthen interval",
    })
  }
  if (env.health.start_deadline < env.health.interval * env.health.healthy_threshold) {
    ctx.addIssue({
      code: "custom",
      path: ["health", "start_deadline"],
      message: `start_deadline is shorter than healthy_threshold × interval, so the gate can never pass; make it at least ${env.health.healthy_threshold} × interval`,
    })
  }
  for (const name of Object.keys(env.app.env ?? {})) {
    if (/PASSWORD|SECRET|TOKEN|PRIVATE|(^|_)KEY$/.test(name)) {
      ctx.addIssue({
        code: "custom",
        path: ["app", "env", name],
        message: `${name} looks like a secret; app.env values are plain text in the config. Name it under secrets: with a reference (env:${name}, file:…)`,
      })
    }
  }
  for (const name of REQUIRED_SECRETS[tier]) {
    if (!(name in env.secrets)) {
      ctx.addIssue({
        code: "custom",
        path: ["secrets"],
        message: `${tier} requires secret ${name}; add ${name}: env:${name} (or file:…, op://…)`,
      })
    }
  }
}
