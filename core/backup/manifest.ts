/**
 * The manifest beside each dump (<id>.json): what was dumped, from which server, with which
 * checksum and facts, and whether a restore proved it. restore checks the checksum against it,
 * and operators can read it without opening the dump.
 */
import { readFile, writeFile } from "node:fs/promises"
import { join } from "node:path"
import type { DatabaseFacts } from "./facts.js"
import { manifestFileName } from "./naming.js"

export interface Manifest {
  id: string
  env: string
  file: string
  sha256: string
  bytes: number
  createdAt: string
  database: string
  serverVersionNum: number
  pgDumpVersion: string
  facts: DatabaseFacts
  /** true: restored and matched; false: restored and differed (see differences); null: not verified. */
  verified: boolean | null
  differences: string[]
}

export async function writeManifest(location: string, manifest: Manifest): Promise<void> {
  await writeFile(join(location, manifestFileName(manifest.id)), `${JSON.stringify(manifest, null, 2)}\n`, {
    mode: 0o600,
  })
}

/** The manifest of id, or undefined when there is none. */
export async function readManifest(location: string, id: string): Promise<Manifest | undefined> {
  try {
    return JSON.parse(await readFile(join(location, manifestFileName(id)), "utf8")) as Manifest
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined
    throw error
  }
}
