/**
 * The typed failure of the development deploy's managed services. Every one names the service,
 * its container and the address involved, says what happened (with the driver's own words kept
 * at the end, never alone) and what to do next. The message is built by a pure formatter, apart
 * from the class, and tests assert it whole.
 */

/** Stable codes: one per kind of failure, for scripts and the docs. */
export const DEV_SERVICE_CODES = {
  refused: "DP300", //         a tier above development asked for managed services
  "image-missing": "DP301", // the image is not on the Docker host and could not be pulled
  docker: "DP302", //          a docker command about the service failed
  "port-taken": "DP303", //    the engine could not publish the port
  "not-ready": "DP304", //     it did not answer in time
  credentials: "DP305", //     it answered, but refused the configured login
  state: "DP306", //           the container is in a state a deploy does not touch (paused, dead)
} as const

export type DevServiceErrorKind = keyof typeof DEV_SERVICE_CODES

/** The CLI's kebab-case failure code of each kind (its FailureCode vocabulary): dev-service-image-missing, … */
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

export class DevServiceError extends Error {
  override readonly name = "DevServiceError"
  readonly code: (typeof DEV_SERVICE_CODES)[DevServiceErrorKind]
  readonly kind: DevServiceErrorKind
  /** For the CLI's outcome: `failure(error.failureCode, error.message)`. */
  readonly failureCode: DevServiceFailureCode
  readonly service: string
  readonly container: string
  readonly address: string
  readonly next: string
  constructor(failure: DevServiceFailure, options?: { cause?: unknown }) {
    super(formatDevServiceFailure(failure), options)
    this.kind = failure.kind
    this.code = DEV_SERVICE_CODES[failure.kind]
    this.failureCode = `dev-service-${failure.kind}`
    this.service = failure.service
    this.container = failure.container
    this.address = failure.address
    this.next = failure.next
  }
}
