/** Whether an environment serves, from the proxy and its live route: one case per state, the whole note asserted. */
import { expect } from "chai"
import { type ServingInput, servingState } from "../../core/deploy/serving.js"
import type { ProjectContainer, WebContainer } from "../../core/deploy/host-state.js"

const V1 = `sha256:${"1a".repeat(32)}`
const V2 = `sha256:${"2b".repeat(32)}`
const proxy = (state: string): ProjectContainer => ({ id: "p", name: "shop-dev-proxy", state, role: "proxy" })
const web = (name: string, digest: string, state = "running"): WebContainer & ProjectContainer => ({
  id: name,
  name,
  state,
  role: "web",
  digest,
  version: digest === V1 ? "v1" : "v2",
  colour: "blue",
  deployId: 1,
})

function input(over: Partial<ServingInput>): ServingInput {
  const webs = [web("shop-dev-web-1", V1)]
  return {
    env: "dev",
    proxy: "shop-dev-proxy",
    address: "127.0.0.1:8080",
    containers: [proxy("running"), ...webs],
    web: webs,
    live: new Set(["shop-dev-web-1"]),
    ledgerDigest: V1,
    ...over,
  }
}

describe("deploy/serving", () => {
  it("up: the proxy runs and routes to a running release; the release is the live containers' own", () => {
    expect(servingState(input({}))).to.deep.equal({ state: "up", digest: V1, version: "v1", note: null })
  })

  it("up, but the ledger names another release: the proxy decides, and the note says so", () => {
    expect(servingState(input({ ledgerDigest: V2 }))).to.deep.equal({
      state: "up",
      digest: V1,
      version: "v1",
      note: "the ledger's last release is 2b2b2b2b2b2b, but the proxy serves 1a1a1a1a1a1a: an interrupted deploy or rollback; the proxy is what answers",
    })
  })

  it("down: the proxy was removed", () => {
    const webs = [web("shop-dev-web-1", V1)]
    expect(servingState(input({ containers: webs, live: new Set() }))).to.deep.equal({
      state: "down",
      digest: null,
      version: null,
      note: `the proxy shop-dev-proxy does not exist: nothing answers on 127.0.0.1:8080; deploy again, which recreates it (deploy-pipeline deploy --env dev --image ${V1})`,
    })
  })

  it("down: the proxy is stopped", () => {
    const webs = [web("shop-dev-web-1", V1)]
    expect(servingState(input({ containers: [proxy("exited"), ...webs], live: new Set() }))).to.deep.equal({
      state: "down",
      digest: null,
      version: null,
      note: "the proxy shop-dev-proxy is exited: nothing answers on 127.0.0.1:8080; start it (docker start shop-dev-proxy), which serves its saved route again, or deploy, which restarts it",
    })
  })

  it("down: the proxy runs but its live route reaches no running container", () => {
    const webs = [web("shop-dev-web-1", V1, "exited")]
    expect(servingState(input({ containers: [proxy("running"), ...webs], web: webs, live: new Set() }))).to.deep.equal({
      state: "down",
      digest: null,
      version: null,
      note: "the proxy shop-dev-proxy routes no running release: 127.0.0.1:8080 answers 503; roll back (deploy-pipeline rollback --env dev) or deploy to put one live",
    })
  })

  it("idle: nothing deployed yet, with or without a proxy, is not down", () => {
    const idle = { state: "idle", digest: null, version: null, note: null }
    expect(servingState(input({ containers: [], web: [], live: new Set(), ledgerDigest: null }))).to.deep.equal(idle)
    expect(
      servingState(input({ containers: [proxy("running")], web: [], live: new Set(), ledgerDigest: null })),
    ).to.deep.equal(idle)
  })
})
