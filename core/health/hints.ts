/**
 * What to check next, by failure: a static table (zx style) so a failed gate or watch ends with
 * one concrete next step instead of a bare status code. The Django traps that bite health checks
 * (ALLOWED_HOSTS answering 400, SECURE_SSL_REDIRECT answering 301) get their own lines.
 */
import type { FailureKind, ProbeResult } from "./result.js"

const BY_KIND: Record<Exclude<FailureKind, "status">, string> = {
  refused:
    "nothing is listening there: check that the new release's container is running (docker ps -a) and why it stopped (docker logs)",
  unreachable: "the connection did not get through: check the host name, the network the probe runs on, and firewalls",
  timeout:
    "no answer in time: check the app's logs for a slow start (migrations, warm-up) or hung workers, or raise health.timeout",
  body: "the answer is not the health view's JSON with a \"status\" field: check that health.path points at the app's health view",
  unhealthy:
    "the app says it is not healthy: its body names the failing dependency (database, cache or queue); check that service",
  version:
    "another release is answering: check that the probe reaches the new colour (its port or proxy route) and that the image reports the version being deployed",
  auth: "the service refused the credentials: check the user in services.* and the password secret",
  error: "check the service's logs for the error above",
}

function forStatus(status: number | undefined): string {
  if (status === 400)
    return "Django answers 400 when the Host header is not in ALLOWED_HOSTS: set health.host to a name ALLOWED_HOSTS lists (the probe sent the Host shown above)"
  if (status === 301 || status === 302 || status === 307 || status === 308) {
    return "a redirect, usually SECURE_SSL_REDIRECT: exempt the health path with SECURE_REDIRECT_EXEMPT, or have the proxy send X-Forwarded-Proto"
  }
  if (status === 404) return "health.path is not routed: compare it (and its trailing slash) with the app's urls.py"
  if (status !== undefined && status >= 500)
    return "the app failed or reports a failing dependency: its body and logs (docker logs) say which"
  return "the status is not health.expect_status: check the app's logs and health.expect_status"
}

export function nextStep(result: ProbeResult): string {
  if (result.ok) return "nothing: the last attempt passed"
  const kind = result.failure ?? "error"
  return kind === "status" ? forStatus(result.status) : BY_KIND[kind]
}
