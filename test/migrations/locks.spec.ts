/** The static lock model, per statement, as pg_locks names the modes (the tracer tests check it on a real server). */
import { expect } from "chai"
import { statementLocks } from "../../core/migrations/locks.js"
import { parseFile } from "../../core/migrations/parse.js"
import { DEFAULT_PG_VERSION, type PgVersion } from "../../core/migrations/pg-version.js"
import type { Schema } from "../../core/migrations/schema.js"
import { fixtureSchema } from "./helpers/corpus.js"

describe("migrations/locks", () => {
  let schema: Schema
  before(async () => {
    schema = await fixtureSchema()
  })
  const locksOf = async (sql: string, version: PgVersion = DEFAULT_PG_VERSION) => {
    const parsed = await parseFile({ path: "l.sql", content: sql })
    return statementLocks(parsed.statements[0]!.node, version, schema).map((l) => `${l.mode} ${l.relation}`)
  }

  const cases: [string, string[]][] = [
    ["CREATE INDEX i ON library_book (pages)", ["ShareLock public.library_book"]],
    ["CREATE INDEX CONCURRENTLY i ON library_book (pages)", ["ShareUpdateExclusiveLock public.library_book"]],
    [
      "DROP INDEX library_book_title_idx",
      ["AccessExclusiveLock public.library_book", "AccessExclusiveLock public.library_book_title_idx"],
    ],
    [
      "DROP INDEX CONCURRENTLY library_book_title_idx",
      ["ShareUpdateExclusiveLock public.library_book", "ShareUpdateExclusiveLock public.library_book_title_idx"],
    ],
    [
      "REINDEX INDEX library_book_title_idx",
      ["ShareLock public.library_book", "AccessExclusiveLock public.library_book_title_idx"],
    ],
    [
      "ALTER TABLE library_review ADD CONSTRAINT fk FOREIGN KEY (editor_id) REFERENCES library_author (id) NOT VALID",
      ["ShareRowExclusiveLock public.library_review", "ShareRowExclusiveLock public.library_author"],
    ],
    [
      "ALTER TABLE library_book ADD COLUMN a_id bigint REFERENCES library_author (id)",
      ["AccessExclusiveLock public.library_book", "ShareRowExclusiveLock public.library_author"],
    ],
    ["ALTER TABLE library_review VALIDATE CONSTRAINT fk", ["ShareUpdateExclusiveLock public.library_review"]],
    [
      "ALTER TABLE library_book SET (fillfactor = 80, autovacuum_enabled = off)",
      ["ShareUpdateExclusiveLock public.library_book"],
    ],
    ["ALTER TABLE library_book SET (user_catalog_table = true)", ["AccessExclusiveLock public.library_book"]],
    [
      "ALTER TABLE library_book ALTER COLUMN pages SET STATISTICS 500, ALTER COLUMN title SET NOT NULL",
      ["AccessExclusiveLock public.library_book"],
    ],
    ["ALTER INDEX library_book_title_idx RENAME TO x", ["ShareUpdateExclusiveLock public.library_book_title_idx"]],
    [
      "ALTER TABLE events DETACH PARTITION events_2023",
      ["AccessExclusiveLock public.events", "AccessExclusiveLock public.events_2023"],
    ],
    [
      "ALTER TABLE events ATTACH PARTITION events_2023 FOR VALUES FROM ('2023-01-01') TO ('2024-01-01')",
      ["ShareUpdateExclusiveLock public.events", "AccessExclusiveLock public.events_2023"],
    ],
    [
      "CREATE TRIGGER t BEFORE INSERT ON library_book FOR EACH ROW EXECUTE FUNCTION f()",
      ["ShareRowExclusiveLock public.library_book"],
    ],
    [
      "CREATE TABLE x (id bigint, b_id bigint REFERENCES library_book (id))",
      ["ShareRowExclusiveLock public.library_book"],
    ],
    ["REFRESH MATERIALIZED VIEW CONCURRENTLY library_stats", ["ExclusiveLock public.library_stats"]],
    ["UPDATE library_book SET pages = 0", ["RowExclusiveLock public.library_book"]],
    ["LOCK TABLE library_book IN SHARE MODE", ["ShareLock public.library_book"]],
    ["VACUUM library_book", ["ShareUpdateExclusiveLock public.library_book"]],
    ["VACUUM (FULL FALSE) library_book", ["ShareUpdateExclusiveLock public.library_book"]],
    ["VACUUM (FULL) library_book", ["AccessExclusiveLock public.library_book"]],
    ["LOCK library_book", ["AccessExclusiveLock public.library_book"]],
    ["ALTER DOMAIN shop_quantity ADD CONSTRAINT positive CHECK (VALUE > 0)", ["ShareLock public.shop_orderline"]],
    ["ALTER DOMAIN public.shop_quantity ADD CONSTRAINT positive CHECK (VALUE > 0) NOT VALID", []],
    ["ALTER DOMAIN shop_quantity SET NOT NULL", ["ShareLock public.shop_orderline"]],
    ["ALTER DOMAIN shop_quantity VALIDATE CONSTRAINT positive", ["ShareLock public.shop_orderline"]],
    ["ALTER DOMAIN shop_quantity DROP NOT NULL", []],
  ]
  for (const [sql, expected] of cases) it(sql, async () => expect(await locksOf(sql)).to.deep.equal(expected))

  it("follows the target version: ATTACH PARTITION took AccessExclusiveLock before 12", async () => {
    expect(
      await locksOf(
        "ALTER TABLE events ATTACH PARTITION events_2023 FOR VALUES FROM ('2023-01-01') TO ('2024-01-01')",
        { major: 11, minor: 0 },
      ),
    ).to.deep.equal(["AccessExclusiveLock public.events", "AccessExclusiveLock public.events_2023"])
    expect(await locksOf("ALTER INDEX library_book_title_idx RENAME TO x", { major: 11, minor: 0 })).to.deep.equal([
      "AccessExclusiveLock public.library_book_title_idx",
    ])
  })
})
