/** Scratch copies of a target schema on a real server: created with pg_dump, always dropped. */
import { expect } from "chai"
import { SCRATCH_PREFIX, createScratchCopy } from "../../../src/migrations/trace/scratch.js"
import { connect } from "../../../src/migrations/pg-client.js"
import { type TestDatabase, createTestDatabase, databasesLike } from "../helpers/pg.js"

describe("migrations/trace/scratch (real PostgreSQL)", () => {
  let target: TestDatabase
  before(async () => {
    target = await createTestDatabase("CREATE TABLE t (id bigint PRIMARY KEY, name varchar(20) NOT NULL); INSERT INTO t VALUES (1, 'a')")
  })
  after(() => target.drop())
  const prefix = () => `${SCRATCH_PREFIX}${target.name.slice(0, 20)}`

  it("copies the schema (not the data) into a new database next to the target, and drops it", async () => {
    const scratch = await createScratchCopy(target.url)
    try {
      expect(scratch.name.startsWith(prefix())).to.equal(true)
      const db = await connect(scratch.url)
      try {
        expect((await db.query("SELECT format_type(atttypid, atttypmod) AS type FROM pg_attribute WHERE attrelid = 'public.t'::regclass AND attnum > 0 ORDER BY attnum")).rows).to.deep.equal([{ type: "bigint" }, { type: "character varying(20)" }])
        expect((await db.query("SELECT count(*)::int AS n FROM public.t")).rows).to.deep.equal([{ n: 0 }])
      } finally {
        await db.end()
      }
    } finally {
      await scratch.drop()
    }
    expect(await databasesLike(prefix())).to.deep.equal([])
  })

  it("drops the scratch database when the schema does not load, and says so", async () => {
    const error = await createScratchCopy(target.url, async () => "CREATE TABLE broken (;").catch((e: unknown) => e as Error)
    expect((error as Error).message).to.equal('could not load the target\'s schema into a scratch database: syntax error at or near ";"')
    expect(await databasesLike(prefix())).to.deep.equal([])
  })
})
