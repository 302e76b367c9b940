import { expect } from "chai"
import { approvalToken, parseImageRef } from "../../core/docker/image-ref.js"

const HEX = "0123456789abcdef".repeat(4)

describe("docker/image-ref", () => {
  const cases: [string, ReturnType<typeof parseImageRef>][] = [
    [
      `registry.example.com/acme/webapp@sha256:${HEX}`,
      { repository: "registry.example.com/acme/webapp", digest: `sha256:${HEX}` },
    ],
    [
      `registry.example.com:5000/acme/webapp:1.2.3@sha256:${HEX}`,
      { repository: "registry.example.com:5000/acme/webapp", tag: "1.2.3", digest: `sha256:${HEX}` },
    ],
    ["webapp:latest", { repository: "webapp", tag: "latest" }],
    ["webapp", { repository: "webapp" }],
    ["Webapp", undefined],
    [`webapp@sha256:${HEX.slice(1)}`, undefined],
    ["web app", undefined],
  ]
  for (const [text, expected] of cases) {
    it(`parses ${JSON.stringify(text.slice(0, 50))}`, () => expect(parseImageRef(text)).to.deep.equal(expected))
  }

  it("binds approval to the environment and the first 12 hex of the digest", () => {
    expect(approvalToken("staging", `sha256:${HEX}`)).to.equal("staging@0123456789ab")
  })
})
