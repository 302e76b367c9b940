/** Reads the environments folder for a command, turning a missing or unreadable folder into a DirError that says what to do. */
import { readEnvironmentDir } from "../config/read-dir.js"
import { DirError } from "./command.js"

export async function readEnvironments(dir: string) {
  try {
    return await readEnvironmentDir(dir)
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    throw new DirError(
      code === "ENOENT"
        ? `no folder ${dir}; run from the repository root or pass --dir DIR`
        : `cannot read ${dir}: ${(error as Error).message}`,
    )
  }
}
