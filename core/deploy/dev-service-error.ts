/**
 * The typed failure of the development deploy's managed services. Every one names the service,
 * its container and the address involved, says what happened (with the driver's own words kept
 * at the end, never alone) and what to do next. The message is built by a pure formatter, apart
 * from the class, and tests assert it whole.
 */

import { PipelineError } from "../errors/pipeline-error.js"

/** The kinds of failure, each with its stable code `dev-service-<kind>` (core/errors/codes.ts says what each means). */
export const DEV_SERVICE_KINDS = [
  "refused",
  "image-missing",
  "docker",
  "port-taken",
  "not-ready",
  "credentials",
  "state",
] as const

export type DevServiceErrorKind = (typeof DEV_SERVICE_KINDS)[number]

export type DevServiceFailureCode = `dev-service-${DevServiceErrorKind}`

export interface DevServiceFailure {
  kind: DevServiceErrorKind
  /** postgres, memcached or rabbitmq; "services" for a failure of them all (the network, the tier). */
  service: string
  /** The container's name, or the network's. */
  container: string
  /** Where: an image, a network, 127.0.0.1:PORT, alias:port. */
  address: string
  /** What happened, in one sentence. */
  what: string
  /** What the driver said, verbatim (its last lines), if anything. */
  said?: string
  next: string
}

export function formatDevServiceFailure(failure: DevServiceFailure): string {
  const said = failure.said?.trim()
  return [
    `${failure.service} (container ${failure.container}, ${failure.address}): ${failure.what}`,
    ...(said ? [`  ${said.split("\n").slice(-5).join("\n  ")}`] : []),
    `next: ${failure.next}`,
  ].join("\n")
}

export class DevServiceError extends PipelineError {
  override readonly name = "DevServiceError"
  readonly code: DevServiceFailureCode
  readonly kind: DevServiceErrorKind
  readonly service: string
  readonly container: string
  readonly address: string
  readonly next: string
  constructor(failure: DevServiceFailure, options?: { cause?: unknown }) {
    super(formatDevServiceFailure(failure), options)
    this.kind = failure.kind
    this.code = `dev-service-${failure.kind}`
    this.service = failure.service
    this.container = failure.container
    this.address = failure.address
    this.next = failure.next
  }
}
