/**
 * Serves directories to the recording engine as if they were on the host: `entries`, `size`
 * and `contents` leaves on `host.directory(path).directory(sub)?.file(name)` chains are
 * answered from a map of paths to file contents.
 */
import { readFileSync, readdirSync } from "node:fs"
import { join } from "node:path"
import { type Chain, call } from "../harness/chain.js"
import type { Hook, RecordingEngine } from "../harness/recording-engine.js"
import { ENVIRONMENTS, FIXTURES, ROOT } from "./paths.js"

export type FakeTree = Record<string, string>

/** The host path a chain stands for: `host.directory(path)` joined with later .directory/.file calls. */
function pathOf(chain: Chain): string | undefined {
  if (chain[0]?.field !== "host" || chain[1]?.field !== "directory") return undefined
  let path = String(chain[1].args.path)
  for (const call of chain.slice(2)) {
    if (call.field !== "directory" && call.field !== "file") return undefined
    path = `${path}/${String(call.args.path)}`.replace(/\/+/g, "/")
  }
  return path.replace(/\/$/, "")
}

export function serveTree(tree: FakeTree): Hook {
  return ({ chain, leaf }) => {
    const path = pathOf(chain)
    if (path === undefined) return undefined
    if (leaf.field === "entries") {
      const prefix = `${path}/`
      const names = [
        ...new Set(
          Object.keys(tree)
            .filter((p) => p.startsWith(prefix))
            .map((p) => p.slice(prefix.length).split("/")[0]!),
        ),
      ].sort()
      // A folder this tree knows nothing of is left to the next hook (or the engine's default).
      return names.length > 0 ? names : undefined
    }
    if (!(path in tree)) return undefined
    if (leaf.field === "size") return Buffer.byteLength(tree[path]!)
    if (leaf.field === "contents") return tree[path]
    return undefined
  }
}

/** The shipped environments as the engine would serve `host.directory(<repo>)/environments`. */
export function shippedTree(): FakeTree {
  return Object.fromEntries(
    readdirSync(ENVIRONMENTS).map((name) => [
      `${ROOT}/environments/${name}`,
      readFileSync(join(ENVIRONMENTS, name), "utf8"),
    ]),
  )
}

/** The first hook that answers (returns something other than undefined) wins. */
export function firstOf(...hooks: Hook[]): Hook {
  return (event) => {
    for (const hook of hooks) {
      const value = hook(event)
      if (value !== undefined) return value
    }
    return undefined
  }
}

export const DJANGO_APP = join(FIXTURES, "django-app")

/** Constructor inputs as `dagger call --source test/fixtures/django-app --environments environments` sends them. */
export function appInputs(engine: RecordingEngine): { source: string; environments: string } {
  return {
    source: engine.makeId([call("host"), call("directory", { path: DJANGO_APP })]),
    environments: engine.makeId([call("host"), call("directory", { path: ENVIRONMENTS })]),
  }
}

/** Index of the first top-level call matching `predicate`, or -1. */
export function indexOf(chain: Chain, predicate: (c: Chain[number]) => boolean): number {
  return chain.findIndex(predicate)
}
