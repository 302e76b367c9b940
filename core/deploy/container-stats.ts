/** Parses `docker inspect` health lines and `docker stats` lines into per-container figures (pure). */

export interface ContainerHealth {
  name: string
  /** healthy, unhealthy, starting, or none when the image has no HEALTHCHECK. */
  health: string
  state: string
  startedAt: string
  restarts: number
}

export interface ContainerUsage {
  name: string
  cpuPercent: number
  memoryBytes: number
  memoryLimitBytes: number
  memoryPercent: number
}

export function parseHealth(stdout: string): ContainerHealth[] {
  return lines(stdout).map(([name, health, state, startedAt, restarts]) => ({
    name: name!.replace(/^\//, ""),
    health: health!,
    state: state!,
    startedAt: startedAt!,
    restarts: Number(restarts),
  }))
}

export function parseStats(stdout: string): ContainerUsage[] {
  return lines(stdout).map(([name, cpu, usage, mem]) => {
    const [used = "0B", limit = "0B"] = usage!.split("/").map((part) => part.trim())
    return {
      name: name!,
      cpuPercent: percent(cpu!),
      memoryBytes: bytes(used),
      memoryLimitBytes: bytes(limit),
      memoryPercent: percent(mem!),
    }
  })
}

function lines(stdout: string): string[][] {
  return stdout
    .split("\n")
    .filter((line) => line.trim() !== "")
    .map((line) => line.split("\t"))
}

function percent(text: string): number {
  const value = Number.parseFloat(text.replace("%", ""))
  return Number.isFinite(value) ? value : 0
}

const UNITS: Record<string, number> = {
  B: 1,
  KB: 1e3,
  MB: 1e6,
  GB: 1e9,
  TB: 1e12,
  KIB: 1024,
  MIB: 1024 ** 2,
  GIB: 1024 ** 3,
  TIB: 1024 ** 4,
}

/** "12.5MiB" → 13107200; docker prints binary units for memory. */
export function bytes(text: string): number {
  const match = /^([\d.]+)\s*([a-zA-Z]+)$/.exec(text.trim())
  if (!match) return 0
  return Math.round(Number(match[1]) * (UNITS[match[2]!.toUpperCase()] ?? 1))
}

/**
 * The containers `docker inspect` says are gone ("Error: No such object: NAME"), when that is all
 * its stderr says: they were removed between the listing and the inspect (swarm removes the task
 * containers of a service scaled to 0). Null when stderr says anything else.
 */
export function vanishedContainers(stderr: string): string[] | null {
  const lines = stderr.split("\n").filter((line) => line.trim() !== "")
  const gone = lines.map((line) => /^Error: No such object: (\S+)$/.exec(line.trim())?.[1])
  return gone.every((name) => name !== undefined) ? (gone as string[]) : null
}
