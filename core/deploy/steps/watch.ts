/** The watch window after a switch: the live path through the proxy (which passes the probe's Host on) must keep answering healthy with the new version. */
import type { Environment } from "../../config/load.js"
import { type WatchReport, watch } from "../../health/watch.js"
import { proxyProbe } from "../probe.js"
import { probeHost } from "../probe-host.js"
import type { Release } from "../release.js"
import type { EngineDeps, Session } from "../session.js"

/** The watch phase; `describe` says how the caller reports it in the ledger. */
export function watchLive(
  session: Session,
  deps: EngineDeps,
  env: Environment,
  release: Release,
  describe: (report: WatchReport) => string,
): Promise<WatchReport> {
  const { health } = env.config
  const probe = proxyProbe(deps.executor, {
    proxy: session.driver.names.proxy,
    url: `http://127.0.0.1:80${health.path}`,
    hostHeader: probeHost(env.config).host,
    expectStatus: health.expect_status,
    expectVersion: release.version,
  })
  return session.phase(
    "watch",
    () =>
      watch(
        probe,
        {
          windowMs: health.watch,
          intervalMs: health.interval,
          failureThreshold: health.healthy_threshold,
          timeoutMs: health.timeout,
        },
        deps.timing,
      ),
    describe,
  )
}
