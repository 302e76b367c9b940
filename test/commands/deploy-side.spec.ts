/**
 * The deploy-side commands' outcomes, whole, with no engine: each command turns the operation's
 * result into text or JSON and its failures into a coded outcome, and hands the operation the
 * request both surfaces build (lock waits in ms).
 */
import { expect } from "chai"
import { deployCommand } from "../../core/commands/deploy.js"
import { lockReleaseCommand, lockStatusCommand } from "../../core/commands/lock.js"
import { restoreCommand } from "../../core/commands/restore.js"
import { rollbackCommand } from "../../core/commands/rollback.js"
import { scaleCommand } from "../../core/commands/scale.js"
import { historyCommand, statusCommand } from "../../core/commands/status.js"
import { DeployError } from "../../core/deploy/errors.js"
import { LockHeldError } from "../../core/ledger/lock/errors.js"
import { IMAGE, shippedEnvironment } from "../helpers/environments.js"
import {
  DEPLOYED,
  LOCK,
  RECORD,
  RELEASED,
  ROLLED_BACK,
  SCALED,
  STATUS,
  SWITCHED_BACK,
  fakeSide,
} from "../helpers/fake-deploy-side.js"

const staging = shippedEnvironment("staging")

describe("commands: deploy side", () => {
  it("deploy: the record's id, result, summary, duration and each warning; the request with the lock wait in ms", async () => {
    const fake = fakeSide()
    const outcome = await deployCommand(
      staging,
      {
        image: IMAGE,
        requestedBy: "alice@laptop",
        approve: "staging@0123456789ab",
        lockWaitSeconds: 30,
        commit: "abc",
      },
      fake.side,
    )
    expect(outcome).to.deep.equal({
      ok: true,
      text: `deploy #7 succeeded: ${IMAGE} is live in staging (green) (42.3 s)\nwarning: memcached at 127.0.0.1:11211 did not answer`,
    })
    expect(fake.calls).to.deep.equal([
      {
        op: "deploy",
        args: [
          {
            env: staging,
            image: IMAGE,
            requestedBy: "alice@laptop",
            approve: "staging@0123456789ab",
            commit: "abc",
            lockWaitMs: 30_000,
          },
          "deps source",
        ],
      },
    ])
  })

  it("deploy: a switch-back fails with rolled-back; under --json the record is the document either way", async () => {
    const text = await deployCommand(
      staging,
      { image: IMAGE, requestedBy: "a" },
      fakeSide({ deploy: SWITCHED_BACK }).side,
    )
    expect(text).to.deep.equal({
      ok: false,
      code: "rolled-back",
      text: "deploy #7 rolled_back: health failed after the switch; staging is back on fedcba987654 (blue) (42.3 s)",
    })
    const json = await deployCommand(
      staging,
      { image: IMAGE, requestedBy: "a", json: true },
      fakeSide({ deploy: SWITCHED_BACK }).side,
    )
    expect(json).to.deep.equal({ ok: false, json: true, text: JSON.stringify(SWITCHED_BACK, null, 2) })
  })

  it("rollback keeps its warnings; scale and restore print their record's id and summary", async () => {
    const fake = fakeSide()
    expect(await rollbackCommand(staging, { to: "sha256:ab", requestedBy: "a" }, fake.side)).to.deep.equal({
      ok: true,
      text: "rollback #8: staging is back on 0123456789ab (blue), started from kept containers\nwarning: notification staging.succeeded not delivered",
    })
    expect(
      await scaleCommand(staging, { service: "web", replicas: 4, requestedBy: "a", lockWaitSeconds: 0 }, fake.side),
    ).to.deep.equal({ ok: true, text: "scale #9: web of 0123456789ab went from 2 to 4 replicas" })
    expect(await restoreCommand(staging, { id: "b-1", confirm: "b-1", requestedBy: "a" }, fake.side)).to.deep.equal({
      ok: true,
      text: "restore #10: restored production's database app from production-20261129T010203Z-0123456789ab",
    })
    expect(fake.calls).to.deep.equal([
      { op: "rollback", args: [{ env: staging, requestedBy: "a", to: "sha256:ab" }, "deps"] },
      { op: "scale", args: [{ env: staging, service: "web", replicas: 4, requestedBy: "a", lockWaitMs: 0 }, "deps"] },
      { op: "restore", args: [{ env: staging, id: "b-1", confirm: "b-1", requestedBy: "a" }, "deps"] },
    ])
    expect(fake.engines).to.equal(3)
  })

  it("--json prints the operation's result as the document", async () => {
    const fake = fakeSide()
    expect(await rollbackCommand(staging, { requestedBy: "a", json: true }, fake.side)).to.deep.equal({
      ok: true,
      json: true,
      text: JSON.stringify(ROLLED_BACK, null, 2),
    })
    expect(
      await scaleCommand(staging, { service: "web", replicas: 4, requestedBy: "a", json: true }, fake.side),
    ).to.deep.equal({ ok: true, json: true, text: JSON.stringify(SCALED, null, 2) })
    expect(await statusCommand(staging, { json: true }, fake.side)).to.deep.equal({
      ok: true,
      json: true,
      text: JSON.stringify(STATUS, null, 2),
    })
    expect(await historyCommand(staging, { json: true }, fake.side)).to.deep.equal({
      ok: true,
      json: true,
      text: JSON.stringify([RECORD], null, 2),
    })
    expect(await lockStatusCommand(staging, { json: true }, fake.side)).to.deep.equal({
      ok: true,
      json: true,
      text: JSON.stringify(LOCK, null, 2),
    })
  })

  it("status of an environment that is down: the report is the output, and the outcome failed with environment-down", async () => {
    const note = "the proxy shop-staging-proxy is exited: nothing answers on 127.0.0.1:8080; start it"
    const down = { ...STATUS, serving: { state: "down" as const, digest: null, version: null, note } }
    const fake = fakeSide({ status: down })
    expect(await statusCommand(staging, {}, fake.side)).to.deep.equal({
      ok: false,
      report: true,
      code: "environment-down",
      text: [
        "staging",
        "  serving   DOWN",
        `            ${note}`,
        "  live      0123456789ab (#7 deploy, 2026-11-29T01:02:45Z, by alice@laptop)",
        "  previous  none",
        "  lock      held by alice@laptop (pid 4242) since 2026-11-29T01:02:03Z: deploying 0123456789ab",
        "  containers  none",
      ].join("\n"),
    })
    expect(await statusCommand(staging, { json: true }, fake.side)).to.deep.equal({
      ok: false,
      json: true,
      code: "environment-down",
      text: JSON.stringify(down, null, 2),
    })
  })

  it("status, history and lock status as text", async () => {
    const fake = fakeSide()
    expect(await statusCommand(staging, {}, fake.side)).to.deep.equal({
      ok: true,
      text: [
        "staging",
        "  serving   up: 0123456789ab 1.4.2",
        "  live      0123456789ab (#7 deploy, 2026-11-29T01:02:45Z, by alice@laptop)",
        "  previous  none",
        "  lock      held by alice@laptop (pid 4242) since 2026-11-29T01:02:03Z: deploying 0123456789ab",
        "  containers  none",
      ].join("\n"),
    })
    expect(await historyCommand(staging, { limit: 5 }, fake.side)).to.deep.equal({
      ok: true,
      text: [
        "id  action  result     digest        started               took   by            approval              backup  error",
        "#7  deploy  succeeded  0123456789ab  2026-11-29T01:02:03Z  42.3s  alice@laptop  staging@0123456789ab",
      ].join("\n"),
    })
    expect(await lockStatusCommand(staging, {}, fake.side)).to.deep.equal({
      ok: true,
      text: "lock      held by alice@laptop (pid 4242) since 2026-11-29T01:02:03Z: deploying 0123456789ab",
    })
    expect(fake.calls.map((c) => c.args.slice(1))).to.deep.equal([["deps"], ["deps", 5], ["deps"]])
    await historyCommand(staging, {}, fake.side)
    expect(fake.calls.at(-1)!.args[2]).to.equal(20)
  })

  it("lock release: the release record as JSON, with the reason and force it was given", async () => {
    const fake = fakeSide()
    expect(await lockReleaseCommand(staging, {}, fake.side)).to.deep.equal({
      ok: true,
      json: true,
      text: JSON.stringify(RELEASED, null, 2),
    })
    await lockReleaseCommand(staging, { force: true, reason: "deployer crashed" }, fake.side)
    expect(fake.calls.map((c) => c.args[2])).to.deep.equal([
      { reason: "released by hand", terminate: false },
      { reason: "deployer crashed", terminate: true },
    ])
  })

  it("a typed failure is a coded outcome with its message; its cause shows only in debug", async () => {
    const refused = new DeployError(
      "preflight",
      "the Docker host at ssh://deploy@staging.example.com did not answer; check the host and deploy.docker_host",
      { cause: new Error("ssh: connect to host staging.example.com port 22: Connection refused") },
    )
    expect(await rollbackCommand(staging, { requestedBy: "a" }, fakeSide({ fails: refused }).side)).to.deep.equal({
      ok: false,
      code: "preflight",
      text: "the Docker host at ssh://deploy@staging.example.com did not answer; check the host and deploy.docker_host",
    })
    expect(await statusCommand(staging, {}, fakeSide({ fails: refused, debug: true }).side)).to.deep.equal({
      ok: false,
      code: "preflight",
      text: "the Docker host at ssh://deploy@staging.example.com did not answer; check the host and deploy.docker_host\ncause: Error: ssh: connect to host staging.example.com port 22: Connection refused",
    })
    const held = new LockHeldError(
      "staging",
      LOCK,
      "staging is locked by alice@laptop (pid 4242); wait, or pass --lock-wait SECONDS",
    )
    expect(await lockReleaseCommand(staging, {}, fakeSide({ fails: held }).side)).to.deep.equal({
      ok: false,
      code: "lock-held",
      text: "staging is locked by alice@laptop (pid 4242); wait, or pass --lock-wait SECONDS",
    })
  })

  it("anything else is a bug, and propagates", async () => {
    const bug = new TypeError("cannot read properties of undefined")
    let thrown: unknown
    await scaleCommand(staging, { service: "web", replicas: 2, requestedBy: "a" }, fakeSide({ fails: bug }).side).catch(
      (error: unknown) => (thrown = error),
    )
    expect(thrown).to.equal(bug)
  })
})
