/**
 * A DeploySide with no engine: each operation records what it was asked and answers a fixed
 * outcome (or throws the error it was given), and the engine is one plain object. The command
 * specs and the two-surfaces spec use it, so they assert outcome texts with nothing running.
 */
import type { DeploySide, Operations } from "../../core/commands/deploy-side.js"
import type { DeployOutcome } from "../../core/deploy/deploy.js"
import type { RestoreOutcome } from "../../core/deploy/restore.js"
import type { RollbackOutcome } from "../../core/deploy/rollback.js"
import type { ScaleOutcome } from "../../core/deploy/scale.js"
import type { EngineDeps } from "../../core/deploy/session.js"
import type { EnvironmentStatus } from "../../core/deploy/status.js"
import type { ForceReleaseResult } from "../../core/ledger/lock/force.js"
import type { LockStatus } from "../../core/ledger/lock/types.js"
import type { DeployRecord } from "../../core/ledger/record.js"
import { DIGEST, IMAGE } from "./environments.js"

const OLD = `sha256:${"fedcba9876543210".repeat(4)}`
const OWNER = { who: "alice", host: "laptop", pid: 4242 }
const AT = new Date("2026-11-29T01:02:03.000Z")

export const RELEASE = { image: IMAGE, digest: DIGEST, short: "0123456789ab", version: "0123456789ab" }

export const DEPLOYED: DeployOutcome = {
  id: 7,
  result: "succeeded",
  release: RELEASE,
  previous: OLD,
  durationMs: 42_345,
  summary: `${IMAGE} is live in staging (green)`,
  warnings: ["memcached at 127.0.0.1:11211 did not answer"],
}
export const SWITCHED_BACK: DeployOutcome = {
  ...DEPLOYED,
  result: "rolled_back",
  summary: "health failed after the switch; staging is back on fedcba987654 (blue)",
  warnings: [],
}
export const ROLLED_BACK: RollbackOutcome = {
  id: 8,
  release: RELEASE,
  from: OLD,
  fast: true,
  warm: false,
  seconds: 3.2,
  totalSeconds: 6.4,
  summary: "staging is back on 0123456789ab (blue), started from kept containers",
  warnings: ["notification staging.succeeded not delivered"],
}
export const SCALED: ScaleOutcome = { id: 9, from: 2, to: 4, summary: "web of 0123456789ab went from 2 to 4 replicas" }
export const RESTORED: RestoreOutcome = {
  id: 10,
  backup: "production-20261129T010203Z-0123456789ab",
  sha256: "ab".repeat(32),
  summary: "restored production's database app from production-20261129T010203Z-0123456789ab",
}

export const RECORD: DeployRecord = {
  id: 7,
  env: "staging",
  action: "deploy",
  requestedBy: "alice@laptop",
  approval: "staging@0123456789ab",
  image: { ref: IMAGE, digest: DIGEST },
  commit: null,
  configHash: "c0ffee",
  previousDigest: OLD,
  colorFrom: "blue",
  colorTo: "green",
  migrations: [],
  unsafeOverride: null,
  backup: null,
  phases: [],
  startedAt: AT,
  switchedAt: AT,
  finishedAt: new Date("2026-11-29T01:02:45.000Z"),
  durationMs: 42_345,
  result: "succeeded",
  error: null,
  rolledBackFrom: null,
  owner: OWNER,
  lock: { backendPid: 101, backendStart: AT },
}
export const LOCK: LockStatus = {
  state: "held",
  row: {
    env: "staging",
    owner: OWNER,
    since: AT,
    message: "deploying 0123456789ab",
    session: { backendPid: 101, backendStart: AT },
  },
}
export const STATUS: EnvironmentStatus = {
  env: "staging",
  serving: { state: "up", digest: RECORD.image.digest, version: "1.4.2", note: null },
  current: RECORD,
  previousStable: null,
  lock: LOCK,
  containers: [],
}
export const RELEASED: ForceReleaseResult = {
  before: { state: "stale", row: LOCK.row },
  event: "cleared_stale",
  terminatedBackendPid: null,
  aborted: [],
}

/** The image ID a fake source build answers. */
export const BUILT = `sha256:${"b".repeat(64)}`

/** Stands in for EngineDeps: the fake operations never read it, they only check it is the one the engine made. */
export const FAKE_DEPS = { fake: "engine deps" } as unknown as EngineDeps

export interface Call {
  op: keyof Operations
  /** The request (or the arguments after the environment) the operation got. */
  args: unknown[]
}

export interface FakeSide {
  side: DeploySide
  calls: Call[]
  /** How many times the engine's dependencies were made. */
  engines: number
}

/** A fake side answering the fixtures above; `fails` makes every operation throw that error instead. */
export function fakeSide(
  options: { fails?: unknown; debug?: boolean; deploy?: DeployOutcome; status?: EnvironmentStatus } = {},
): FakeSide {
  const fake: FakeSide = { side: undefined as unknown as DeploySide, calls: [], engines: 0 }
  const answer =
    <T>(op: keyof Operations, value: T) =>
    async (...args: unknown[]): Promise<T> => {
      fake.calls.push({
        op,
        args: args.map((a) => (a === FAKE_DEPS ? "deps" : typeof a === "function" ? "deps source" : a)),
      })
      if (options.fails !== undefined) throw options.fails
      return value
    }
  const ops: Operations = {
    deploy: answer("deploy", options.deploy ?? DEPLOYED),
    rollback: answer("rollback", ROLLED_BACK),
    scale: answer("scale", SCALED),
    restore: answer("restore", RESTORED),
    readStatus: answer("readStatus", options.status ?? STATUS),
    readHistory: answer("readHistory", [RECORD]),
    lockStatus: answer("lockStatus", LOCK),
    releaseLock: answer("releaseLock", RELEASED),
    buildSource: answer("buildSource", BUILT),
  }
  fake.side = { engine: async () => (fake.engines++, FAKE_DEPS), ops, debug: options.debug ?? false }
  return fake
}
