/**
 * Retention: keep the newest `keep` dumps of an environment and delete the rest, with their
 * manifests. The dump just made is always kept, even if a skewed clock sorts it among the old.
 */
import { readdir, rm } from "node:fs/promises"
import { join } from "node:path"
import { dumpFileName, idFromDumpFile, manifestFileName } from "./naming.js"

/** Which ids to delete, oldest first: all but justMade and the newest keep - 1 others. */
export function choosePrune(ids: readonly string[], keep: number, justMade: string): string[] {
  const others = ids
    .filter((id) => id !== justMade)
    .sort()
    .reverse()
  return others.slice(Math.max(keep - 1, 0)).reverse()
}

export async function pruneBackups(location: string, env: string, keep: number, justMade: string): Promise<string[]> {
  const ids = (await readdir(location)).flatMap((name) => idFromDumpFile(env, name) ?? [])
  const doomed = choosePrune(ids, keep, justMade)
  for (const id of doomed) {
    await rm(join(location, dumpFileName(id)), { force: true })
    await rm(join(location, manifestFileName(id)), { force: true })
  }
  return doomed
}
