/** The switch, as deploy and rollback take it: only while the lock is held, recorded as the moment live traffic moved. */
import type { Session } from "../session.js"

/** Routes live traffic to `live` (the old release as its fallback through the watch), records switchedAt on the row, and says `detail`. */
export async function switchTraffic(
  session: Session,
  id: number,
  live: readonly string[],
  fallback: readonly string[],
  detail: string,
): Promise<void> {
  session.lock.assertHeld()
  await session.phase("switch", async () => {
    await session.driver.route(live, fallback)
    await session.ledger.amend(id, { switchedAt: new Date() })
    return detail
  })
}
