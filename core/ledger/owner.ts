/**
 * Who is deploying: a person or CI job, the machine and the process. Records and lock rows carry
 * it so a blocked colleague reads "alice@laptop (pid 4242)" instead of a bare backend number.
 */
import { hostname, userInfo } from "node:os"

export interface Owner {
  who: string
  host: string
  pid: number
}

/** The owner of this process; `who` falls back to $USER, then the uid, where there is no passwd entry. */
export function localOwner(who?: string): Owner {
  return { who: who ?? currentUser(), host: hostname(), pid: process.pid }
}

export function describeOwner(owner: Owner): string {
  return `${owner.who}@${owner.host} (pid ${owner.pid})`
}

function currentUser(): string {
  try {
    return userInfo().username
  } catch {
    return process.env.USER ?? `uid ${process.getuid?.() ?? "unknown"}`
  }
}
