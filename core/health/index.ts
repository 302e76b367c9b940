/**
 * The health library's public surface, for the deploy orchestrator: the gate before the switch,
 * the watch after it, the service checks, the probes, and the pure schedules they run on.
 */
export { backoff, take, type BackoffOptions } from "./backoff.js"
export { realSleep, systemClock, systemTiming, type Clock, type Sleep, type Timing } from "../time/clock.js"
export { deadline, type Deadline } from "./deadline.js"
export { formatGateFailure, HealthGateError, type AttemptRecord, type GateFailure } from "./gate-error.js"
export { nextStep } from "./hints.js"
export { httpProbe, type HttpProbeOptions } from "./probes/http.js"
export { memcachedProbe, type MemcachedProbeOptions } from "./probes/memcached.js"
export { postgresProbe, type PostgresProbeOptions } from "./probes/postgres.js"
export { rabbitmqProbe, type RabbitmqProbeOptions } from "./probes/rabbitmq.js"
export type { FailureKind, Probe, ProbeResult } from "./result.js"
export { retryUntilDeadline, type RetryOptions, type RetryOutcome } from "./retry.js"
export {
  probeServices,
  serviceProbes,
  SERVICES,
  type ProbeServicesOptions,
  type ServiceCheck,
  type ServiceCredentials,
  type ServiceName,
} from "./services.js"
export { waitHealthy, type GateOptions, type GateReport } from "./wait-healthy.js"
export { watch, type WatchOptions, type WatchReport } from "./watch.js"
