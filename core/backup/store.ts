/**
 * Where a verified backup is kept when the process that took it does not last. The CLI needs no
 * store: its deploy.backup.location is a directory of its own machine. Under Dagger the process
 * is the module's runtime container, gone after the call, so takeBackup writes into a staging
 * directory there and the Docker-host store copies the dump and its manifest to
 * deploy.backup.location on the deploy's Docker host, through the docker executor, then prunes
 * old dumps there.
 */
import { mkdir, rm, rmdir } from "node:fs/promises"
import { basename, dirname, join } from "node:path"
import type { ExecOptions, Executor } from "../exec/types.js"
import type { BackupRef } from "../ledger/record.js"
import type { BackupResult } from "./backup.js"
import { BackupCommandError, BackupStoreError } from "./errors.js"
import {
  HOST_REF_PREFIX,
  copyFromHolderArgv,
  copyIntoHolderArgv,
  createHolderArgv,
  holderName,
  hostBackupRef,
  hostLocationProblem,
  listHostBackupsArgv,
  removeHolderArgv,
  removeHostBackupsArgv,
} from "./host-argv.js"
import { dumpFileName, idFromDumpFile, manifestFileName } from "./naming.js"
import { choosePrune } from "./prune.js"

export interface KeepPolicy {
  env: string
  /** deploy.backup.location: a directory of the store (on the Docker host for dockerHostStore). */
  location: string
  /** deploy.backup.keep */
  keep: number
  /** An image the Docker host already has (the release being deployed), for the helper containers. */
  image: string
}

export interface KeptBackup {
  /** What the ledger records. */
  ref: BackupRef
  /** Backup ids deleted from the store. */
  pruned: string[]
  /** Problems that do not make the backup less safe (a failed prune), for the deploy's warnings. */
  warnings: string[]
}

export interface BackupStore {
  /** The local directory takeBackup writes into for env; deploy.backup.location belongs to the store. */
  staging(env: string): string
  /** Copies a taken backup's dump and manifest to the store, prunes there, and removes the staging copy. */
  keep(backup: BackupResult, policy: KeepPolicy): Promise<KeptBackup>
  /**
   * Brings a kept backup's dump and manifest (its ledger ref) back into a local staging directory
   * for a restore; returns that directory. `image` is one the Docker host has. `done` removes it.
   */
  fetch(ref: BackupRef, image: string): Promise<{ dir: string; done: () => Promise<void> }>
}

/** The store on the deploy's Docker host; `executor` runs docker against it, `stagingRoot` is a local directory of this run only, removed by keep. */
export function dockerHostStore(executor: Executor, stagingRoot: string): BackupStore {
  return {
    staging: (env) => join(stagingRoot, env),
    async keep(backup, policy) {
      try {
        const problem = hostLocationProblem(policy.location)
        if (problem)
          throw new BackupStoreError(`${problem}; the backup ${backup.id} was taken and verified but not kept`)
        await copyToHost(executor, backup, policy)
        const { pruned, warnings } = await pruneOnHost(executor, backup.id, policy)
        return {
          ref: {
            id: backup.id,
            location: hostBackupRef(policy.location, dumpFileName(backup.id)),
            sha256: backup.sha256,
          },
          pruned,
          warnings,
        }
      } finally {
        await removeStaging(stagingRoot)
      }
    },
    async fetch(ref, image) {
      if (!ref.location.startsWith(HOST_REF_PREFIX))
        throw new BackupStoreError(
          `backup ${ref.id} is kept at ${ref.location}, not on the Docker host; restore it with the CLI on the machine that has that directory`,
        )
      const hostFile = ref.location.slice(HOST_REF_PREFIX.length)
      const dir = join(stagingRoot, "restore")
      await mkdir(dir, { recursive: true, mode: 0o700 })
      const name = holderName(ref.id)
      try {
        await run(executor, createHolderArgv(name, dirname(hostFile), image), "fetch")
        try {
          for (const fileName of [dumpFileName(ref.id), manifestFileName(ref.id)]) {
            const file = join(dir, fileName)
            await run(executor, copyFromHolderArgv(name, fileName, file), "fetch", { outputFiles: [file] })
          }
        } finally {
          await executor.run(removeHolderArgv(name)).catch(() => undefined)
        }
      } catch (error) {
        await removeStaging(stagingRoot)
        throw error
      }
      return { dir, done: () => removeStaging(stagingRoot) }
    },
  }
}

/** Removes this run's staging directory, and its parent too once no other run uses it. */
async function removeStaging(stagingRoot: string): Promise<void> {
  await rm(stagingRoot, { recursive: true, force: true })
  await rmdir(dirname(stagingRoot)).catch(() => undefined)
}

async function copyToHost(executor: Executor, backup: BackupResult, policy: KeepPolicy): Promise<void> {
  const name = holderName(backup.id)
  await run(executor, createHolderArgv(name, policy.location, policy.image), "keep")
  try {
    const dir = dirname(backup.file)
    for (const fileName of [basename(backup.file), manifestFileName(backup.id)]) {
      const file = join(dir, fileName)
      await run(executor, copyIntoHolderArgv(name, file, fileName), "keep", { inputFiles: [file] })
    }
  } finally {
    await executor.run(removeHolderArgv(name)).catch(() => undefined)
  }
}

/** Deletes all but the newest `keep` dumps of env on the host; a failure is a warning, the backup is safe. */
async function pruneOnHost(
  executor: Executor,
  justMade: string,
  policy: KeepPolicy,
): Promise<{ pruned: string[]; warnings: string[] }> {
  const listArgv = listHostBackupsArgv(policy.location, policy.image)
  const listed = await executor.run(listArgv)
  if (listed.exitCode !== 0)
    return { pruned: [], warnings: [pruneWarning(policy.location, new BackupCommandError(listArgv, listed))] }
  const ids = listed.stdout.split("\n").flatMap((name) => idFromDumpFile(policy.env, name.trim()) ?? [])
  const doomed = choosePrune(ids, policy.keep, justMade)
  if (doomed.length === 0) return { pruned: [], warnings: [] }
  const rmArgv = removeHostBackupsArgv(
    policy.location,
    policy.image,
    doomed.flatMap((id) => [dumpFileName(id), manifestFileName(id)]),
  )
  const removed = await executor.run(rmArgv)
  if (removed.exitCode !== 0)
    return { pruned: [], warnings: [pruneWarning(policy.location, new BackupCommandError(rmArgv, removed))] }
  return { pruned: doomed, warnings: [] }
}

function pruneWarning(location: string, error: Error): string {
  return `old backups in ${location} on the Docker host were not pruned (${error.message}); delete the oldest by hand`
}

/** Runs a docker command of the store; a failure says what it means for the backup (not kept, or not restored). */
async function run(
  executor: Executor,
  argv: string[],
  purpose: "keep" | "fetch",
  files: Pick<ExecOptions, "inputFiles" | "outputFiles"> = {},
): Promise<void> {
  const result = await executor.run(argv, files)
  if (result.exitCode === 0) return
  const said = new BackupCommandError(argv, result).message
  throw new BackupStoreError(
    purpose === "keep"
      ? `${said}; the backup was taken and verified but not kept on the Docker host`
      : `${said}; the backup could not be read from the Docker host, so nothing was restored`,
  )
}
