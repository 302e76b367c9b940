/**
 * The notify library's public surface: deploy events to a RabbitMQ topic exchange, best effort.
 */
export {
  APP_ID,
  buildMessage,
  CONTENT_TYPE,
  DEPLOY_EVENTS,
  payload,
  routingKey,
  type DeployEvent,
  type DeployEventName,
  type DeployEventPayload,
  type OutgoingMessage,
} from "./event.js"
export {
  brokerUrl,
  createNotifier,
  DEFAULT_NOTIFY_TIMEOUT_MS,
  notifierFor,
  type BrokerOptions,
  type Notifier,
  type NotifierDeps,
  type NotifierOptions,
  type NotifyResult,
} from "./notifier.js"
export { formatWarning, type Stage, type Undelivered } from "./warning.js"
