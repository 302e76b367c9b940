/**
 * Where containers are on a network, read with `docker container inspect` (pure argv and parser).
 * HAProxy's runtime API takes an IP address for a server, not a name, so the compose driver reads
 * each replica's address on the project network before it routes to it, and maps the addresses
 * the proxy routes back to containers.
 */

export interface ContainerAddress {
  name: string
  /** created, running, exited, … as docker reports it. */
  state: string
  /** The value of the label asked for ("" when the container has none). */
  label: string
  /** The IPv4 address on the network; "" when the container is not attached (or not running). */
  address: string
}

/** One tab-separated line per container: name, state, the label's value, its address on `network`. */
export function containerAddresses(network: string, label: string, names: readonly string[]): string[] {
  const format = `{{.Name}}\t{{.State.Status}}\t{{index .Config.Labels "${label}"}}\t{{with index .NetworkSettings.Networks "${network}"}}{{.IPAddress}}{{end}}`
  return ["docker", "container", "inspect", "--format", format, ...names]
}

export function parseContainerAddresses(stdout: string): ContainerAddress[] {
  return stdout
    .split("\n")
    .filter((line) => line.trim() !== "")
    .map((line) => {
      const [name = "", state = "", label = "", address = ""] = line.split("\t")
      return {
        name: name.replace(/^\//, ""),
        state,
        label: label === "<no value>" ? "" : label,
        address: address.trim(),
      }
    })
}
