/**
 * A swarm for the swarm driver's real-engine spec: this machine's engine as a single-node swarm
 * manager. It joins the swarm only when the engine is not in one already, and then leaves it
 * again (with the docker_gwbridge network leaving keeps). Colour stacks are removed and awaited,
 * since an overlay network cannot go while tasks still hold it.
 */
import { execFileSync } from "node:child_process"
import { DOCKER } from "./docker-images.js"

const docker = (...args: string[]) =>
  execFileSync(DOCKER, args, { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] }).trim()
const quietly = (...args: string[]) => {
  try {
    docker(...args)
  } catch {
    // already gone
  }
}

/** Makes the engine a swarm manager; returns how to undo that (a no-op if it already was one). */
export function ensureSwarm(): () => void {
  if (docker("info", "--format", "{{.Swarm.LocalNodeState}}") === "active") return () => undefined
  docker("swarm", "init", "--advertise-addr", "127.0.0.1")
  return () => {
    quietly("swarm", "leave", "--force")
    quietly("network", "rm", "docker_gwbridge")
  }
}

/** Removes the project's colour stacks and waits until their task containers are gone. */
export async function removeStacks(project: string): Promise<void> {
  quietly("stack", "rm", `${project}-blue`, `${project}-green`)
  for (let i = 0; i < 100; i++) {
    const left =
      docker("ps", "-aq", "--filter", `label=com.docker.stack.namespace=${project}-blue`) +
      docker("ps", "-aq", "--filter", `label=com.docker.stack.namespace=${project}-green`)
    if (left === "") return
    await new Promise((resolve) => setTimeout(resolve, 200))
  }
}

/** The project's services and their desired replicas, "name=replicas" sorted. */
export function services(project: string): string[] {
  const names = docker("service", "ls", "--filter", `label=deploy-pipeline.project=${project}`, "--format", "{{.Name}}")
  if (names === "") return []
  return docker(
    "service",
    "inspect",
    "--format",
    "{{.Spec.Name}}={{.Spec.Mode.Replicated.Replicas}}",
    ...names.split("\n"),
  )
    .split("\n")
    .sort()
}
