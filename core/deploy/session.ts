/**
 * What deploy and rollback share: the ledger connection, the lock (released in `finally`), the
 * ledger row, phase timing and the notifications. A broker outage is a warning on the record,
 * never a failed deploy.
 */
import type pg from "pg"
import type { BackupStore } from "../backup/store.js"
import type { Environment } from "../config/load.js"
import type { Executor } from "../exec/types.js"
import { type Timing, systemTiming } from "../time/clock.js"
import { Ledger, migrateLedger } from "../ledger/index.js"
import { DeployLock } from "../ledger/lock/lock.js"
import type { LockHandle } from "../ledger/lock/types.js"
import type { Owner } from "../ledger/owner.js"
import type { Action, DeployRecord, FinalResult, StartInput } from "../ledger/record.js"
import type { Notifier } from "../notify/notifier.js"
import type { DeployEventName } from "../notify/event.js"
import { composeDriver } from "./compose.js"
import type { Driver, DriverTarget } from "./driver.js"
import { swarmDriver } from "./swarm.js"
import { DeployError, type DeployErrorCode } from "./errors.js"
import type { Reach } from "./deployer-services.js"
import { projectNames } from "./names.js"

export interface EngineDeps {
  executor: Executor
  /** Passwords this process itself needs (POSTGRES_PASSWORD for backups); containers get theirs from the executor. */
  secretValues: Readonly<Record<string, string>>
  /** A new connection to the ledger database (the lock keeps one open for the whole deploy). */
  connectLedger: () => Promise<pg.Client>
  /** Runs pg_dump and pg_restore for production backups, with files of this process; supplies the secret PGPASSWORD. */
  backupExecutor?: Executor
  /** Keeps backups beyond this process (under Dagger: on the Docker host); absent when deploy.backup.location is local. */
  backupStore?: BackupStore
  notifier: Notifier
  timing: Timing
  owner: Owner
  log: (line: string) => void
  /** Where this process reaches services whose address differs from services.* (under Dagger: host services). */
  reach?: Reach
}

/**
 * The engine's dependencies, or how to make them. A deploy makes them only after the checks that
 * need none (approval, the migrations gate), so a refused deploy reads no secret: on a real
 * engine an unset secret would otherwise hide the refusal behind a secret error.
 */
export type EngineDepsSource = EngineDeps | (() => Promise<EngineDeps>)

export function engineDeps(source: EngineDepsSource): Promise<EngineDeps> {
  return typeof source === "function" ? source() : Promise.resolve(source)
}

export interface SessionInfo {
  env: Environment
  action: Action
  lockWaitMs: number
  message: string
}

export interface Session {
  ledger: Ledger
  driver: Driver
  lock: LockHandle
  /** Times a step, records it as a ledger phase and logs it. */
  phase<T>(step: string, work: () => Promise<T>, describe?: (value: T) => string): Promise<T>
  notify(
    event: DeployEventName,
    record: {
      id: number
      start: Omit<StartInput, "owner" | "lock">
      result?: string
      error?: string
      durationMs?: number
    },
  ): Promise<void>
  /**
   * The ledger row around `work`: "started" (and its event), then the result `work` returns, or
   * "failed" with the error's message when it throws (rethrown as a DeployError). Scales and restores are
   * recorded but send no events (the event vocabulary is deploy and rollback).
   */
  track<T extends Tracked>(
    start: Omit<StartInput, "owner" | "lock">,
    failureCode: DeployErrorCode,
    work: (id: number) => Promise<T>,
  ): Promise<T & { id: number; durationMs: number }>
  /** Problems that do not fail the deploy (a broker outage, a failed prune): kept on the outcome and logged. */
  warnings: string[]
  warn(warning: string): void
}

/** What tracked work returns: its final result, and the error when it switched back. */
export interface Tracked {
  result: Exclude<FinalResult, "failed" | "aborted">
  error?: string
}

