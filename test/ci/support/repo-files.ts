/**
 * The files issue 6 owns: the wrappers over `dagger call` and the vendor configs, listed from the
 * file system so a new script or config is covered without editing a test.
 */
import * as fs from "node:fs"
import * as path from "node:path"

import { ROOT } from "../../helpers/paths.js"

/** Sourced by the wrappers, never run: checked by shellcheck, not called with arguments. */
export const LIBRARY = "ci/scripts/lib.sh"

function listDir(relative: string, keep: (name: string) => boolean): string[] {
  const dir = path.join(ROOT, relative)
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isFile() && keep(e.name))
    .map((e) => path.posix.join(relative, e.name))
    .sort()
}

/** ci/*.sh and ci/scripts/*.sh (ci/setup/ belongs to the test infrastructure and is not included). */
export function shellScripts(): string[] {
  return [...listDir("ci", (n) => n.endsWith(".sh")), ...listDir("ci/scripts", (n) => n.endsWith(".sh"))]
}

/** Every file under ci/vendors/, recursively (configs and the README section). */
export function vendorFiles(): string[] {
  const out: string[] = []
  const walk = (relative: string): void => {
    for (const entry of fs.readdirSync(path.join(ROOT, relative), { withFileTypes: true })) {
      const child = path.posix.join(relative, entry.name)
      if (entry.isDirectory()) walk(child)
      else out.push(child)
    }
  }
  walk("ci/vendors")
  return out.sort()
}

export function readRepoFile(relative: string): string {
  return fs.readFileSync(path.join(ROOT, relative), "utf8")
}
