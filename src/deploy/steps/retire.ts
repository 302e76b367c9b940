/**
 * After a good watch, deploy and rollback alike: the previous release out of the route, then every
 * other running web container stopped (the previous release, and whatever an interrupted attempt
 * left running beside it), then the releases past deploy.retain removed. What stays running is
 * the live release only; the stopped ones are kept for a fast rollback.
 */
import type { EnvironmentConfig } from "../../config/schema.js"
import { pruneList } from "../host-state.js"
import type { Release } from "../release.js"
import type { Session } from "../session.js"

export function retire(
  session: Session,
  config: EnvironmentConfig,
  release: Release,
  live: readonly string[],
  hadFallback: boolean,
): Promise<string> {
  const { driver } = session
  return session.phase("retire", async () => {
    if (hadFallback) await driver.dropFallback(live)
    const web = await driver.webContainers()
    const others = web.filter((c) => c.state === "running" && !live.includes(c.name)).map((c) => c.name)
    await driver.stop(others)
    const pruned = pruneList(web, release.digest, config.deploy.retain)
    await driver.remove(pruned)
    return `${others.length ? `stopped ${others.join(", ")}` : "nothing to stop"}${pruned.length ? `; removed ${pruned.join(", ")}` : ""}`
  })
}
