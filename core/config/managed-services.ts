/**
 * Managed backing services: a development deploy runs its own Postgres, Memcached and RabbitMQ
 * as containers on the environment's network (core/deploy/dev-services.ts), so a machine with only
 * Docker needs no hand set-up. This file is the config's part of that, kept apart from schema.ts
 * so it can be adopted there in two lines:
 *
 *   const Services = z.strictObject({ postgres: …, memcached: …, rabbitmq: …, ...MANAGED_SERVICES_KEYS })
 *   checkManagedServices(env, ctx)   // in checkPolicy
 *
 *   services:
 *     managed: true            # default: true for development, refused above it
 *     images:                  # default: the pins in core/constants.ts (IMAGES)
 *       postgres: postgres:17.2
 *       memcached: memcached:1.6.34-alpine
 *       rabbitmq: rabbitmq:3.13.7-alpine
 *
 * Tiers above development never run their own services: their database holds data that must
 * outlive any deploy, and who runs it (backups, upgrades, access) is an operator's decision.
 */
import { z } from "zod"
import type { Tier } from "./tier.js"

export const MANAGED_SERVICES = ["postgres", "memcached", "rabbitmq"] as const
export type ManagedServiceName = (typeof MANAGED_SERVICES)[number]

/** An image reference as `docker run` takes it: repository[:tag][@digest], lowercase repository. */
const IMAGE = /^[a-z0-9]+([._/:-][a-z0-9]+)*(:[\w][\w.-]{0,127})?(@sha256:[0-9a-f]{64})?$/

const image = z.string().regex(IMAGE, {
  error: (issue) =>
    `${JSON.stringify(issue.input)} is not an image reference; write one such as "postgres:17.2" or "registry.example.com/postgres:17.2"`,
})

/** The keys this feature adds under `services:`, to spread into schema.ts's Services object. */
export const MANAGED_SERVICES_KEYS = {
  /** Whether the deploy runs the services itself; default true for development only. */
  managed: z.boolean().optional(),
  /** The image of each managed service; default the pin in core/constants.ts. */
  images: z
    .strictObject({ postgres: image.optional(), memcached: image.optional(), rabbitmq: image.optional() })
    .optional(),
}

/** The keys as an object schema of their own, for tests and for a caller that checks them alone. */
export const ManagedServicesSchema = z.strictObject(MANAGED_SERVICES_KEYS)
export type ManagedServicesConfig = z.output<typeof ManagedServicesSchema>

/** What checkManagedServices reads. */
export interface ManagedServicesInput {
  tier: Tier
  services: ManagedServicesConfig
}

/** Whether an environment's deploy runs its own services: as written, else only for development. */
export function servicesManaged(env: ManagedServicesInput): boolean {
  return env.services.managed ?? env.tier === "development"
}

/** Refuses managed services, and their images, above development; each issue at its key. */
export function checkManagedServices(env: ManagedServicesInput, ctx: z.RefinementCtx): void {
  if (env.tier === "development") return
  if (env.services.managed === true) {
    ctx.addIssue({
      code: "custom",
      path: ["services", "managed"],
      message: `${env.tier} does not run its own services: a deploy there uses the Postgres, Memcached and RabbitMQ that services.* name. Remove managed: true (it is for development only)`,
    })
  }
  if (env.services.images !== undefined) {
    ctx.addIssue({
      code: "custom",
      path: ["services", "images"],
      message: `${env.tier} runs no managed services, so services.images is never used there; remove it (it is for development only)`,
    })
  }
}

/** The network alias and in-container port of each managed service: where the app's containers reach it. */
export const MANAGED_SERVICE_ENDPOINTS: Record<ManagedServiceName, { host: string; port: number }> = {
  postgres: { host: "db", port: 5432 },
  memcached: { host: "cache", port: 11211 },
  rabbitmq: { host: "queue", port: 5672 },
}

/**
 * The secrets the app's containers log in to managed services with, and the variable each comes
 * from: the deploy sets these variables itself, from the managed services' credentials, before it
 * resolves the environment's secrets (an environment that names the secret itself keeps its own).
 */
export const MANAGED_SECRET_VARIABLES = {
  POSTGRES_PASSWORD: "DEPLOY_PIPELINE_MANAGED_POSTGRES_PASSWORD",
  RABBITMQ_URL: "DEPLOY_PIPELINE_MANAGED_RABBITMQ_URL",
} as const
