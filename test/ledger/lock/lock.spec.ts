/** The deploy lock on a real Postgres: one winner, waiting, naming the holder, lost and stale locks. */
import { expect } from "chai"
import type pg from "pg"
import { deployLockKey } from "../../../core/ledger/keys.js"
import { LockHeldError, LockLostError } from "../../../core/ledger/lock/errors.js"
import { DeployLock } from "../../../core/ledger/lock/lock.js"
import type { LockHandle } from "../../../core/ledger/lock/types.js"
import { migrateLedger } from "../../../core/ledger/migrate.js"
import { dateAt } from "../../../core/time/clock.js"
import { type ScratchDatabase, createScratchDatabase, manualClock } from "../../helpers/postgres.js"
import { ALICE, BOB, SCHEMA } from "../records.js"

const HELD_BY_ALICE =
  "staging is locked by alice@laptop (pid 4242) since 12:03:04 UTC: deploying sha256:abc…; wait with --lock-wait SECONDS or ask them"

describe("ledger/lock/lock", () => {
  let db: ScratchDatabase
  let admin: pg.Client
  const handles: LockHandle[] = []

  before(async () => {
    db = await createScratchDatabase("lock")
    admin = await db.connect()
    await migrateLedger(admin, SCHEMA)
  })
  afterEach(async () => {
    await Promise.all(handles.splice(0).map((handle) => handle.release()))
  })
  after(async () => db.drop())

  function lockAt(time: string) {
    const clock = manualClock(time)
    return { clock, lock: new DeployLock({ connect: () => db.connect(), schema: SCHEMA, clock, sleep: clock.sleep }) }
  }

  async function take(
    lock: DeployLock,
    env: string,
    owner = ALICE,
    message = "deploying sha256:abc…",
    waitMs = 0,
  ): Promise<LockHandle> {
    const handle = await lock.acquire(env, owner, message, { waitMs, pollMs: 25 })
    handles.push(handle)
    return handle
  }

  async function rejection(promise: Promise<unknown>): Promise<Error> {
    return promise.then(
      () => expect.fail("expected a rejection"),
      (error: Error) => error,
    )
  }

  it("shows the holder in status, and nothing once released (release is idempotent)", async () => {
    const { lock } = lockAt("2024-05-01T12:03:04Z")
    const handle = await take(lock, "staging")
    expect(await lock.status("staging")).to.deep.equal({
      state: "held",
      row: {
        env: "staging",
        owner: ALICE,
        since: new Date("2024-05-01T12:03:04Z"),
        message: "deploying sha256:abc…",
        session: handle.session,
      },
    })
    await Promise.all([handle.release(), handle.release()])
    await handle.release()
    expect(await lock.status("staging")).to.equal(null)
    expect(handle.lost()).to.equal(null)
    expect(() => handle.assertHeld()).to.throw(
      LockLostError,
      "the staging deploy lock was lost: its Postgres connection closed (released by this process); stop before changing anything else",
    )
  })

  it("lets exactly one of two concurrent acquires proceed; the other names it", async () => {
    const { lock } = lockAt("2024-05-01T12:03:04Z")
    const results = await Promise.allSettled([take(lock, "staging", ALICE), take(lock, "staging", BOB)])
    const won = results.flatMap((r, i) => (r.status === "fulfilled" ? [i] : []))
    const lost = results.flatMap((r) => (r.status === "rejected" ? [r.reason as Error] : []))
    expect(won).to.have.length(1)
    expect(lost).to.have.length(1)
    const winner = won[0] === 0 ? "alice@laptop (pid 4242)" : "bob@ci-runner-7 (pid 77)"
    expect(lost[0]).to.be.instanceOf(LockHeldError)
    expect(lost[0]?.message).to.equal(
      `staging is locked by ${winner} since 12:03:04 UTC: deploying sha256:abc…; wait with --lock-wait SECONDS or ask them`,
    )
  })

  it("makes a waiter fail after waitMs, naming the holder", async () => {
    await take(lockAt("2024-05-01T12:03:04Z").lock, "staging")
    const waiter = lockAt("2024-05-01T12:05:00Z")
    const error = await rejection(waiter.lock.acquire("staging", BOB, "deploying", { waitMs: 100, pollMs: 25 }))
    expect(error).to.be.instanceOf(LockHeldError)
    expect(error.message).to.equal(HELD_BY_ALICE)
    expect((error as LockHeldError).status.state).to.equal("held")
    expect(dateAt(waiter.clock).toISOString()).to.equal("2024-05-01T12:05:00.100Z")
  })

  it("makes a waiter proceed when the holder releases within waitMs", async () => {
    const holder = await take(lockAt("2024-05-01T12:03:04Z").lock, "staging")
    const events: string[] = []
    const waiter = lockAt("2024-05-01T12:05:00Z")
    const waiting = take(waiter.lock, "staging", BOB, "deploying", 5000).then((handle) => {
      events.push("waiter acquired")
      return handle
    })
    await new Promise((resolve) => setTimeout(resolve, 200))
    events.push("holder releasing")
    await holder.release()
    const handle = await waiting
    expect(events).to.deep.equal(["holder releasing", "waiter acquired"])
    expect(await waiter.lock.status("staging")).to.deep.include({ state: "held" })
    expect(((await waiter.lock.status("staging")) as { row: { owner: unknown } }).row.owner).to.deep.equal(BOB)
    expect(handle.session.backendPid).to.not.equal(holder.session.backendPid)
  })

  it("keeps environments apart", async () => {
    const { lock } = lockAt("2024-05-01T12:03:04Z")
    const staging = await take(lock, "staging")
    const production = await take(lock, "production", BOB)
    expect([staging.env, production.env]).to.deep.equal(["staging", "production"])
  })

  it("reports a lock whose session was ended as lost to its holder, and its row as stale", async () => {
    const { lock } = lockAt("2024-05-01T12:03:04Z")
    const handle = await take(lock, "staging")
    await admin.query("SELECT pg_terminate_backend($1)", [handle.session.backendPid])
    for (let i = 0; i < 100 && handle.lost() === null; i++) await new Promise((resolve) => setTimeout(resolve, 10))
    expect(handle.lost()?.message).to.equal("terminating connection due to administrator command")
    expect(() => handle.assertHeld()).to.throw(
      LockLostError,
      "the staging deploy lock was lost: its Postgres connection closed (terminating connection due to administrator command); stop before changing anything else",
    )
    expect(await lock.status("staging")).to.deep.equal({
      state: "stale",
      row: {
        env: "staging",
        owner: ALICE,
        since: new Date("2024-05-01T12:03:04Z"),
        message: "deploying sha256:abc…",
        session: handle.session,
      },
    })
    const next = await take(lock, "staging", BOB, "after the crash")
    expect(next.owner).to.deep.equal(BOB)
  })

  it("names a session that took the advisory lock without writing a row", async () => {
    const { lock } = lockAt("2024-05-01T12:03:04Z")
    const rogue = await db.connect()
    await rogue.query("SELECT pg_advisory_lock($1, $2)", [...deployLockKey(SCHEMA, "testing")])
    const { rows } = await rogue.query<{ pid: number }>("SELECT pg_backend_pid() AS pid")
    const pid = rows[0]?.pid
    expect(await lock.status("testing")).to.deep.equal({ state: "unrecorded", env: "testing", backendPid: pid })
    const error = await rejection(lock.acquire("testing", ALICE, "deploying", { waitMs: 0, pollMs: 10 }))
    expect(error.message).to.equal(
      `testing is locked by Postgres backend pid ${pid} that wrote no lock row (not a deploy-pipeline deployer); wait with --lock-wait SECONDS or ask them`,
    )
    await rogue.end()
  })
})
