/** The lock's texts, pure: a blocked deployer must learn who holds the lock, since when, and what to do. */
import { describeOwner } from "../owner.js"
import type { LockStatus } from "./types.js"

/** "12:03:04 UTC" on the same UTC day as now, else "2024-05-01 12:03:04 UTC". */
export function formatSince(since: Date, now: Date): string {
  const iso = since.toISOString()
  const sameDay = iso.slice(0, 10) === now.toISOString().slice(0, 10)
  return `${sameDay ? "" : `${iso.slice(0, 10)} `}${iso.slice(11, 19)} UTC`
}

/** Who holds it: "alice@laptop (pid 4242) since 12:03:04 UTC: deploying sha256:abc…". */
export function describeHolder(status: LockStatus, now: Date): string {
  if (status.state === "unrecorded") {
    const who = status.backendPid === null ? "a Postgres session" : `Postgres backend pid ${status.backendPid}`
    return `${who} that wrote no lock row (not a deploy-pipeline deployer)`
  }
  const { owner, since, message } = status.row
  return `${describeOwner(owner)} since ${formatSince(since, now)}${message === "" ? "" : `: ${message}`}`
}

export function lockHeldMessage(env: string, status: LockStatus, now: Date): string {
  return `${env} is locked by ${describeHolder(status, now)}; wait with --lock-wait SECONDS or ask them`
}

export function forceRequiredMessage(env: string, status: LockStatus, now: Date): string {
  const pid = status.state === "unrecorded" ? status.backendPid : status.row.session.backendPid
  return (
    `${env} is locked by ${describeHolder(status, now)}. Releasing it ends that Postgres session (backend pid ${pid ?? "unknown"}) ` +
    `and aborts whatever it is doing; to do that, run: deploy-pipeline lock release --env ${env} --force --reason TEXT`
  )
}

export function lockLostMessage(env: string, cause: string): string {
  return `the ${env} deploy lock was lost: its Postgres connection closed (${cause}); stop before changing anything else`
}

export function holderStillAliveMessage(env: string, backendPid: number, waitedMs: number): string {
  return `${env}: backend pid ${backendPid} still holds the lock ${waitedMs} ms after pg_terminate_backend; check pg_stat_activity`
}
