/**
 * Where a module's sources and name come from.
 *
 * Why: the runtime imports every `.ts`/`.mts` under `src/` (plus the core API types) and names
 * the module after dagger.json's `name`; the introspector and the entrypoint runner must list
 * exactly the same files and use the same name.
 */
import * as fs from "node:fs"
import * as path from "node:path"

const SOURCE_EXTENSIONS = new Set([".ts", ".mts"])

/** All `.ts`/`.mts` files under `dir`, recursively, sorted. */
export function listTsFiles(dir: string): string[] {
  const out: string[] = []
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name)
    if (entry.isDirectory()) out.push(...listTsFiles(full))
    else if (SOURCE_EXTENSIONS.has(path.extname(entry.name))) out.push(full)
  }
  return out.sort()
}

/** `name` from `<moduleRoot>/dagger.json`. */
export function readModuleName(moduleRoot: string): string {
  const config: unknown = JSON.parse(fs.readFileSync(path.join(moduleRoot, "dagger.json"), "utf8"))
  const name = (config as { name?: unknown }).name
  if (typeof name !== "string" || name === "") throw new Error(`${moduleRoot}/dagger.json has no "name"`)
  return name
}

/** The context directory `defaultPath: "/"` refers to: the enclosing git repository, else the module root. */
export function contextDirectory(moduleRoot: string): string {
  let dir = path.resolve(moduleRoot)
  for (;;) {
    if (fs.existsSync(path.join(dir, ".git"))) return dir
    const parent = path.dirname(dir)
    if (parent === dir) return path.resolve(moduleRoot)
    dir = parent
  }
}
