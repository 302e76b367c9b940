/** One next step per kind of failure, verbatim; the Django traps get their own. */
import { expect } from "chai"
import { nextStep } from "../../core/health/hints.js"
import type { ProbeResult } from "../../core/health/result.js"

describe("health/hints", () => {
  const failed = (extra: Partial<ProbeResult>): ProbeResult => ({
    ok: false,
    target: "GET http://10.0.0.5:8001/health/",
    ms: 3,
    ...extra,
  })
  const cases: [string, ProbeResult, string][] = [
    [
      "400 (ALLOWED_HOSTS)",
      failed({ failure: "status", status: 400 }),
      "Django answers 400 when the Host header is not in ALLOWED_HOSTS: set health.host to a name ALLOWED_HOSTS lists (the probe sent the Host shown above)",
    ],
    [
      "301 (SECURE_SSL_REDIRECT)",
      failed({ failure: "status", status: 301 }),
      "a redirect, usually SECURE_SSL_REDIRECT: exempt the health path with SECURE_REDIRECT_EXEMPT, or have the proxy send X-Forwarded-Proto",
    ],
    [
      "404",
      failed({ failure: "status", status: 404 }),
      "health.path is not routed: compare it (and its trailing slash) with the app's urls.py",
    ],
    [
      "500",
      failed({ failure: "status", status: 500 }),
      "the app failed or reports a failing dependency: its body and logs (docker logs) say which",
    ],
    [
      "204",
      failed({ failure: "status", status: 204 }),
      "the status is not health.expect_status: check the app's logs and health.expect_status",
    ],
    [
      "refused",
      failed({ failure: "refused" }),
      "nothing is listening there: check that the new release's container is running (docker ps -a) and why it stopped (docker logs)",
    ],
    [
      "timeout",
      failed({ failure: "timeout" }),
      "no answer in time: check the app's logs for a slow start (migrations, warm-up) or hung workers, or raise health.timeout",
    ],
    [
      "version",
      failed({ failure: "version" }),
      "another release is answering: check that the probe reaches the new colour (its port or proxy route) and that the image reports the version being deployed",
    ],
    ["unkinded", failed({}), "check the service's logs for the error above"],
    ["a pass", { ok: true, target: "x", ms: 1 }, "nothing: the last attempt passed"],
  ]
  for (const [name, result, expected] of cases) {
    it(`says what to check for ${name}`, () => expect(nextStep(result)).to.equal(expected))
  }
})
