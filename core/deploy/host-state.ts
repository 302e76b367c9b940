/** Reads what the compose driver finds on a Docker host, from `docker ps` lines (pure). */
import type { Colour } from "./names.js"

export interface WebContainer {
  id: string
  name: string
  /** created, running, exited, … as docker reports it. */
  state: string
  digest: string
  version: string
  colour: Colour
  deployId: number
}

/** Every container of the project with its role (web, proxy, accessory). */
export interface ProjectContainer {
  id: string
  name: string
  state: string
  role: string
}

function rows(stdout: string): string[][] {
  return stdout
    .split("\n")
    .filter((line) => line.trim() !== "")
    .map((line) => line.split("\t"))
}

export function parseProjectContainers(stdout: string): ProjectContainer[] {
  return rows(stdout).map(([id, name, state, , , , , role]) => ({
    id: id!,
    name: name!,
    state: state!,
    role: role ?? "",
  }))
}

export function parseWebContainers(stdout: string): WebContainer[] {
  return rows(stdout)
    .filter((fields) => fields[7] === "web")
    .map(([id, name, state, digest, version, colour, deployId]) => ({
      id: id!,
      name: name!,
      state: state!,
      digest: digest!,
      version: version!,
      colour: colour === "green" ? "green" : "blue",
      deployId: Number(deployId),
    }))
}

/** The containers of one release, newest deploy first when a digest was deployed more than once. */
export function containersOf(web: readonly WebContainer[], digest: string): WebContainer[] {
  const mine = web.filter((c) => c.digest === digest)
  const newest = Math.max(...mine.map((c) => c.deployId))
  return mine.filter((c) => c.deployId === newest).sort((a, b) => a.name.localeCompare(b.name))
}

/**
 * Which stopped releases to remove: every release except the live one and the `retain` most
 * recently deployed others (kept for a fast rollback). Returns container names.
 */
export function pruneList(web: readonly WebContainer[], liveDigest: string, retain: number): string[] {
  const others = [...new Set(web.filter((c) => c.digest !== liveDigest).map((c) => c.digest))]
  const latest = (digest: string) => Math.max(...web.filter((c) => c.digest === digest).map((c) => c.deployId))
  const keep = new Set(others.sort((a, b) => latest(b) - latest(a)).slice(0, retain))
  return web
    .filter((c) => c.digest !== liveDigest && !keep.has(c.digest))
    .map((c) => c.name)
    .sort()
}
