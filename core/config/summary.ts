/** One line per valid environment, for `config check`. */
import type { Environment } from "./load.js"
import { formatDuration } from "./units.js"

export function summarizeEnvironment({ name, config, hash }: Environment): string {
  const { deploy, runtime, health } = config
  const gates = [deploy.approval === "required" ? "approval" : null, deploy.backup.enabled ? "backup" : null].filter(
    Boolean,
  )
  return [
    `ok ${name}:`,
    `tier ${config.tier},`,
    `${deploy.mode}${gates.length ? ` with ${gates.join(" + ")}` : ""},`,
    `${deploy.driver} on ${deploy.docker_host},`,
    `${runtime.replicas} replica${runtime.replicas === 1 ? "" : "s"},`,
    `health ${health.path} (gate ${formatDuration(health.start_deadline)}, watch ${formatDuration(health.watch)}),`,
    `config ${hash.slice(0, 12)}`,
  ].join(" ")
}
