/**
 * The scan stage: Trivy on each platform image and on the source, for vulnerabilities, secrets
 * and misconfiguration, with its database in a cache volume. Reports hold everything found;
 * `check` fails only on findings at the environment's severities.
 */
import { type Container, type Directory, type File, ReturnType, dag, func, object } from "@dagger.io/dagger"
import { CACHE_VOLUMES, IMAGES } from "../constants.js"
import { type ScanSettings, scanTargetName, trivyGate, trivyScan, trivyToSarif } from "./commands.js"
import { StageError, runStage } from "./failure.js"
import { execCheck } from "./lint.js"
import { renderChecks } from "./report.js"

const REPORTS = "/reports"

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

/** What a scan produced: the reports as Files and a Directory, and the gate. */
@object()
export class ScanReport {
  scanner: Container
  targets: string[]
  severity: string[]
  ignoreUnfixed: boolean

  constructor(scanner: Container, targets: string[], severity: string[], ignoreUnfixed: boolean) {
    this.scanner = scanner
    this.targets = targets
    this.severity = severity
    this.ignoreUnfixed = ignoreUnfixed
  }

  /**
   * All reports: <target>.json and <target>.sarif for each platform image and the source.
   *
   * Example usage: dagger call scan --env production reports export --path trivy-reports
   */
  @func()
  reports(): Directory {
    return this.scanner.directory(REPORTS)
  }

  /**
   * The SARIF report of one target, for code-scanning dashboards.
   *
   * Example usage: dagger call scan --env production sarif --target source export --path trivy.sarif
   *
   * @param target "source", or a platform such as linux/amd64.
   */
  @func()
  sarif(target = "source"): File {
    return this.scanner.file(`${REPORTS}/${this.reportName(target)}.sarif`)
  }

  /**
   * The JSON report of one target, with every finding at every severity.
   *
   * Example usage: dagger call scan --env production json --target linux/arm64 export --path trivy.json
   *
   * @param target "source", or a platform such as linux/amd64.
   */
  @func()
  json(target = "source"): File {
    return this.scanner.file(`${REPORTS}/${this.reportName(target)}.json`)
  }

  /**
   * Fail when any target has findings at the environment's severities; list them.
   *
   * Example usage: dagger call scan --env production check
   */
  @func()
  async check(): Promise<string> {
    const settings: ScanSettings = { severity: this.severity, ignoreUnfixed: this.ignoreUnfixed }
    const checks = await runStage("scan", () =>
      Promise.all(
        this.targets.map((target) =>
          execCheck(
            `trivy ${target} (${this.severity.join(",")}${this.ignoreUnfixed ? ", fixed only" : ""})`,
            this.scanner.withExec(trivyGate(`${REPORTS}/${scanTargetName(target)}.json`, settings), {
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

  private reportName(target: string): string {
    if (!this.targets.includes(target))
      throw new Error(`no scan target "${target}"; targets: ${this.targets.join(", ")}`)
    return scanTargetName(target)
  }
}
