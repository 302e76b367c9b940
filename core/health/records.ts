/**
 * The bounded history the loops keep: the last N attempts, oldest first. Shared by the gate and
 * the watch so both report failures the same way.
 */
import type { AttemptRecord } from "./gate-error.js"

export const KEEP_LAST = 5

export function remember(history: AttemptRecord[], record: AttemptRecord, keep: number): void {
  history.push(record)
  if (history.length > keep) history.splice(0, history.length - keep)
}
