/**
 * Preflight: everything a deploy checks before it changes anything. The Docker host answers, the
 * release is there (pulled by its digest when it is not), it does not run as root where that is
 * refused, and the app's Postgres, Memcached and RabbitMQ answer at the deployer's view of them
 * (deployer-services.ts), probed concurrently with
 * retries on a backoff schedule inside one deadline. Postgres must answer (the migrations and the
 * backup need it); a cache or broker that does not is a warning on the deploy, as a broker outage
 * never fails an otherwise good deploy: the app's own /health/ at the gate says whether it can
 * serve without them. A failure here leaves everything as it was.
 */
import type { EnvironmentConfig } from "../config/schema.js"
import { type ServiceCheck, probeServices } from "../health/services.js"
import { deployerServices } from "./deployer-services.js"
import type { ReleaseHost } from "./driver.js"
import { DeployError } from "./errors.js"
import type { Release } from "./release.js"
import type { EngineDeps } from "./session.js"

/** The services' shared budget: the gate's start deadline, at most this. */
export const SERVICES_DEADLINE_MS = 30_000

export async function preflight(
  driver: ReleaseHost,
  config: EnvironmentConfig,
  release: Release,
  deps: Pick<EngineDeps, "secretValues" | "timing" | "reach">,
  warn: (warning: string) => void,
): Promise<string> {
  const version = await driver.serverVersion()
  const image = await driver.ensureImage(release.image)
  if (config.security.run_as_non_root) {
    const user = await driver.imageUser(release.image)
    if (user === "" || user === "root" || user === "0" || user.startsWith("0:")) {
      throw new DeployError(
        "preflight",
        `the image runs as root (Config.User is ${JSON.stringify(user)}); add USER to the Dockerfile, or set security.run_as_non_root: false`,
      )
    }
  }
  const { POSTGRES_PASSWORD: postgres, RABBITMQ_PASSWORD: rabbitmq } = deps.secretValues
  const checks = await probeServices(
    { ...config, services: deployerServices(config.services, deps.reach) },
    {
      ...(postgres ? { postgres: { password: postgres } } : {}),
      ...(rabbitmq ? { rabbitmq: { password: rabbitmq } } : {}),
    },
    { deadlineMs: Math.min(config.health.start_deadline, SERVICES_DEADLINE_MS) },
    deps.timing,
  )
  const failed = checks.filter((c) => !c.ok)
  if (failed.some((c) => c.service === "postgres"))
    throw new DeployError("preflight", servicesFailure(failed, "so nothing was changed"))
  if (failed.length > 0)
    warn(
      servicesFailure(
        failed,
        "the deploy goes on: the app's /health/ at the gate decides whether it serves without them",
      ),
    )
  return `docker ${version}, image ${image === "pulled" ? "pulled by digest" : "present"}; ${checks.map((c) => `${c.service} ${c.ok ? `${c.ms} ms` : "no answer"}`).join(", ")}`
}

/** Which services did not answer, how hard they were tried, and what to check. */
export function servicesFailure(failed: readonly ServiceCheck[], consequence: string): string {
  return [
    `${failed.map((c) => c.service).join(", ")} did not answer, ${consequence}:`,
    ...failed.map(
      (c) =>
        `  ${c.target}: ${c.error ?? "failed"} (${c.attempts} attempt${c.attempts === 1 ? "" : "s"} in ${c.ms} ms)`,
    ),
    "next: check that the service runs and that this deploy reaches it at the address above (the ledger and notifications use the same): services.<name>.deployer where set, else services.<name>, or under Dagger --<name>; and the credentials named under secrets:",
  ].join("\n")
}
