/** Loads one validated environment from a Dagger Directory, or fails the call with its problems. */
import type { Directory } from "@dagger.io/dagger"
import { selectEnvironments } from "../commands/environments.js"
import type { Environment } from "../config/load.js"
import { ENVIRONMENTS_DIR } from "../constants.js"
import { readEnvironmentFiles } from "./environment-files.js"

export async function loadEnvironment(dir: Directory, env: string): Promise<Environment> {
  const selected = selectEnvironments(await readEnvironmentFiles(dir, ENVIRONMENTS_DIR), ENVIRONMENTS_DIR, env)
  if (!selected.ok) throw new Error(selected.outcome.text)
  return selected.environments[0]!
}
