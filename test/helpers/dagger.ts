/**
 * Serves directories to the recording engine as if they were on the host: `entries`, `size`
 * and `contents` leaves on `host.directory(path).directory(sub)?.file(name)` chains are
 * answered from a map of paths to file contents.
 */
import type { Chain } from "../harness/chain.js"
import type { Hook } from "../harness/recording-engine.js"

export type FakeTree = Record<string, string>

/** The directory path a chain stands for: the host directory's path joined with .directory(path) calls. */
function pathOf(chain: Chain): string | undefined {
  let path: string | undefined
  for (const call of chain) {
    if (call.field === "host") path = undefined
    else if (call.field === "directory" && path === undefined) path = String(call.args.path)
    else if ((call.field === "directory" || call.field === "file") && path !== undefined) path = `${path}/${String(call.args.path)}`.replace(/\/+/g, "/")
    else if (call.field === "loadDirectoryFromID" || call.field === "node") continue
  }
  return path?.replace(/\/$/, "")
}

export function serveTree(tree: FakeTree): Hook {
  return ({ chain, leaf }) => {
    const path = pathOf(chain)
    if (path === undefined) return undefined
    if (leaf.field === "entries") {
      const prefix = `${path}/`
      return [...new Set(Object.keys(tree).filter((p) => p.startsWith(prefix)).map((p) => p.slice(prefix.length).split("/")[0]!))].sort()
    }
    if (leaf.field === "size") return Buffer.byteLength(tree[path] ?? "")
    if (leaf.field === "contents") {
      if (!(path in tree)) throw new Error(`test tree has no file ${path}`)
      return tree[path]
    }
    return undefined
  }
}
