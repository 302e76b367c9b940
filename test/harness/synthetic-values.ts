/**
 * Default values the recording engine returns for leaves nobody hooked.
 *
 * Why: builder calls are free, but every leaf (`stdout`, `publish`, `entries`, …) needs a
 * plausible answer of the right JSON shape so module code keeps running. Values are derived
 * from the chain so they are deterministic and tell tests which pipeline produced them.
 */
import { type ArgValue, type Call, type Chain, chainKey, describeChain, sha256Hex } from "./chain.js"

/** Fields whose leaf value is the ID of the object they were called on (Dagger returns IDs). */
export const ID_LEAVES = new Set(["id", "sync", "start", "stop"])

export const ENGINE_VERSION = "v0.21.9"

const fixed: Record<string, unknown> = {
  stderr: "",
  combinedOutput: "",
  exitCode: 0,
  entries: [],
  glob: [],
  contents: "",
  exists: true,
  size: 0,
  envVariable: null,
  label: null,
  workdir: "/",
  user: "",
  platform: "linux/amd64",
  defaultPlatform: "linux/amd64",
  version: ENGINE_VERSION,
}

function stringArg(leaf: Call, name: string): string | undefined {
  const value: ArgValue | undefined = leaf.args[name]
  return typeof value === "string" ? value : undefined
}

/**
 * The synthetic value of `leaf` evaluated on `chain`; `makeId` turns a chain into an ID.
 * Anything unknown becomes "fake <field> of <chain>".
 */
export function syntheticValue(chain: Chain, leaf: Call, makeId: (chain: Chain) => string): unknown {
  if (ID_LEAVES.has(leaf.field)) return makeId(chain)
  const hash = sha256Hex(chainKey([...chain, leaf]))
  switch (leaf.field) {
    case "stdout":
      return `fake stdout of ${describeChain(chain)}`
    case "publish":
      return `${stringArg(leaf, "address") ?? "registry.invalid/image"}@sha256:${hash}`
    case "digest":
      return `sha256:${hash}`
    case "export":
      return stringArg(leaf, "path") ?? ""
    case "hostname":
      return `svc-${hash.slice(0, 12)}`
    case "endpoint": {
      const port = leaf.args.port
      return `${stringArg(leaf, "scheme") ?? "tcp"}://svc-${hash.slice(0, 12)}:${typeof port === "number" ? port : 80}`
    }
    default:
      if (leaf.field in fixed) return structuredClone(fixed[leaf.field])
      return `fake ${leaf.field} of ${describeChain(chain)}`
  }
}
