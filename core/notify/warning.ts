/**
 * The text a caller records when a notification was not delivered. Pure and tested verbatim:
 * a broker outage never fails a deploy, so this sentence is all anyone will see of it.
 */

/** Where a notification got to before it failed. */
export type Stage = "connecting" | "opening a channel" | "declaring the exchange" | "waiting for the publisher confirm"

export type Undelivered =
  | { kind: "timeout"; stage: Stage; ms: number }
  | { kind: "nack" }
  | { kind: "refused"; code: string }
  | { kind: "error"; stage: Stage; message: string }
  | { kind: "closed" }

export function formatWarning(routingKey: string, broker: string, exchange: string, why: Undelivered): string {
  return `notification ${routingKey} not delivered: ${reason(broker, exchange, why)}; the deploy continues without it`
}

function reason(broker: string, exchange: string, why: Undelivered): string {
  switch (why.kind) {
    case "timeout":
      return `no answer from RabbitMQ at ${broker} within ${why.ms}ms while ${why.stage}`
    case "nack":
      return `RabbitMQ at ${broker} refused it (nack) on exchange ${exchange}`
    case "refused":
      return `RabbitMQ at ${broker} refused the connection (${why.code})`
    case "error":
      return `RabbitMQ at ${broker} failed while ${why.stage}: ${why.message}`
    case "closed":
      return "the notifier was already closed"
  }
}
