/**
 * The Host header every health probe sends (pure). Django answers 400 to a request whose Host its
 * ALLOWED_HOSTS does not list, and the gate reaches each new replica by its container name, which
 * carries the release's digest: no fixed ALLOWED_HOSTS can list it. So the probes send a name the
 * app serves instead, and the proxy passes the same Host on to the live release in the watch:
 *   1. health.host, when it is set;
 *   2. else the first entry of app.env.ALLOWED_HOSTS that names one host ("*" names none; a leading
 *      "." allows a domain and its subdomains, so ".example.com" gives "example.com"), when
 *      ALLOWED_HOSTS is a plain setting: a secret's value is not the config's to read;
 *   3. else localhost, which Django allows by itself when DEBUG is on and ALLOWED_HOSTS is empty.
 */
import { type EnvironmentConfig, HOST_HEADER } from "../config/schema.js"

export const DEFAULT_PROBE_HOST = "localhost"

export interface ProbeHost {
  host: string
  /** Where it came from, for plan and messages. */
  from: "health.host" | "app.env.ALLOWED_HOSTS" | "default"
}

export function probeHost(config: Pick<EnvironmentConfig, "health" | "app" | "secrets">): ProbeHost {
  if (config.health.host !== undefined) return { host: config.health.host, from: "health.host" }
  const allowed = "ALLOWED_HOSTS" in config.secrets ? undefined : config.app.env?.ALLOWED_HOSTS
  const named = (allowed ?? "")
    .split(",")
    .map((entry) => entry.trim().replace(/^\./, ""))
    .find((entry) => !entry.includes("*") && HOST_HEADER.test(entry))
  return named ? { host: named, from: "app.env.ALLOWED_HOSTS" } : { host: DEFAULT_PROBE_HOST, from: "default" }
}

/** How plan says where the Host comes from. */
export function describeProbeHost({ host, from }: ProbeHost): string {
  if (from === "health.host") return `Host: ${host} (health.host)`
  if (from === "app.env.ALLOWED_HOSTS") return `Host: ${host} (the first of app.env.ALLOWED_HOSTS)`
  return `Host: ${host} (the default; set health.host to a name ALLOWED_HOSTS lists)`
}
