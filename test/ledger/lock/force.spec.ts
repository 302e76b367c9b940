/** Operator release: refused without --force, recorded with it, and a stale row just cleared. */
import { expect } from "chai"
import type pg from "pg"
import { Ledger } from "../../../core/ledger/ledger.js"
import { LockForceRequiredError } from "../../../core/ledger/lock/errors.js"
import { readLockEvents } from "../../../core/ledger/lock/events.js"
import { DeployLock } from "../../../core/ledger/lock/lock.js"
import { migrateLedger } from "../../../core/ledger/migrate.js"
import { dateAt } from "../../../core/time/clock.js"
import { type ScratchDatabase, createScratchDatabase, manualClock } from "../../helpers/postgres.js"
import { ALICE, BOB, SCHEMA, startInput } from "../records.js"

const OPERATOR = { who: "ops", host: "bastion", pid: 1 }

describe("ledger/lock/force", () => {
  let db: ScratchDatabase
  let client: pg.Client
  const clock = manualClock("2024-05-01T12:03:04Z")
  let lock: DeployLock
  let ledger: Ledger

  before(async () => {
    db = await createScratchDatabase("force")
    client = await db.connect()
    await migrateLedger(client, SCHEMA)
    lock = new DeployLock({ connect: () => db.connect(), schema: SCHEMA, clock, sleep: clock.sleep })
    ledger = new Ledger(client, SCHEMA, clock)
  })
  after(async () => db.drop())

  it("does nothing on a free lock", async () => {
    expect(await lock.forceRelease("free", { actor: OPERATOR, reason: "checking", terminate: true })).to.deep.equal({
      before: null,
      event: null,
      terminatedBackendPid: null,
      aborted: [],
    })
    expect(await readLockEvents(client, SCHEMA, "free")).to.deep.equal([])
  })

  it("refuses to end a live holder's session without the explicit flag", async () => {
    const handle = await lock.acquire("held", ALICE, "deploying sha256:abc…", { waitMs: 0, pollMs: 10 })
    const error = await lock.forceRelease("held", { actor: OPERATOR, reason: "stuck", terminate: false }).then(
      () => null,
      (e: unknown) => e,
    )
    expect(error).to.be.instanceOf(LockForceRequiredError)
    expect((error as Error).message).to.equal(
      `held is locked by alice@laptop (pid 4242) since 12:03:04 UTC: deploying sha256:abc…. Releasing it ends that Postgres session (backend pid ${handle.session.backendPid}) ` +
        "and aborts whatever it is doing; to do that, run: deploy-pipeline lock release --env held --force --reason TEXT",
    )
    expect(await lock.status("held")).to.deep.include({ state: "held" })
    expect(handle.lost()).to.equal(null)
    await handle.release()
  })

  it("with the flag, ends the holder's session, records who and why, and aborts its deploy", async () => {
    const handle = await lock.acquire("stuck", ALICE, "deploying sha256:abc…", { waitMs: 0, pollMs: 10 })
    const id = await ledger.start(startInput("stuck", "a", handle.session))
    const result = await lock.forceRelease("stuck", {
      actor: OPERATOR,
      reason: "alice's laptop is off the network",
      terminate: true,
    })
    expect([
      result.event,
      result.terminatedBackendPid,
      result.before?.state,
      result.aborted.map((r) => [r.id, r.result]),
    ]).to.deep.equal(["force_released", handle.session.backendPid, "held", [[id, "aborted"]]])
    expect(await readLockEvents(client, SCHEMA, "stuck")).to.deep.equal([
      {
        id: 1,
        env: "stuck",
        event: "force_released",
        at: dateAt(clock),
        actor: OPERATOR,
        reason: "alice's laptop is off the network",
        holder: {
          state: "held",
          row: {
            env: "stuck",
            owner: ALICE,
            since: "2024-05-01T12:03:04.000Z",
            message: "deploying sha256:abc…",
            session: { backendPid: handle.session.backendPid, backendStart: handle.session.backendStart.toISOString() },
          },
        },
        terminatedBackendPid: handle.session.backendPid,
      },
    ])
    expect(await lock.status("stuck")).to.equal(null)
    const next = await lock.acquire("stuck", BOB, "retrying", { waitMs: 0, pollMs: 10 })
    for (let i = 0; i < 100 && handle.lost() === null; i++) await new Promise((resolve) => setTimeout(resolve, 10))
    expect(handle.lost()?.message).to.equal("terminating connection due to administrator command")
    await Promise.all([next.release(), handle.release()])
  })

  it("clears a stale row without terminating anything", async () => {
    const handle = await lock.acquire("crashed", ALICE, "deploying", { waitMs: 0, pollMs: 10 })
    await client.query("SELECT pg_terminate_backend($1)", [handle.session.backendPid])
    for (let i = 0; i < 100 && (await lock.status("crashed"))?.state !== "stale"; i++)
      await new Promise((resolve) => setTimeout(resolve, 10))
    const result = await lock.forceRelease("crashed", { actor: OPERATOR, reason: "tidy up", terminate: false })
    expect([result.event, result.terminatedBackendPid, result.before?.state]).to.deep.equal([
      "cleared_stale",
      null,
      "stale",
    ])
    expect(
      (await readLockEvents(client, SCHEMA, "crashed")).map((e) => [e.event, e.reason, e.terminatedBackendPid]),
    ).to.deep.equal([["cleared_stale", "tidy up", null]])
    expect(await lock.status("crashed")).to.equal(null)
    await handle.release()
  })
})
