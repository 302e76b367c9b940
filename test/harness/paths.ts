/**
 * Well-known locations shared by the harness files.
 *
 * Why: every harness file needs the repository root, the installed SDK and the gitignored
 * output folder; computing them once from this file's URL keeps them correct whatever the
 * process's cwd is (mocha, tsx scripts, child processes).
 */
import * as path from "node:path"
import { fileURLToPath } from "node:url"

/** The repository root (this file lives in test/harness/). */
export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..")

/** The installed SDK's compiled sources; deep files are imported by path since `exports` blocks them. */
export const SDK_DIST = path.join(REPO_ROOT, "node_modules", "@dagger.io", "dagger-npm", "dist", "src")

/** Absolute path of a file inside the SDK's dist/src folder. */
export function sdkFile(relative: string): string {
  return path.join(SDK_DIST, relative)
}
