/**
 * ExecOptions as Dagger container settings, shared by the Dagger executors: plain variables,
 * secrets as Dagger Secret variables (never plain env, never in a query), and this process's
 * files mounted at the same path. Under Dagger "this process" is the module's runtime container,
 * whose files containers can only read through `currentModule().workdirFile`, so every shared
 * file must sit under the runtime's working directory.
 */
import { dirname, isAbsolute, relative, resolve } from "node:path"
import { type Container, type Secret, dag } from "@dagger.io/dagger"
import type { ExecOptions } from "./types.js"

/** path relative to workdir, as `currentModule().workdirFile` needs it; throws when it lies outside. */
export function workdirRelative(path: string, workdir: string): string {
  const rel = relative(workdir, resolve(workdir, path))
  if (rel === "" || rel.startsWith("..") || isAbsolute(rel)) {
    throw new Error(
      `${path} is outside the module's working directory ${workdir}; under Dagger a file shared with a container must be under it (currentModule().workdirFile), so write it there`,
    )
  }
  return rel
}

/** The error when a command names a secret the executor was not given. */
export function missingSecretMessage(name: string): string {
  return `the command needs secret ${name}, which this environment does not name under secrets:`
}

/**
 * Adds options.env as variables, options.secretEnv as Secret variables from `secrets`, and
 * options.inputFiles as files mounted at their own absolute paths.
 */
export function withExecOptions(
  container: Container,
  options: ExecOptions,
  secrets: Readonly<Record<string, Secret>>,
  workdir: string,
): Container {
  let result = container
  for (const [name, value] of Object.entries(options.env ?? {})) result = result.withEnvVariable(name, value)
  for (const name of options.secretEnv ?? []) {
    const secret = secrets[name]
    if (!secret) throw new Error(missingSecretMessage(name))
    result = result.withSecretVariable(name, secret)
  }
  for (const path of options.inputFiles ?? []) {
    result = result.withMountedFile(
      resolve(workdir, path),
      dag.currentModule().workdirFile(workdirRelative(path, workdir)),
    )
  }
  return result
}

/** Empty directories where options.outputFiles will be written, so the command can create them. */
export function withOutputDirectories(container: Container, options: ExecOptions, workdir: string): Container {
  let result = container
  for (const dir of new Set((options.outputFiles ?? []).map((path) => dirname(resolve(workdir, path)))))
    result = result.withDirectory(dir, dag.directory())
  return result
}

/** Brings each of options.outputFiles back to this process, at the same path (after the command exited 0). */
export async function exportOutputs(ran: Container, options: ExecOptions, workdir: string): Promise<void> {
  for (const path of options.outputFiles ?? []) {
    const absolute = resolve(workdir, path)
    await ran.file(absolute).export(absolute)
  }
}
