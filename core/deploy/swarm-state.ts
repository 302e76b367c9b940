/** Reads what the swarm driver finds on a swarm: services and their tasks, from docker's tab-separated lines (pure). */
import type { ProbeResult } from "../health/result.js"
import type { WebContainer } from "./host-state.js"

/** A colour's web service, in the shape the orchestrator uses for releases; "running" while it has replicas. */
export interface WebService extends WebContainer {
  replicas: number
}

export interface SwarmTask {
  /** The task's container name (service.slot.id): a DNS name on the overlay network once healthy. */
  host: string
  state: string
  error: string
}

const rows = (stdout: string): string[][] =>
  stdout
    .split("\n")
    .filter((line) => line.trim() !== "")
    .map((line) => line.split("\t"))

export function parseServices(stdout: string): WebService[] {
  return rows(stdout)
    .filter((fields) => fields[2])
    .map(([name, replicas, digest, version, colour, deployId]) => ({
      id: name!,
      name: name!,
      replicas: Number(replicas) || 0,
      state: Number(replicas) > 0 ? "running" : "exited",
      digest: digest!,
      version: version ?? "",
      colour: colour === "green" ? "green" : "blue",
      deployId: Number(deployId),
    }))
}

export function parseTasks(stdout: string): SwarmTask[] {
  return rows(stdout).map(([name, id, state, error]) => ({
    host: `${name}.${id}`,
    state: state ?? "",
    error: error ?? "",
  }))
}

/** `docker service ps` says "Running 3 seconds ago"; swarm reports Running only after the HEALTHCHECK passed. */
export const isRunning = (task: SwarmTask): boolean => task.state.startsWith("Running")

/**
 * One look at a service as a probe result: ok when every task swarm wants is running (healthy) and
 * there are as many as it should have; otherwise what the tasks are doing, and why the last
 * stopped one stopped.
 */
export function convergence(
  service: string,
  desired: number,
  tasks: readonly SwarmTask[],
  stopped: readonly SwarmTask[],
  ms: number,
): ProbeResult {
  const running = tasks.filter(isRunning).length
  const target = `swarm service ${service}`
  if (running >= desired && tasks.length === running) return { ok: true, target, ms }
  const states =
    tasks.map((t) => `${t.host.split(".").slice(0, 2).join(".")} ${t.state.replace(/ ago$/, "")}`).join(", ") ||
    "no tasks yet"
  const why = stopped.find((t) => t.error !== "")
  return {
    ok: false,
    target,
    ms,
    failure: "unhealthy",
    error: `${running} of ${desired} tasks running and healthy (${states})${why ? `; last stopped task: ${why.error}` : ""}`,
  }
}
