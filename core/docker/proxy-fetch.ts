/**
 * An HTTP GET from inside the proxy container, whichever proxy it is: busybox `wget` under
 * `timeout`, which the pinned proxy images (alpine) carry. The health gate and the watch probe
 * through it, so they see the app exactly as the proxy does, on a local or a remote Docker host.
 */
import { exec } from "./argv.js"

/**
 * Status on stderr, body on stdout. The time limit is `timeout`, not wget's own -T, which makes
 * some busybox builds crash (exit 139).
 */
export function fetchFromProxy(proxy: string, url: string, timeoutSeconds: number, hostHeader?: string): string[] {
  return exec(proxy, [
    "timeout",
    String(Math.max(1, Math.ceil(timeoutSeconds))),
    "wget",
    "-q",
    "-S",
    "-O",
    "-",
    ...(hostHeader ? ["--header", `Host: ${hostHeader}`] : []),
    url,
  ])
}

export type FetchFailure = "refused" | "timeout" | "unreachable" | "error"

/** Reads what busybox wget said: the last HTTP status line, or why there was none. */
export function parseFetch(
  exitCode: number,
  stderr: string,
): { status: number } | { failure: FetchFailure; error: string } {
  const statuses = [...stderr.matchAll(/HTTP\/\d(?:\.\d)? (\d{3})/g)].map((m) => Number(m[1]))
  if (statuses.length > 0) return { status: statuses.at(-1)! }
  const said = stderr.trim().split("\n").at(-1) ?? ""
  if (exitCode === 124 || exitCode === 143)
    return { failure: "timeout", error: said || "no answer before the time limit" }
  if (/Connection refused/i.test(said)) return { failure: "refused", error: said }
  if (/timed out/i.test(said)) return { failure: "timeout", error: said }
  if (/bad address|Network is unreachable|No route to host|Connection reset/i.test(said))
    return { failure: "unreachable", error: said }
  return { failure: "error", error: said || `wget exited ${exitCode} with no output` }
}
