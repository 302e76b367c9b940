/**
 * The load test under Dagger: wrk in a pinned Debian container, installed in a layer that
 * depends on nothing but the image (so it is cached across runs and targets), then the done()
 * script, a per-run value (so a load test is never answered from Dagger's cache) and wrk itself.
 *
 * Reachability: wrk runs inside the engine's container network, where localhost and 127.0.0.1
 * are the wrk container itself, not the machine that ran `dagger call`. Loopback targets are
 * therefore refused with a message; load a host the engine can reach, or use the CLI
 * (`deploy-pipeline load-test`), which runs wrk on this machine. The URL is never rewritten.
 */
import { type Container, ReturnType, dag } from "@dagger.io/dagger"
import { type LoadTestFormat, loadTestCommand, loadTestRefused } from "../commands/load-test.js"
import { installWrk, wrkArgv } from "../loadtest/argv.js"
import { DONE_SCRIPT } from "../loadtest/done-script.js"
import { LoadTestError } from "../loadtest/errors.js"
import { type LoadTestRequest, type WrkSettings, planLoadTest } from "../loadtest/settings.js"
import { isLoopbackTarget } from "../loadtest/target.js"
import { StageError } from "./failure.js"

/** Debian 12 (bookworm) slim, pinned to a point release; wrk comes from its archive (4.1.0). */
export const LOAD_TEST_IMAGE = "debian:12.8-slim"
export const DONE_SCRIPT_PATH = "/usr/local/share/deploy-pipeline/p95.lua"

export interface LoadTestContainerOptions extends Omit<LoadTestRequest, "url"> {
  /** Unique per run (the Dagger function passes a random UUID): busts the cache of the wrk exec. */
  runId: string
}

/** The pinned image with wrk installed: the cached part, the same for every target and run. */
export function wrkImage(): Container {
  return dag.container().from(LOAD_TEST_IMAGE).withExec(installWrk())
}

/** The container whose last exec is the wrk run (allowed to fail: read exitCode, stdout, stderr). */
export function loadTestContainer(url: string, options: LoadTestContainerOptions): Container {
  return planned(url, options).container
}

/** Runs the load test in a container and returns the report (text or JSON); a failed test fails the call. */
export async function loadTestReport(
  url: string,
  options: LoadTestContainerOptions,
  format: LoadTestFormat,
): Promise<string> {
  let run: { settings: WrkSettings; container: Container }
  try {
    run = planned(url, options)
  } catch (error) {
    throw new StageError("load-test", loadTestRefused(error, format).text, { cause: error })
  }
  const { settings, container } = run
  const [exitCode, stdout, stderr] = await Promise.all([container.exitCode(), container.stdout(), container.stderr()])
  const outcome = loadTestCommand(settings, { exitCode, stdout, stderr }, format)
  if (!outcome.ok) throw new StageError("load-test", outcome.text)
  return outcome.text
}

function planned(url: string, options: LoadTestContainerOptions): { settings: WrkSettings; container: Container } {
  const { runId, ...request } = options
  const settings = planLoadTest({ ...request, url })
  if (isLoopbackTarget(url)) {
    throw new LoadTestError(
      "unreachable-under-dagger",
      `--url ${url} is this machine's loopback, which a Dagger container cannot reach (there it is the container itself); run deploy-pipeline load-test from the CLI, or give an address the engine can reach`,
    )
  }
  const container = wrkImage()
    .withNewFile(DONE_SCRIPT_PATH, DONE_SCRIPT)
    .withEnvVariable("DEPLOY_PIPELINE_RUN", runId)
    .withExec(wrkArgv(settings, DONE_SCRIPT_PATH), { expect: ReturnType.Any })
  return { settings, container }
}
