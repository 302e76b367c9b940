/**
 * How a Dagger container reaches the deploy's Docker host, as data (pure): DOCKER_HOST, the SSH
 * files for ssh:// hosts (key from a Secret, known_hosts pinned from the config, strict host key
 * checking), or TLS material for tcp:// hosts. Kept apart from the Dagger calls so it is tested
 * exactly.
 */

export const SSH_DIR = "/root/.ssh"
export const SSH_KEY_PATH = `${SSH_DIR}/id_deploy`
export const CERT_DIR = "/certs"
/** Where a --docker-socket is mounted in the docker CLI container, and the DOCKER_HOST that uses it. */
export const DOCKER_SOCKET_PATH = "/var/run/docker.sock"
export const DOCKER_SOCKET_HOST = `unix://${DOCKER_SOCKET_PATH}`

export function sshConfigFile(): string {
  return [
    "Host *",
    `  IdentityFile ${SSH_KEY_PATH}`,
    "  IdentitiesOnly yes",
    "  StrictHostKeyChecking yes",
    `  UserKnownHostsFile ${SSH_DIR}/known_hosts`,
    "  BatchMode yes",
    "",
  ].join("\n")
}

export type Transport = "unix" | "ssh" | "tcp"

export function transportOf(dockerHost: string): Transport {
  if (dockerHost.startsWith("ssh://")) return "ssh"
  if (dockerHost.startsWith("tcp://")) return "tcp"
  return "unix"
}

/** Plain variables of every docker CLI container; TLS ones only for tcp://. */
export function dockerCliEnvironment(dockerHost: string): Record<string, string> {
  return transportOf(dockerHost) === "tcp"
    ? { DOCKER_HOST: dockerHost, DOCKER_TLS_VERIFY: "1", DOCKER_CERT_PATH: CERT_DIR }
    : { DOCKER_HOST: dockerHost }
}

/**
 * An environment file's secret reference as the URI `dag.secret` takes: env:NAME → env://NAME,
 * file:/path → file:///path, cmd:… → cmd://…; op://, vault:// and libsecret:// pass through.
 */
export function secretUri(ref: string): string {
  const match = /^([a-z]+):(\/\/)?(.*)$/.exec(ref)
  if (!match) throw new Error(`"${ref}" is not a secret reference`)
  const [, provider, slashes, rest] = match
  if (slashes) return ref
  return `${provider}://${rest}`
}