/** Opens the ledger, takes the lock, runs `work`, and always releases the lock and closes connections. */
export async function withSession<T>(
  info: SessionInfo,
  deps: EngineDeps,
  work: (session: Session) => Promise<T>,
): Promise<T> {
  const { env } = info
  const schema = env.config.ledger.schema
  const client = await deps.connectLedger()
  client.on("error", () => undefined)
  const warnings: string[] = []
  let recordId: number | undefined
  try {
    await migrateLedger(client, schema)
    const ledger = new Ledger(client, schema)
    const locks = new DeployLock({ connect: deps.connectLedger, schema })
    deps.log(`locking ${env.name} (wait up to ${Math.round(info.lockWaitMs / 1000)}s)`)
    const lock = await locks.acquire(env.name, deps.owner, info.message, {
      waitMs: info.lockWaitMs,
      pollMs: Math.min(1000, Math.max(100, info.lockWaitMs / 10)),
    })
    try {
      const aborted = await ledger.abortStale(env.name)
      for (const record of aborted)
        deps.log(
          `marked deploy #${record.id} aborted: its deployer (${record.owner.who}@${record.owner.host} pid ${record.owner.pid}) is gone`,
        )
      const driver = driverFor(env, deps.executor, deps.timing)
      const session: Session = {
        ledger,
        driver,
        lock,
        warnings,
        warn(warning) {
          warnings.push(warning)
          deps.log(`warning: ${warning}`)
        },
        async phase(step, run, describe) {
          const startedAt = new Date()
          const began = performance.now()
          deps.log(`${step}…`)
          let value: Awaited<ReturnType<typeof run>>
          try {
            value = await run()
          } catch (error) {
            // The audit trail shows where a deploy stopped and why, not only the steps that passed.
            const why = (error instanceof Error ? error.message : String(error)).split("\n")[0]!
            if (recordId !== undefined)
              await ledger.phase(recordId, step, startedAt, `failed: ${why}`).catch(() => undefined)
            deps.log(`${step}: failed (${Math.round(performance.now() - began)} ms)`)
            throw error
          }
          const detail = describe ? describe(value) : typeof value === "string" ? value : null
          if (recordId !== undefined) await ledger.phase(recordId, step, startedAt, detail ?? undefined)
          deps.log(`${step}: ${detail ?? "done"} (${Math.round(performance.now() - began)} ms)`)
          return value
        },
        async track(start, failureCode, run) {
          const id = await ledger.start({ ...start, owner: deps.owner, lock: lock.session })
          recordId = id
          const began = performance.now()
          const elapsed = () => Math.round(performance.now() - began)
          const events = info.action === "deploy" || info.action === "rollback"
          if (events) await session.notify("started", { id, start })
          try {
            const outcome = await run(id)
            const durationMs = elapsed()
            await ledger.finish(id, outcome.result, outcome.error ? { error: outcome.error } : {})
            if (events)
              await session.notify(outcome.result, {
                id,
                start,
                result: outcome.result,
                durationMs,
                ...(outcome.error ? { error: outcome.error } : {}),
              })
            return { ...outcome, id, durationMs }
          } catch (error) {
            const message = error instanceof Error ? error.message : String(error)
            await ledger.finish(id, "failed", { error: message })
            if (events)
              await session.notify("failed", { id, start, result: "failed", error: message, durationMs: elapsed() })
            throw error instanceof DeployError ? error : new DeployError(failureCode, message, { cause: error })
          }
        },
        async notify(event, record) {
          if (!env.config.notify.enabled) return
          const result = await deps.notifier.notify({
            event,
            deployId: String(record.id),
            action: info.action === "rollback" ? "rollback" : "deploy",
            image: record.start.image.ref,
            digest: record.start.image.digest,
            previousDigest: record.start.previousDigest,
            configHash: record.start.configHash ?? env.hash,
            requestedBy: record.start.requestedBy,
            ...(record.result ? { result: record.result } : {}),
            ...(record.error ? { error: record.error } : {}),
            ...(record.durationMs !== undefined ? { durationMs: record.durationMs } : {}),
          })
          if (!result.delivered) {
            session.warn(result.warning)
          }
        },
      }
      return await work(session)
    } finally {
      await lock.release()
      deps.log(`unlocked ${env.name}`)
    }
  } finally {
    await deps.notifier.close()
    await client.end().catch(() => undefined)
  }
}

/** The drivers by deploy.driver; another orchestrator is one more entry here (and its own file). */
const DRIVERS: Record<Environment["config"]["deploy"]["driver"], (target: DriverTarget) => Driver> = {
  compose: composeDriver,
  swarm: swarmDriver,
}

/** The environment's driver, running its commands through the executor. */
export function driverFor(env: Environment, executor: Executor, timing: Timing = systemTiming): Driver {
  return DRIVERS[env.config.deploy.driver]({
    executor,
    timing,
    names: projectNames(env.config.app.name, env.name),
    config: env.config,
  })
}

export type { DeployRecord }
