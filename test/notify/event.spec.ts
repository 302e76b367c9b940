/** The wire format of deploy events: exact routing keys, JSON bytes and AMQP properties, no broker. */
import { expect } from "chai"
import { buildMessage, type DeployEvent, payload, routingKey } from "../../core/notify/event.js"
import { AT, DIGEST, PREVIOUS, STARTED } from "./support/events.js"

describe("notify/event", () => {
  it("routes <env>.<event>", () => {
    expect(
      ["started", "succeeded", "failed", "rolled_back"].map((e) => routingKey("production", e as DeployEvent["event"])),
    ).to.deep.equal(["production.started", "production.succeeded", "production.failed", "production.rolled_back"])
  })

  it("builds a persistent JSON message with the payload in a fixed key order", () => {
    const message = buildMessage("production", STARTED, AT)
    expect(message.routingKey).to.equal("production.started")
    expect(message.content.toString("utf8")).to.equal(
      `{"event":"started","env":"production","deployId":"d-42","action":"deploy","image":"registry.example.com/acme/webapp@${DIGEST}",` +
        `"digest":"${DIGEST}","previousDigest":"${PREVIOUS}","configHash":"0f1e2d3c4b5a","requestedBy":"alice","at":"2026-03-01T12:34:56.789Z","version":1}`,
    )
    expect(message.options).to.deep.equal({
      persistent: true,
      deliveryMode: 2,
      contentType: "application/json",
      contentEncoding: "utf-8",
      messageId: "d-42.started",
      type: "started",
      appId: "deploy-pipeline",
      timestamp: 1772368496,
    })
  })

  it("includes result, error and durationMs only when given", () => {
    const failed: DeployEvent = {
      ...STARTED,
      event: "failed",
      action: "rollback",
      previousDigest: null,
      result: "failed",
      error: "health gate failed",
      durationMs: 61_000,
    }
    expect(payload("staging", failed, AT)).to.deep.equal({
      event: "failed",
      env: "staging",
      deployId: "d-42",
      action: "rollback",
      image: `registry.example.com/acme/webapp@${DIGEST}`,
      digest: DIGEST,
      previousDigest: null,
      configHash: "0f1e2d3c4b5a",
      requestedBy: "alice",
      result: "failed",
      error: "health gate failed",
      at: "2026-03-01T12:34:56.789Z",
      durationMs: 61_000,
      version: 1,
    })
  })

  it("refuses an event name outside the four", () => {
    expect(() => buildMessage("production", { ...STARTED, event: "paused" as DeployEvent["event"] }, AT)).to.throw(
      TypeError,
      'unknown deploy event "paused"; use one of started, succeeded, failed, rolled_back',
    )
  })
})
