/** Deploy events shared by the notify specs. */
import type { DeployEvent } from "../../../core/notify/event.js"

export const DIGEST = `sha256:${"ab".repeat(32)}`
export const PREVIOUS = `sha256:${"cd".repeat(32)}`
export const IMAGE = `registry.example.com/acme/webapp@${DIGEST}`
export const AT = new Date("2026-03-01T12:34:56.789Z")

export const STARTED: DeployEvent = {
  event: "started",
  deployId: "d-42",
  action: "deploy",
  image: IMAGE,
  digest: DIGEST,
  previousDigest: PREVIOUS,
  configHash: "0f1e2d3c4b5a",
  requestedBy: "alice",
}

/** One of each event, as a deploy that fails and is switched back would send them. */
export const LIFECYCLE: DeployEvent[] = [
  STARTED,
  { ...STARTED, event: "succeeded", result: "succeeded", durationMs: 42_000 },
  {
    ...STARTED,
    event: "failed",
    result: "failed",
    error: "health gate failed: 0 of 3 passes within 1m",
    durationMs: 61_000,
  },
  {
    ...STARTED,
    event: "rolled_back",
    action: "rollback",
    result: "rolled_back",
    error: "watch: 3 failed checks in a row",
    durationMs: 75_000,
  },
]
