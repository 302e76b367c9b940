/** The object `scan` returns (its Trivy container is built in core/stages/scan.ts). */
import { type Container, type Directory, type File, func, object } from "@dagger.io/dagger"
import { SCAN_REPORTS_DIR, scanTargetName } from "../core/constants.js"
import { functions } from "./functions.js"

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
    return this.scanner.directory(SCAN_REPORTS_DIR)
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
    return this.scanner.file(`${SCAN_REPORTS_DIR}/${this.reportName(target)}.sarif`)
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
    return this.scanner.file(`${SCAN_REPORTS_DIR}/${this.reportName(target)}.json`)
  }

  /**
   * Fail when any target has findings at the environment's severities; list them.
   *
   * Example usage: dagger call scan --env production check
   */
  @func()
  async check(): Promise<string> {
    return (await functions()).scanCheck(this)
  }

  private reportName(target: string): string {
    if (!this.targets.includes(target))
      throw new Error(`no scan target "${target}"; targets: ${this.targets.join(", ")}`)
    return scanTargetName(target)
  }
}
