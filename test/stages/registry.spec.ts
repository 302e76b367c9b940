import { expect } from "chai"
import { publishedDigest, registryHost } from "../../core/stages/registry.js"

describe("stages/registry", () => {
  it("finds the registry host of an address", () => {
    expect(registryHost("registry.example.com/acme/webapp:1.2")).to.equal("registry.example.com")
    expect(registryHost("localhost:5000/webapp")).to.equal("localhost:5000")
    expect(registryHost("acme/webapp:1.2")).to.equal("docker.io")
    expect(registryHost("webapp")).to.equal("docker.io")
  })

  it("reads the digest publish returned, or nothing", () => {
    const digest = `sha256:${"a".repeat(64)}`
    expect(publishedDigest(`registry.example.com/acme/webapp:1.2@${digest}`)).to.equal(digest)
    expect(publishedDigest("registry.example.com/acme/webapp:1.2")).to.equal(undefined)
  })
})
