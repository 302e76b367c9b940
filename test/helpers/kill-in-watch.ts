/**
 * Kills a release's containers as its watch starts: the deploy or rollback has switched to them,
 * and the next thing it does is watch them. Hooks the engine's progress log ("watch…"); the
 * containers are found with `docker ps --filter` (a label, or a name prefix for swarm tasks).
 */
import { execFile } from "node:child_process"
import { promisify } from "node:util"
import type { EngineDeps } from "../../core/deploy/session.js"
import { DOCKER } from "./docker-images.js"

const execFileAsync = promisify(execFile)

/** Arms `engine`; `killed()` resolves with when the kill was done (performance.now()), or undefined if the watch never started. */
export function killInWatch(engine: EngineDeps, filter: string): { killed: () => Promise<number | undefined> } {
  let killed: Promise<number> | undefined
  const log = engine.log
  engine.log = (line) => {
    log(line)
    if (line === "watch…" && !killed) {
      killed = execFileAsync(DOCKER, ["ps", "--quiet", "--filter", filter])
        .then(({ stdout }) => execFileAsync(DOCKER, ["kill", ...stdout.trim().split("\n")]))
        .then(() => performance.now())
    }
  }
  return { killed: async () => killed }
}
