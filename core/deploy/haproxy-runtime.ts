/**
 * A route given to a running HAProxy, both drivers alike: the runtime commands on its loopback API
 * (one connection per line, haproxy.ts), what it answered checked, then the config a restarted
 * proxy starts from saved beside it. A refusal or a silent proxy is a DeployError naming the proxy.
 */
import {
  COMMANDS_ENV,
  CONFIG_ENV,
  RUNTIME_API_PORT,
  commandLines,
  parseRuntimeReply,
  runtimeCommands,
  saveConfig,
} from "../docker/haproxy.js"
import type { DockerHost } from "./docker-host.js"
import { DeployError } from "./errors.js"

/** Applies `commands` to the proxy, then saves `config`; `described` names the route in a refusal. */
export async function applyRoute(
  host: DockerHost,
  commands: readonly string[],
  config: string,
  described: string,
): Promise<void> {
  const proxy = host.names.proxy
  const applied = await host.must(
    "switch",
    `the proxy ${proxy} did not take the route through its runtime API (127.0.0.1:${RUNTIME_API_PORT} inside it); check that it runs HAProxy (docker logs ${proxy}). A proxy left by an earlier version (Caddy) has no runtime API: remove it (docker rm -f ${proxy}) and deploy again, which recreates it`,
    runtimeCommands(proxy),
    { env: { [COMMANDS_ENV]: commandLines(commands) } },
  )
  const reply = parseRuntimeReply(applied.stdout)
  if (!reply.ok) {
    throw new DeployError(
      "switch",
      `the proxy ${proxy} refused the route to ${described}; HAProxy said: ${reply.refusals.join(" | ")}\nnext: the route it serves may be half-changed; check it with deploy-pipeline status, and that ${proxy} runs HAProxy from deploy.proxy.image with this driver's config (remove it to have the next deploy recreate it)`,
    )
  }
  await host.must(
    "switch",
    `the proxy ${proxy} took the route but could not save it for a restart`,
    saveConfig(proxy),
    {
      env: { [CONFIG_ENV]: config },
    },
  )
}
