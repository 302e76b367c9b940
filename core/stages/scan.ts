/**
 * The scan stage: Trivy on each platform image and on the source, for vulnerabilities, secrets
 * and misconfiguration, with its database in a cache volume. Reports hold everything found;
 * `check` fails only on findings at the environment's severities.
 */
import { type Container, type Directory, ReturnType, dag } from "@dagger.io/dagger"
import { CACHE_VOLUMES, IMAGES, SCAN_REPORTS_DIR as REPORTS, scanTargetName } from "../constants.js"
import { type ScanSettings, trivyGate, trivyScan, trivyToSarif } from "./commands.js"
import { StageError, runStage } from "./failure.js"
import { execCheck } from "./lint.js"
import { renderChecks } from "./report.js"
import type { ScanResult } from "../dagger/functions-contract.js"

/**
 * What keys the scan's cache to the vulnerability database: the UTC day. Trivy's database changes
 * every day while the source may not; without this, Dagger would answer an unchanged source's
 * scan, and its verdict, from its cache for ever. A new day makes the scan run again (and Trivy
 * refresh its database in the cache volume).
 */
export function scanDbDay(now: Date): string {
  return now.toISOString().slice(0, 10)
}

/** `dbDay`: scanDbDay of the call's clock. */
export function scanContainer(
  source: Directory,
  images: { platform: string; image: Container }[],
  settings: ScanSettings,
  dbDay: string,
): Container {
  let scanner = dag
    .container()
    .from(IMAGES.trivy)
    .withMountedCache("/root/.cache/trivy", dag.cacheVolume(CACHE_VOLUMES.trivy))
    .withEnvVariable("TRIVY_DB_DAY", dbDay)
    .withEnvVariable("TRIVY_NO_PROGRESS", "true")
    .withDirectory("/src", source)
  for (const { platform, image } of images) {
    const name = scanTargetName(platform)
    scanner = scanner
      .withFile(`/images/${name}.tar`, image.asTarball())
      .withExec(trivyScan("image", `/images/${name}.tar`, `${REPORTS}/${name}.json`, settings))
      .withExec(trivyToSarif(`${REPORTS}/${name}.json`, `${REPORTS}/${name}.sarif`))
  }
  return scanner
    .withExec(trivyScan("fs", "/src", `${REPORTS}/source.json`, settings))
    .withExec(trivyToSarif(`${REPORTS}/source.json`, `${REPORTS}/source.sarif`))
}

/** Fails when any target has findings at the environment's severities; lists them. */
export async function scanCheck(scan: ScanResult): Promise<string> {
  const settings: ScanSettings = { severity: scan.severity, ignoreUnfixed: scan.ignoreUnfixed }
  const checks = await runStage("scan", () =>
    Promise.all(
      scan.targets.map((target) =>
        execCheck(
          `trivy ${target} (${scan.severity.join(",")}${scan.ignoreUnfixed ? ", fixed only" : ""})`,
          scan.scanner.withExec(trivyGate(`${REPORTS}/${scanTargetName(target)}.json`, settings), {
            expect: ReturnType.Any,
          }),
        ),
      ),
    ),
  )
  const report = renderChecks("scan", checks)
  if (checks.some((c) => !c.ok)) throw new StageError("scan", report)
  return report
}
