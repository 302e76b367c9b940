/** The ledger on a real Postgres: exact records, phases, current/previousStable (rollback of a rollback), abortStale. */
import { expect } from "chai"
import type pg from "pg"
import { RecordNotFoundError, RecordNotInProgressError } from "../../core/ledger/errors.js"
import { Ledger } from "../../core/ledger/ledger.js"
import { DeployLock } from "../../core/ledger/lock/lock.js"
import { migrateLedger } from "../../core/ledger/migrate.js"
import { dateAt } from "../../core/time/clock.js"
import type { DeployRecord, LockSession } from "../../core/ledger/record.js"
import { type ScratchDatabase, createScratchDatabase, manualClock } from "../helpers/postgres.js"
import { ALICE, BOB, SCHEMA, digest, sessionOf, startInput } from "./records.js"

describe("ledger/ledger", () => {
  let db: ScratchDatabase
  let client: pg.Client
  let session: LockSession
  const clock = manualClock("2024-05-01T12:00:00.000Z")
  let ledger: Ledger

  before(async () => {
    db = await createScratchDatabase("ledger")
    client = await db.connect()
    await migrateLedger(client, SCHEMA)
    session = await sessionOf(client)
    ledger = new Ledger(client, SCHEMA, clock)
  })
  after(async () => db.drop())

  /** A finished release: start then finish at once. */
  async function release(
    env: string,
    digestChar: string,
    result: "succeeded" | "failed" | "rolled_back",
    overrides = {},
  ): Promise<number> {
    const id = await ledger.start(startInput(env, digestChar, session, overrides))
    await ledger.finish(id, result)
    return id
  }

  async function digests(records: Promise<DeployRecord | null>): Promise<string | null> {
    return (await records)?.image.digest ?? null
  }

  it("records a start exactly as given", async () => {
    const id = await ledger.start(
      startInput("rec", "a", session, { approval: "rec@aaaaaaaaaaaa", previousDigest: digest("9") }),
    )
    expect(await ledger.get(id)).to.deep.equal({
      id,
      env: "rec",
      action: "deploy",
      requestedBy: "alice",
      approval: "rec@aaaaaaaaaaaa",
      image: { ref: `registry.example.com/acme/webapp@${digest("a")}`, digest: digest("a") },
      commit: "0123456789abcdef0123456789abcdef01234567",
      configHash: "c0ffee",
      previousDigest: digest("9"),
      colorFrom: "blue",
      colorTo: "green",
      migrations: [],
      unsafeOverride: null,
      backup: null,
      phases: [],
      startedAt: dateAt(clock),
      switchedAt: null,
      finishedAt: null,
      durationMs: null,
      result: "started",
      error: null,
      rolledBackFrom: null,
      owner: ALICE,
      lock: session,
    })
  })

  it("appends phases, amends fields and finishes with a duration from the clock", async () => {
    const started = dateAt(clock)
    const id = await ledger.start(startInput("phases", "b", session))
    clock.advance(1500)
    await ledger.phase(id, "backup", started, "production-20240501T120000Z-0123456789ab")
    const migrateStart = dateAt(clock)
    clock.advance(250)
    await ledger.phase(id, "migrate", migrateStart)
    await ledger.amend(id, {
      backup: {
        id: "production-20240501T120000Z-0123456789ab",
        location: "/var/backups/x.dump",
        sha256: "0".repeat(64),
      },
      migrations: [{ app: "shop", name: "0002_order_note" }],
    })
    clock.advance(250)
    const switched = dateAt(clock)
    const record = await ledger.finish(id, "succeeded", { switchedAt: switched, unsafeOverride: "reviewed by dba" })
    expect(record.phases).to.deep.equal([
      { step: "backup", startedAt: started, ms: 1500, detail: "production-20240501T120000Z-0123456789ab" },
      { step: "migrate", startedAt: migrateStart, ms: 250, detail: null },
    ])
    expect(record.backup).to.deep.equal({
      id: "production-20240501T120000Z-0123456789ab",
      location: "/var/backups/x.dump",
      sha256: "0".repeat(64),
    })
    expect(record.migrations).to.deep.equal([{ app: "shop", name: "0002_order_note" }])
    expect([
      record.result,
      record.switchedAt,
      record.finishedAt,
      record.durationMs,
      record.unsafeOverride,
    ]).to.deep.equal(["succeeded", switched, switched, 2000, "reviewed by dba"])
  })

  it("changes a record only while it is started", async () => {
    const id = await release("done", "c", "failed")
    const error = await ledger.finish(id, "succeeded").then(
      () => null,
      (e: unknown) => e,
    )
    expect(error).to.be.instanceOf(RecordNotInProgressError)
    expect((error as Error).message).to.equal(
      `deploy #${id} is no longer in progress (its result is failed); a record changes only while it is started`,
    )
    const phaseError = await ledger.phase(id, "late", dateAt(clock)).then(
      () => null,
      (e: unknown) => e,
    )
    expect((phaseError as Error).message).to.equal(
      `deploy #${id} is no longer in progress (its result is failed); a record changes only while it is started`,
    )
    const missing = await ledger.get(999_999).then(
      () => null,
      (e: unknown) => e,
    )
    expect(missing).to.be.instanceOf(RecordNotFoundError)
    expect((missing as Error).message).to.equal("there is no deploy #999999 in the ledger")
  })

  it("refuses an image that is not pinned by digest", async () => {
    const input = startInput("tags", "d", session)
    const error = await ledger.start({ ...input, image: { ref: "webapp:latest", digest: "latest" } }).then(
      () => null,
      (e: unknown) => e,
    )
    expect((error as Error).message).to.equal(
      'new row for relation "deploys" violates check constraint "deploys_image_digest_check"',
    )
  })

  it("lists an environment's history newest first, limited, without other environments", async () => {
    const first = await release("hist", "1", "succeeded")
    await release("hist-other", "2", "succeeded")
    const second = await release("hist", "3", "failed")
    const third = await release("hist", "4", "succeeded", { action: "scale" })
    expect((await ledger.history("hist", 10)).map((r) => [r.id, r.action, r.result])).to.deep.equal([
      [third, "scale", "succeeded"],
      [second, "deploy", "failed"],
      [first, "deploy", "succeeded"],
    ])
    expect((await ledger.history("hist", 2)).map((r) => r.id)).to.deep.equal([third, second])
  })

  describe("current and previousStable", () => {
    it("are null on an empty ledger, and previousStable is null with one release", async () => {
      expect([await ledger.current("empty"), await ledger.previousStable("empty")]).to.deep.equal([null, null])
      await release("one", "a", "succeeded")
      expect([await digests(ledger.current("one")), await ledger.previousStable("one")]).to.deep.equal([
        digest("a"),
        null,
      ])
    })

    it("skip failed, rolled-back and scale records", async () => {
      await release("skip", "a", "succeeded")
      await release("skip", "b", "succeeded")
      await release("skip", "c", "failed")
      await release("skip", "d", "rolled_back")
      await release("skip", "e", "succeeded", { action: "scale" })
      expect([await digests(ledger.current("skip")), await digests(ledger.previousStable("skip"))]).to.deep.equal([
        digest("b"),
        digest("a"),
      ])
    })

    it("skip a redeploy of the current digest", async () => {
      await release("again", "a", "succeeded")
      await release("again", "b", "succeeded")
      await release("again", "b", "succeeded")
      expect([await digests(ledger.current("again")), await digests(ledger.previousStable("again"))]).to.deep.equal([
        digest("b"),
        digest("a"),
      ])
    })

    it("make a rollback of a rollback return to where it started", async () => {
      await release("flip", "a", "succeeded")
      const b = await release("flip", "b", "succeeded")
      const back = await release("flip", "a", "succeeded", { action: "rollback", rolledBackFrom: b })
      expect([await digests(ledger.current("flip")), await digests(ledger.previousStable("flip"))]).to.deep.equal([
        digest("a"),
        digest("b"),
      ])
      await release("flip", "b", "succeeded", { action: "rollback", rolledBackFrom: back })
      expect([await digests(ledger.current("flip")), await digests(ledger.previousStable("flip"))]).to.deep.equal([
        digest("b"),
        digest("a"),
      ])
      expect((await ledger.history("flip", 1))[0]?.rolledBackFrom).to.equal(back)
    })
  })

  describe("lastRelease and backupTakenBy", () => {
    it("lastRelease is the newest successful deploy or rollback of a digest, never a scale, a restore or a failure", async () => {
      const deployed = await release("last", "a", "succeeded")
      await release("last", "a", "failed")
      await release("last", "a", "succeeded", { action: "scale", image: { ref: digest("a"), digest: digest("a") } })
      await release("last", "a", "succeeded", { action: "restore" })
      expect((await ledger.lastRelease("last", digest("a")))?.id).to.equal(deployed)
      expect((await ledger.lastRelease("last", digest("a")))?.image.ref).to.equal(
        `registry.example.com/acme/webapp@${digest("a")}`,
      )
      expect(await ledger.lastRelease("last", digest("b"))).to.equal(null)
    })

    it("backupTakenBy is the deploy row that took the backup, not a restore that names it", async () => {
      const backup = { id: "production-20240501T120000Z-aaaaaaaaaaaa", location: "/b/x.dump", sha256: "a".repeat(64) }
      const deployed = await ledger.start(startInput("taken", "a", session))
      await ledger.finish(deployed, "succeeded", { backup })
      const restored = await ledger.start(startInput("taken", "a", session, { action: "restore" }))
      await ledger.finish(restored, "succeeded", { backup })
      expect((await ledger.get(restored)).backup).to.deep.equal(backup)
      expect((await ledger.backupTakenBy("taken", backup.id))?.id).to.equal(deployed)
      expect(await ledger.backupTakenBy("taken", "production-20240501T120000Z-bbbbbbbbbbbb")).to.equal(null)
    })
  })

  describe("abortStale", () => {
    it("aborts started records whose lock session is gone, and leaves the live one alone", async () => {
      const connect = () => db.connect()
      const lock = new DeployLock({ connect, schema: SCHEMA, clock })
      const dead = await lock.acquire("stale", BOB, "deploying", { waitMs: 0, pollMs: 10 })
      const deadId = await ledger.start(startInput("stale", "a", dead.session, { owner: BOB }))
      await dead.release()
      const live = await lock.acquire("stale", ALICE, "deploying", { waitMs: 0, pollMs: 10 })
      const liveId = await ledger.start(startInput("stale", "b", live.session))
      clock.advance(60_000)
      const aborted = await ledger.abortStale("stale")
      expect(aborted.map((r) => [r.id, r.result, r.error, r.durationMs])).to.deep.equal([
        [
          deadId,
          "aborted",
          `the deployer bob@ci-runner-7 (pid 77) lost its lock session (backend pid ${dead.session.backendPid}) before finishing`,
          60_000,
        ],
      ])
      expect((await ledger.get(liveId)).result).to.equal("started")
      expect(await ledger.abortStale("stale")).to.deep.equal([])
      await live.release()
    })

    it("treats a record written without holding the lock as stale", async () => {
      const id = await ledger.start(startInput("unlocked", "a", session))
      expect((await ledger.abortStale("unlocked")).map((r) => r.id)).to.deep.equal([id])
    })
  })
})
