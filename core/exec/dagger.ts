/**
 * The Dagger executor: each docker command runs in a docker-cli container whose DOCKER_HOST is
 * the environment's host. The SSH key or TLS material and the app's secrets are mounted as
 * Dagger Secrets (never argv, never plain env), files a command reads or writes (docker cp of a
 * backup, in or out) are mounted from or exported to the module's runtime, and every run carries a unique value so no
 * side-effecting command is ever answered from Dagger's cache.
 */
import { type Container, ReturnType, type Secret, type Socket, dag } from "@dagger.io/dagger"
import { IMAGES } from "../constants.js"
import { exportOutputs, withExecOptions, withOutputDirectories } from "./dagger-options.js"
import {
  CERT_DIR,
  DOCKER_SOCKET_HOST,
  DOCKER_SOCKET_PATH,
  SSH_DIR,
  SSH_KEY_PATH,
  dockerCliEnvironment,
  sshConfigFile,
  transportOf,
} from "./dagger-target.js"
import type { ExecOptions, ExecResult, Executor } from "./types.js"

export interface DaggerTarget {
  dockerHost: string
  /** The Docker engine's socket, mounted at DOCKER_SOCKET_PATH: the Docker host, whatever dockerHost says. */
  dockerSocket?: Socket
  sshKey?: Secret
  knownHosts?: string
  tls?: { ca: Secret; cert: Secret; key: Secret }
  /** The environment's secrets, by name, for commands that ask for them (ExecOptions.secretEnv). */
  secrets: Readonly<Record<string, Secret>>
  /** Unique per deploy; with a per-run counter it busts the cache of every command. */
  runId: string
  /** Where files named in ExecOptions.inputFiles must live (default: the current directory, /scratch in the module runtime). */
  workdir?: string
}

export function dockerCliContainer(target: Omit<DaggerTarget, "secrets" | "runId">): Container {
  const dockerHost = target.dockerSocket ? DOCKER_SOCKET_HOST : target.dockerHost
  let container = dag.container().from(IMAGES.dockerCli)
  for (const [name, value] of Object.entries(dockerCliEnvironment(dockerHost)))
    container = container.withEnvVariable(name, value)
  if (target.dockerSocket) return container.withUnixSocket(DOCKER_SOCKET_PATH, target.dockerSocket)
  const transport = transportOf(dockerHost)
  if (transport === "unix") {
    throw new Error(
      `the Docker host is ${target.dockerHost}, a socket on the machine that runs dagger, which the module's containers cannot see; pass --docker-socket ${target.dockerHost.replace(/^unix:\/\//, "")}`,
    )
  }
  if (transport === "ssh") {
    if (!target.sshKey || !target.knownHosts)
      throw new Error(
        `${target.dockerHost} needs an SSH key (--ssh-key) and pinned known_hosts (deploy.ssh_known_hosts)`,
      )
    container = container
      .withExec(["apk", "add", "--no-cache", "openssh-client"])
      .withNewFile(`${SSH_DIR}/config`, sshConfigFile(), { permissions: 0o600 })
      .withNewFile(`${SSH_DIR}/known_hosts`, `${target.knownHosts.trim()}\n`, { permissions: 0o644 })
      .withMountedSecret(SSH_KEY_PATH, target.sshKey, { mode: 0o600 })
  }
  if (transport === "tcp") {
    if (!target.tls) throw new Error(`${target.dockerHost} needs TLS material (deploy.tls)`)
    container = container
      .withMountedSecret(`${CERT_DIR}/ca.pem`, target.tls.ca, { mode: 0o600 })
      .withMountedSecret(`${CERT_DIR}/cert.pem`, target.tls.cert, { mode: 0o600 })
      .withMountedSecret(`${CERT_DIR}/key.pem`, target.tls.key, { mode: 0o600 })
  }
  return container
}

export function daggerExecutor(target: DaggerTarget): Executor {
  const base = dockerCliContainer(target)
  let runs = 0
  return {
    async run(argv: readonly string[], options: ExecOptions = {}): Promise<ExecResult> {
      if (options.stdoutFile !== undefined)
        throw new Error(
          `docker commands under Dagger cannot stream stdout into a file (${argv.slice(0, 2).join(" ")}); name the file in outputFiles instead`,
        )
      const workdir = target.workdir ?? process.cwd()
      const container = withOutputDirectories(
        withExecOptions(
          base.withEnvVariable("DEPLOY_PIPELINE_RUN", `${target.runId}-${++runs}`),
          options,
          target.secrets,
          workdir,
        ),
        options,
        workdir,
      )
      const ran = container.withExec([...argv], { expect: ReturnType.Any })
      const [exitCode, stdout, stderr] = await Promise.all([ran.exitCode(), ran.stdout(), ran.stderr()])
      if (exitCode === 0) await exportOutputs(ran, options, workdir)
      return { exitCode, stdout, stderr }
    },
  }
}
