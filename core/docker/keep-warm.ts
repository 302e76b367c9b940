/**
 * A warm release's window, kept by the release itself: with no daemon beside the deployer, each
 * warm container runs a timer (`docker exec --detach`) that sends its own PID 1 SIGTERM when the
 * window ends: a graceful stop, exit 0, so `restart: on-failure` leaves it stopped and kept, as
 * retire would have. The timer writes its own PID to a token file in /tmp (a tmpfs even with a
 * read-only root) and fires only if the file still holds it: cancelling is removing the file (a
 * rollback to the release within its window), and a newer timer's token silences an older one.
 * (Killing the timer's shell instead took docker exec about 4 s, measured.) Needs `sh`, `sleep`,
 * `cat` and `kill` in the image; where they are missing the exec fails and the caller stops the
 * release at once instead.
 */
import { exec } from "./argv.js"

export const WARM_TIMER_TOKEN = "/tmp/.deploy-pipeline-keep-warm"

/** Starts the timer in `container`: after `seconds`, SIGTERM to its PID 1, unless cancelled or replaced. */
export function startWarmTimer(container: string, seconds: number): string[] {
  const t = WARM_TIMER_TOKEN
  const [docker, verb, ...rest] = exec(container, [
    "sh",
    "-c",
    `echo $$ > ${t} && sleep ${Math.max(1, Math.ceil(seconds))} && [ "$(cat ${t} 2>/dev/null)" = "$$" ] && kill -TERM 1`,
  ])
  return [docker!, verb!, "--detach", ...rest]
}

/** Cancels the timer: its token gone, it never fires. Exit 0 also when there was none. */
export function cancelWarmTimer(container: string): string[] {
  return exec(container, ["rm", "-f", WARM_TIMER_TOKEN])
}
