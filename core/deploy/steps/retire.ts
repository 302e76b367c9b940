/**
 * After a good watch, deploy and rollback alike: the release that served before out of the route;
 * with deploy.keep_warm, it stays running for that window (the driver times it) so a rollback to
 * it is one probe and a switch; every other running web container is stopped (the previous
 * release without keep_warm, and whatever an interrupted attempt left running beside it); then
 * the releases past deploy.retain are removed. Stopped ones are kept for a fast rollback.
 */
import type { EnvironmentConfig } from "../../config/schema.js"
import { formatDuration } from "../../config/units.js"
import { pruneList } from "../host-state.js"
import type { Release } from "../release.js"
import type { Session } from "../session.js"

export function retire(
  session: Session,
  config: EnvironmentConfig,
  release: Release,
  live: readonly string[],
  previous: readonly string[],
): Promise<string> {
  const { driver } = session
  const warmMs = config.deploy.keep_warm ?? 0
  return session.phase("retire", async () => {
    if (previous.length > 0) await driver.dropFallback(live)
    const web = await driver.webContainers()
    const running = web.filter((c) => c.state === "running" && !live.includes(c.name)).map((c) => c.name)
    const wanted = warmMs > 0 ? running.filter((name) => previous.includes(name)) : []
    const untimed = wanted.length > 0 ? await driver.keepWarm(wanted, warmMs) : []
    if (untimed.length > 0)
      session.warn(
        `deploy.keep_warm: ${untimed.join(", ")} could not be kept warm (the swarm driver cannot, nor an image without sh, sleep, cat and kill); stopped now`,
      )
    const warm = wanted.filter((name) => !untimed.includes(name))
    const others = running.filter((name) => !warm.includes(name))
    await driver.stop(others)
    const pruned = pruneList(web, release.digest, config.deploy.retain)
    await driver.remove(pruned)
    return [
      ...(warm.length ? [`kept ${warm.join(", ")} warm for ${formatDuration(warmMs)}, out of the route`] : []),
      others.length ? `stopped ${others.join(", ")}` : warm.length ? "" : "nothing to stop",
      ...(pruned.length ? [`removed ${pruned.join(", ")}`] : []),
    ]
      .filter(Boolean)
      .join("; ")
  })
}
