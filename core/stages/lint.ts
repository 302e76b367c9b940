/**
 * The lint stage: ruff (check and format) on the Python code, hadolint on the Dockerfile, and the
 * environments config check, run concurrently. One report; the call fails when any finds a problem.
 */
import { type Container, type Directory, ReturnType, dag } from "@dagger.io/dagger"
import { configCheck } from "../commands/config-check.js"
import { ENVIRONMENTS_DIR, IMAGES, STAGE_INPUTS } from "../constants.js"
import { readEnvironmentFiles } from "../dagger/environment-files.js"
import { LINT_SOURCE_DIR, lintToolChecks } from "./commands.js"
import { StageError } from "./failure.js"
import { type CheckResult, checkResult, renderChecks } from "./report.js"

export async function lintReport(source: Directory, environments: Directory): Promise<string> {
  const python = dag
    .container()
    .from(IMAGES.ruff)
    .withMountedDirectory(LINT_SOURCE_DIR, source.filter({ include: [...STAGE_INPUTS.python] }))
    .withWorkdir(LINT_SOURCE_DIR)
  const dockerfile = dag
    .container()
    .from(IMAGES.hadolint)
    .withMountedDirectory(LINT_SOURCE_DIR, source.filter({ include: [...STAGE_INPUTS.dockerfile] }))
  const containers = { ruff: python, hadolint: dockerfile }
  const checks = await Promise.all([
    ...lintToolChecks().map((check) =>
      execCheck(check.name, containers[check.image].withExec(check.argv, { expect: ReturnType.Any })),
    ),
    environmentsCheck(environments),
  ])
  const report = renderChecks("lint", checks)
  if (checks.some((c) => !c.ok)) throw new StageError("lint", report)
  return report
}

/** Runs a check's command (allowed to fail) and reads its verdict and output. */
export async function execCheck(name: string, container: Container): Promise<CheckResult> {
  const [exitCode, stdout, stderr] = await Promise.all([container.exitCode(), container.stdout(), container.stderr()])
  return checkResult(name, exitCode, stdout, stderr)
}

async function environmentsCheck(environments: Directory): Promise<CheckResult> {
  const outcome = configCheck(await readEnvironmentFiles(environments, ENVIRONMENTS_DIR), ENVIRONMENTS_DIR)
  return { name: "environments config", ok: outcome.ok, output: outcome.ok ? "" : outcome.text }
}
