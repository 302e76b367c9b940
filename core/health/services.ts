/**
 * The pipeline's own checks of the app's backing services (Postgres, Memcached, RabbitMQ), run
 * concurrently before the switch. Each service is retried on a backoff schedule until it passes
 * or the shared deadline leaves no room for another attempt; one result per service comes back,
 * and nothing throws, so the orchestrator decides what a failure means.
 */
import type { EnvironmentConfig } from "../config/schema.js"
import { backoff } from "./backoff.js"
import { systemTiming, type Timing } from "../time/clock.js"
import { memcachedProbe } from "./probes/memcached.js"
import { postgresProbe } from "./probes/postgres.js"
import { rabbitmqProbe } from "./probes/rabbitmq.js"
import type { Probe } from "./result.js"
import { retryUntilDeadline } from "./retry.js"

export const SERVICES = ["postgres", "memcached", "rabbitmq"] as const
export type ServiceName = (typeof SERVICES)[number]

/** Secret values, resolved at the edge; never part of the config. */
export interface ServiceCredentials {
  postgres?: { password: string }
  rabbitmq?: { password: string }
  memcached?: { username: string; password: string }
}

export interface ServiceCheck {
  service: ServiceName
  /** Where, without secrets: postgres://webapp@db:5432/webapp */
  target: string
  ok: boolean
  /** From the start until the passing attempt, or the last failed one, ended. */
  ms: number
  attempts: number
  /** The last attempt's error, when ok is false. */
  error?: string
}

export interface ProbeServicesOptions {
  /** Every service's budget, shared: all of them run at once. */
  deadlineMs: number
  /** One attempt's limit (default: health.timeout). */
  attemptTimeoutMs?: number
  /** Retry delays (default: from health.interval, doubling, at most 5 s, 20 % jitter). */
  backoff?: { intervalMs: number; factor: number; maxMs: number; jitter: number }
  random?: () => number
}

/** The probe for each service, from the config and the credentials. Pure apart from the probes it builds. */
export function serviceProbes(
  services: EnvironmentConfig["services"],
  creds: ServiceCredentials,
): Record<ServiceName, Probe> {
  const { postgres, memcached, rabbitmq } = services
  return {
    postgres: postgresProbe({
      host: postgres.host,
      port: postgres.port,
      user: postgres.user,
      database: postgres.database,
      password: creds.postgres?.password,
    }),
    memcached: memcachedProbe({
      host: memcached.host,
      port: memcached.port,
      username: creds.memcached?.username,
      password: creds.memcached?.password,
    }),
    rabbitmq: rabbitmqProbe({
      host: rabbitmq.host,
      port: rabbitmq.port,
      vhost: rabbitmq.vhost,
      user: rabbitmq.user,
      password: creds.rabbitmq?.password ?? "",
    }),
  }
}

export async function probeServices(
  config: Pick<EnvironmentConfig, "services" | "health">,
  creds: ServiceCredentials,
  options: ProbeServicesOptions,
  timing: Timing = systemTiming,
): Promise<ServiceCheck[]> {
  const probes = serviceProbes(config.services, creds)
  const schedule = options.backoff ?? { intervalMs: config.health.interval, factor: 2, maxMs: 5000, jitter: 0.2 }
  return Promise.all(
    SERVICES.map(async (service): Promise<ServiceCheck> => {
      const outcome = await retryUntilDeadline(
        probes[service],
        {
          deadlineMs: options.deadlineMs,
          attemptTimeoutMs: options.attemptTimeoutMs ?? config.health.timeout,
          schedule: backoff({ ...schedule, random: options.random }),
        },
        timing,
      )
      const { result } = outcome
      return {
        service,
        target: result.target,
        ok: result.ok,
        ms: outcome.elapsedMs,
        attempts: outcome.attempts,
        ...(result.ok ? {} : { error: result.error ?? "failed" }),
      }
    }),
  )
}
