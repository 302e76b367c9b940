/**
 * A warm release's window, kept by the release itself: with no daemon beside the deployer, each
 * warm container runs a timer (`docker exec --detach`) that sends its own PID 1 SIGTERM when the
 * window ends: a graceful stop, exit 0, so `restart: on-failure` leaves it stopped and kept, as
 * retire would have. The timer's shell writes its PID to a file in /tmp (a tmpfs even with a
 * read-only root), so a rollback to the release within its window cancels it before routing to it.
 * Needs `sh`, `sleep` and `kill` in the image; where they are missing the exec fails and the
 * caller stops the release at once instead.
 */
import { exec } from "./argv.js"

export const WARM_TIMER_PID_FILE = "/tmp/.deploy-pipeline-keep-warm"

/** Starts the timer in `container`: after `seconds`, SIGTERM to its PID 1. */
export function startWarmTimer(container: string, seconds: number): string[] {
  const [docker, verb, ...rest] = exec(container, [
    "sh",
    "-c",
    `echo $$ > ${WARM_TIMER_PID_FILE} && sleep ${Math.max(1, Math.ceil(seconds))} && kill -TERM 1`,
  ])
  return [docker!, verb!, "--detach", ...rest]
}

/**
 * Cancels the timer (kills its shell before it reaches `kill`); exit 0 also when there was none,
 * non-zero when it could not. The PID is killed only while it is still the timer's shell: a file
 * left from before a restart (a root file system that is not read-only keeps /tmp) may name another
 * process by now.
 */
export function cancelWarmTimer(container: string): string[] {
  const file = WARM_TIMER_PID_FILE
  return exec(container, [
    "sh",
    "-c",
    `pid="$(cat ${file} 2>/dev/null)"; if [ -n "$pid" ]; then case "$(cat "/proc/$pid/cmdline" 2>/dev/null)" in *keep-warm*) kill "$pid" || exit 1 ;; esac; fi; rm -f ${file}`,
  ])
}
