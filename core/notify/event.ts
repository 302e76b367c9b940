/**
 * Deploy events as they go on the wire: the payload type, and a pure builder for the AMQP
 * message (routing key, body, properties), so the exact bytes and headers are tested without a
 * broker.
 *
 * Exchange: a durable topic exchange, named by notify.exchange in the environment config.
 * Routing key: `<env>.<event>`, e.g. `production.rolled_back`; bind `production.*` for one
 * environment or `*.failed` for every failure.
 * Message: persistent (deliveryMode 2), content-type application/json, UTF-8 JSON of
 * DeployEventPayload; messageId `<deployId>.<event>` (for de-duplication), type `<event>`,
 * appId `deploy-pipeline`, timestamp in Unix seconds.
 *
 * Payload (version 1; fields are only ever added, a breaking change gets version 2):
 *   event           "started" | "succeeded" | "failed" | "rolled_back"
 *   env             environment name, e.g. "production"
 *   deployId        the ledger's id for this deploy or rollback
 *   action          "deploy" | "rollback"
 *   image           the image reference deployed, ref@sha256:…
 *   digest          sha256:… being deployed
 *   previousDigest  sha256:… that was live before, or null on a first deploy
 *   configHash      sha256 of the resolved environment config
 *   requestedBy     who asked (user or CI identity)
 *   result?         finished events: the ledger's result text
 *   error?          failed and rolled_back: what went wrong
 *   at              ISO 8601 time the event was sent
 *   durationMs?     finished events: how long the deploy took
 *   version         1
 */

export const DEPLOY_EVENTS = ["started", "succeeded", "failed", "rolled_back"] as const
export type DeployEventName = (typeof DEPLOY_EVENTS)[number]

export interface DeployEventPayload {
  event: DeployEventName
  env: string
  deployId: string
  action: "deploy" | "rollback"
  image: string
  digest: string
  previousDigest: string | null
  configHash: string
  requestedBy: string
  result?: string
  error?: string
  at: string
  durationMs?: number
  version: 1
}

/** What the orchestrator passes: the notifier adds env, at and version. */
export type DeployEvent = Omit<DeployEventPayload, "env" | "at" | "version">

export const CONTENT_TYPE = "application/json"
export const APP_ID = "deploy-pipeline"

export interface OutgoingMessage {
  routingKey: string
  content: Buffer
  options: {
    persistent: true
    deliveryMode: 2
    contentType: typeof CONTENT_TYPE
    contentEncoding: "utf-8"
    messageId: string
    type: DeployEventName
    appId: typeof APP_ID
    timestamp: number
  }
}

export function routingKey(env: string, event: DeployEventName): string {
  return `${env}.${event}`
}

/** The payload with a fixed key order, so its JSON is stable. */
export function payload(env: string, event: DeployEvent, at: Date): DeployEventPayload {
  return {
    event: event.event,
    env,
    deployId: event.deployId,
    action: event.action,
    image: event.image,
    digest: event.digest,
    previousDigest: event.previousDigest,
    configHash: event.configHash,
    requestedBy: event.requestedBy,
    ...(event.result === undefined ? {} : { result: event.result }),
    ...(event.error === undefined ? {} : { error: event.error }),
    at: at.toISOString(),
    ...(event.durationMs === undefined ? {} : { durationMs: event.durationMs }),
    version: 1,
  }
}

export function buildMessage(env: string, event: DeployEvent, at: Date): OutgoingMessage {
  if (!(DEPLOY_EVENTS as readonly string[]).includes(event.event))
    throw new TypeError(`unknown deploy event ${JSON.stringify(event.event)}; use one of ${DEPLOY_EVENTS.join(", ")}`)
  return {
    routingKey: routingKey(env, event.event),
    content: Buffer.from(JSON.stringify(payload(env, event, at)), "utf8"),
    options: {
      persistent: true,
      deliveryMode: 2,
      contentType: CONTENT_TYPE,
      contentEncoding: "utf-8",
      messageId: `${event.deployId}.${event.event}`,
      type: event.event,
      appId: APP_ID,
      timestamp: Math.floor(at.getTime() / 1000),
    },
  }
}
