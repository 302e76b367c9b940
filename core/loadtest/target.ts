/**
 * Which targets a load test may hit: exactly the http(s) URL the user typed, checked and passed
 * to wrk unchanged (never normalised, never a host we chose), so nothing else is ever contacted.
 */
import { LoadTestError } from "./errors.js"

/** Returns `url` unchanged when wrk may load it; throws LoadTestError("invalid-target") otherwise. */
export function checkTarget(url: string): string {
  if (url === "")
    throw new LoadTestError("invalid-target", "--url is required: the http:// or https:// address to load")
  if (/[\s\u0000-\u001f\u007f]/.test(url)) {
    throw new LoadTestError(
      "invalid-target",
      `--url ${JSON.stringify(url)} contains whitespace or control characters; pass the address exactly, with spaces percent-encoded`,
    )
  }
  // wrk compares the scheme case-sensitively: "HTTPS://" would silently be spoken to as plain HTTP.
  if (!url.startsWith("http://") && !url.startsWith("https://")) {
    throw new LoadTestError(
      "invalid-target",
      `--url ${url} must start with http:// or https:// (lower case); wrk speaks HTTP only`,
    )
  }
  let parsed: URL
  try {
    parsed = new URL(url)
  } catch (error) {
    throw new LoadTestError("invalid-target", `--url ${url} is not a URL`, { cause: error })
  }
  if (parsed.hostname === "") throw new LoadTestError("invalid-target", `--url ${url} names no host`)
  if (parsed.username !== "" || parsed.password !== "") {
    throw new LoadTestError(
      "invalid-target",
      "--url has a user name or password in it; wrk would send them with every request and they would show in the process list",
    )
  }
  return url
}

/** True when the URL's host is this machine's loopback (localhost, 127.0.0.0/8, ::1). */
export function isLoopbackTarget(url: string): boolean {
  const host = new URL(url).hostname.toLowerCase()
  return (
    host === "localhost" ||
    host.endsWith(".localhost") ||
    /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host) ||
    host === "[::1]"
  )
}
