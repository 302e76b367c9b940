/**
 * The wrk command line, as an argv array: always --latency (the percentile table), always a
 * duration and a per-request timeout, the target last and exactly as given. Pure, so its whole
 * text is tested; the CLI runs it as a child process and Dagger with withExec. Also the install
 * step of the Dagger image, which must not depend on the target so its layer stays cached.
 */
import { type WrkSettings, checkSettings } from "./settings.js"

export const WRK = "wrk"

/** `scriptPath`: the done() script that prints p95 (see done-script.ts), where the edge wrote it. */
export function wrkArgv(settings: WrkSettings, scriptPath?: string): string[] {
  const s = checkSettings(settings)
  return [
    WRK,
    "--latency",
    "--connections",
    String(s.connections),
    "--threads",
    String(s.threads),
    "--duration",
    `${s.durationSeconds}s`,
    "--timeout",
    `${s.timeoutSeconds}s`,
    ...(scriptPath === undefined ? [] : ["--script", scriptPath]),
    s.url,
  ]
}

/** Debian's wrk, installed in one layer that depends on nothing but the base image. */
export const installWrk = (): string[] => [
  "sh",
  "-c",
  "apt-get update -qq && apt-get install -y -qq --no-install-recommends wrk >/dev/null && rm -rf /var/lib/apt/lists/*",
]
