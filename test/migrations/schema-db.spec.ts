/** Reading the schema from a live database gives what reading its pg_dump gives, plus sizes, facts and version. */
import { expect } from "chai"
import { blankMetaCommands } from "../../core/migrations/parse.js"
import { schemaFromDatabase } from "../../core/migrations/schema-db.js"
import { fixtureSchema, schemaFixtureText } from "./helpers/corpus.js"
import { type TestDatabase, createTestDatabase } from "./helpers/pg.js"

const comparable = (s: Awaited<ReturnType<typeof fixtureSchema>>) => ({
  tables: [...s.tables].map(([k, t]) => [k, [...t.columns]]).sort(),
  indexes: [...s.indexes].sort(),
  checks: [...s.checks].sort(),
})

describe("migrations/schema-db", () => {
  let target: TestDatabase
  before(async () => {
    target = await createTestDatabase(blankMetaCommands(schemaFixtureText()))
    await target.db.query(
      "INSERT INTO library_author (name, email, bio) SELECT 'a' || g, 'a@x', '' FROM generate_series(1, 500) g; ANALYZE library_author",
    )
  })
  after(() => target.drop())

  it("reads the same columns, indexes and checks as the pg_dump of the same schema", async () => {
    const live = await schemaFromDatabase(target.db)
    expect(comparable(live)).to.deep.equal(comparable(await fixtureSchema()))
  })

  it("reads the server version, table sizes and function volatility", async () => {
    const live = await schemaFromDatabase(target.db)
    const [row] = (
      await target.db.query<{ v: string; bytes: string }>(
        "SELECT current_setting('server_version_num') AS v, pg_total_relation_size('library_author')::text AS bytes",
      )
    ).rows
    expect(live.version).to.deep.equal({ major: Math.floor(Number(row?.v) / 10000), minor: Number(row?.v) % 10000 })
    expect(live.tables.get("public.library_author")?.rows).to.equal(500)
    expect(live.tables.get("public.library_author")?.bytes).to.equal(Number(row?.bytes))
    expect([
      live.functions?.volatile.has("clock_timestamp"),
      live.functions?.volatile.has("now"),
      live.functions?.known.has("now"),
    ]).to.deep.equal([true, false, true])
  })
})
