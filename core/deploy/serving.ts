/**
 * Whether an environment serves, decided by what a user would hit: the proxy container and the
 * release its live route reaches, never the ledger alone (the ledger says what the last deploy
 * did; after a crash or a removed proxy the two differ, and the proxy is what answers). Pure:
 * status reads the host, this decides, the renderer and the exit status follow.
 */
import type { ProjectContainer, WebContainer } from "./host-state.js"

export interface Serving {
  /** up: the proxy runs and routes live traffic to running containers; down: a request would fail; idle: nothing was ever deployed. */
  state: "up" | "down" | "idle"
  /** The release the live route reaches (from its containers' labels), or null. */
  digest: string | null
  version: string | null
  /** Why it is down, or where the ledger disagrees with the proxy, and what to do; null when there is nothing to say. */
  note: string | null
}

export interface ServingInput {
  env: string
  /** The proxy container's name, and where it publishes the live port. */
  proxy: string
  address: string
  containers: readonly ProjectContainer[]
  web: readonly WebContainer[]
  /** Names (of `web`) behind the live route, as the proxy reports it. */
  live: ReadonlySet<string>
  /** The digest of the ledger's last release that served, or null when it has none. */
  ledgerDigest: string | null
}

const short = (digest: string) => digest.replace(/^sha256:/, "").slice(0, 12)

export function servingState(input: ServingInput): Serving {
  const { env, proxy, address } = input
  const proxyContainer = input.containers.find((c) => c.name === proxy)
  const deployed = input.ledgerDigest !== null || input.web.length > 0
  const down = (note: string): Serving => ({ state: "down", digest: null, version: null, note })
  if (!proxyContainer) {
    if (!deployed) return { state: "idle", digest: null, version: null, note: null }
    return down(
      `the proxy ${proxy} does not exist: nothing answers on ${address}; deploy again, which recreates it (deploy-pipeline deploy --env ${env} --image ${input.ledgerDigest ?? "IMAGE"})`,
    )
  }
  if (proxyContainer.state !== "running") {
    return down(
      `the proxy ${proxy} is ${proxyContainer.state}: nothing answers on ${address}; start it (docker start ${proxy}), which serves its saved route again, or deploy, which restarts it`,
    )
  }
  const live = input.web.filter((c) => input.live.has(c.name))
  if (live.length === 0) {
    if (!deployed) return { state: "idle", digest: null, version: null, note: null }
    return down(
      `the proxy ${proxy} routes no running release: ${address} answers 503; roll back (deploy-pipeline rollback --env ${env}) or deploy to put one live`,
    )
  }
  const { digest, version } = live[0]!
  const note =
    input.ledgerDigest !== null && input.ledgerDigest !== digest
      ? `the ledger's last release is ${short(input.ledgerDigest)}, but the proxy serves ${short(digest)}: an interrupted deploy or rollback; the proxy is what answers`
      : null
  return { state: "up", digest, version, note }
}
