/** The switch back after a failed watch window, as deploy, rollback and a finished interrupted deploy take it. */
import type { Session } from "../session.js"

/**
 * Routes live traffic back to `back` (what served before), then stops `failed` and keeps its
 * containers for inspection. `said` names both for the phase's line.
 */
export async function switchBack(
  session: Session,
  back: readonly string[],
  failed: readonly string[],
  said: { back: string; failed: string },
): Promise<void> {
  await session.phase("switch-back", async () => {
    await session.driver.route(back, [])
    await session.driver.stop(failed)
    return `live → ${said.back} again; ${said.failed} stopped and kept for inspection`
  })
}
