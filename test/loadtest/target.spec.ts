/**
 * Which targets may be loaded: exactly the http(s) URL typed, refused with a reason otherwise;
 * and which targets are this machine's loopback (unreachable from a Dagger container).
 */
import { expect } from "chai"
import { checkTarget, isLoopbackTarget } from "../../core/loadtest/target.js"
import { refusal } from "./support.js"

describe("load test targets", () => {
  it("returns an accepted URL exactly as given, never normalised", () => {
    for (const url of [
      "http://127.0.0.1:8080",
      "http://127.0.0.1:8080/",
      "https://app.example.test/a%20b?q=1#frag",
      "http://[::1]:9000/x",
      "http://localhost:3000/health",
    ]) {
      expect(checkTarget(url)).to.equal(url)
    }
  })

  const refused: [string, string][] = [
    ["", "--url is required: the http:// or https:// address to load"],
    ["127.0.0.1:8080", "--url 127.0.0.1:8080 must start with http:// or https:// (lower case); wrk speaks HTTP only"],
    [
      "HTTP://127.0.0.1/",
      "--url HTTP://127.0.0.1/ must start with http:// or https:// (lower case); wrk speaks HTTP only",
    ],
    ["ws://127.0.0.1/", "--url ws://127.0.0.1/ must start with http:// or https:// (lower case); wrk speaks HTTP only"],
    [
      " http://127.0.0.1/",
      '--url " http://127.0.0.1/" contains whitespace or control characters; pass the address exactly, with spaces percent-encoded',
    ],
    [
      "http://127.0.0.1/a b",
      '--url "http://127.0.0.1/a b" contains whitespace or control characters; pass the address exactly, with spaces percent-encoded',
    ],
    ["http://", "--url http:// is not a URL"],
    ["http://127.0.0.1:99999/", "--url http://127.0.0.1:99999/ is not a URL"],
    [
      "http://user:secret@127.0.0.1/",
      "--url has a user name or password in it; wrk would send them with every request and they would show in the process list",
    ],
  ]
  for (const [url, message] of refused) {
    it(`refuses ${JSON.stringify(url)}`, async () => {
      expect(await refusal(() => checkTarget(url))).to.deep.equal({ code: "invalid-target", message, limit: undefined })
    })
  }

  it("knows loopback targets", () => {
    const cases: [string, boolean][] = [
      ["http://127.0.0.1:8080/", true],
      ["http://127.1.2.3/", true],
      ["http://localhost/", true],
      ["http://LOCALHOST:80/", true],
      ["http://app.localhost/", true],
      ["http://[::1]:8080/", true],
      ["http://10.0.0.5/", false],
      ["https://app.example.test/", false],
      ["http://127.0.0.1.example.test/", false],
    ]
    expect(cases.map(([url]) => [url, isLoopbackTarget(url)])).to.deep.equal(cases)
  })
})
