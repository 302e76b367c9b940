/** The Host header of the health probes, from the config alone (pure), case by case. */
import { expect } from "chai"
import { type ProbeHost, describeProbeHost, probeHost } from "../../core/deploy/probe-host.js"
import type { EnvironmentConfig } from "../../core/config/schema.js"

type Parts = Pick<EnvironmentConfig, "health" | "app" | "secrets">

describe("deploy/probe-host", () => {
  const config = (
    host: string | undefined,
    env: Record<string, string> | undefined,
    secrets: Record<string, string> = {},
  ): Parts =>
    ({ health: { ...(host === undefined ? {} : { host }) }, app: { ...(env ? { env } : {}) }, secrets }) as Parts

  const cases: [string, Parts, ProbeHost][] = [
    [
      "health.host wins over ALLOWED_HOSTS",
      config("www.example.com", { ALLOWED_HOSTS: "example.org" }),
      { host: "www.example.com", from: "health.host" },
    ],
    [
      "the first of a plain ALLOWED_HOSTS",
      config(undefined, { ALLOWED_HOSTS: "app.example.com, localhost" }),
      { host: "app.example.com", from: "app.env.ALLOWED_HOSTS" },
    ],
    [
      "past wildcards, a leading dot dropped",
      config(undefined, { ALLOWED_HOSTS: "*,.example.com" }),
      { host: "example.com", from: "app.env.ALLOWED_HOSTS" },
    ],
    ["only a wildcard: the default", config(undefined, { ALLOWED_HOSTS: "*" }), { host: "localhost", from: "default" }],
    [
      "ALLOWED_HOSTS a secret: not read",
      config(undefined, { ALLOWED_HOSTS: "app.example.com" }, { ALLOWED_HOSTS: "env:ALLOWED_HOSTS" }),
      { host: "localhost", from: "default" },
    ],
    ["nothing set: localhost", config(undefined, undefined), { host: "localhost", from: "default" }],
  ]
  for (const [name, parts, expected] of cases) {
    it(name, () => expect(probeHost(parts)).to.deep.equal(expected))
  }

  it("says where the Host comes from, for plan", () => {
    expect(describeProbeHost({ host: "www.example.com", from: "health.host" })).to.equal(
      "Host: www.example.com (health.host)",
    )
    expect(describeProbeHost({ host: "example.com", from: "app.env.ALLOWED_HOSTS" })).to.equal(
      "Host: example.com (the first of app.env.ALLOWED_HOSTS)",
    )
    expect(describeProbeHost({ host: "localhost", from: "default" })).to.equal(
      "Host: localhost (the default; set health.host to a name ALLOWED_HOSTS lists)",
    )
  })
})
