/**
 * The tracer on a real PostgreSQL: what it records must be what pg_locks and pg_class.relfilenode
 * show when the same statement runs in a transaction we observe ourselves, and the traced database
 * must be left exactly as it was (same catalog snapshot before and after).
 */
import { expect } from "chai"
import { type LockMode, strength } from "../../../core/migrations/locks.js"
import { blankMetaCommands } from "../../../core/migrations/parse.js"
import type { Queryable } from "../../../core/migrations/pg-client.js"
import { schemaFromDatabase } from "../../../core/migrations/schema-db.js"
import { catalogSnapshot } from "../../../core/migrations/trace/catalog.js"
import { estimateMs } from "../../../core/migrations/trace/estimate.js"
import { type TraceResult, traceMigrations } from "../../../core/migrations/trace/tracer.js"
import { schemaFixtureText } from "../helpers/corpus.js"
import { type TestDatabase, createTestDatabase } from "../helpers/pg.js"
import { LIBRARY_ROWS } from "../helpers/rows.js"

/** Runs `sql` in a transaction we roll back, reading pg_locks and relfilenodes ourselves, by relation name. */
async function observeDirectly(db: Queryable, sql: string): Promise<{ locks: string[]; rewrites: string[] }> {
  const filenodes = async () =>
    new Map(
      (
        await db.query<{ name: string; f: string }>(
          "SELECT c.relname AS name, pg_relation_filenode(c.oid)::text AS f FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public'",
        )
      ).rows.map((r) => [r.name, r.f]),
    )
  const locks = async () =>
    (
      await db.query<{ l: string }>(
        "SELECT c.relname || ' ' || l.mode AS l FROM pg_locks l JOIN pg_class c ON c.oid = l.relation JOIN pg_namespace n ON n.oid = c.relnamespace WHERE l.pid = pg_backend_pid() AND n.nspname = 'public'",
      )
    ).rows.map((r) => r.l)
  await db.query("BEGIN")
  try {
    const [f0, l0] = [await filenodes(), await locks()]
    await db.query(sql)
    const [f1, l1] = [await filenodes(), await locks()]
    return {
      locks: [...new Set(l1.filter((l) => !l0.includes(l)))].sort(),
      rewrites: [...f0]
        .filter(([name, f]) => f1.has(name) && f1.get(name) !== f)
        .map(([name]) => name)
        .sort(),
    }
  } finally {
    await db.query("ROLLBACK")
  }
}

/** The strongest mode among `locks` ("relation Mode" strings) on `relation`. */
const strongestOn = (locks: string[], relation: string): LockMode | undefined =>
  locks
    .filter((l) => l.startsWith(`${relation} `))
    .map((l) => l.slice(relation.length + 1) as LockMode)
    .reduce<LockMode | undefined>((a, m) => (a === undefined || strength(m) > strength(a) ? m : a), undefined)

const shape = (result: TraceResult) =>
  result.statements.map((s) => ({
    line: s.line,
    locks: s.locks.map((l) => `${l.relation} ${l.mode}`),
    rewrites: s.rewrites,
    ...(s.held ? { held: s.held.map((h) => `${h.relation} ${h.mode} since ${h.since}`) } : {}),
    ...(s.autocommit ? { autocommit: true } : {}),
    ...(s.reads ? { reads: s.reads.map((r) => `${r.relation} ${r.rows}`) } : {}),
    ...(s.emptied ? { emptied: s.emptied } : {}),
    ...(s.error ? { error: s.error } : {}),
    ...(s.note ? { note: s.note } : {}),
  }))

describe("migrations/trace/tracer (real PostgreSQL)", () => {
  let target: TestDatabase
  let snapshotBefore: Record<string, string[]>
  before(async () => {
    target = await createTestDatabase(blankMetaCommands(schemaFixtureText()))
    await target.db.query(LIBRARY_ROWS)
  })
  beforeEach(async () => {
    snapshotBefore = await catalogSnapshot(target.db)
  })
  afterEach(async () => {
    expect(await catalogSnapshot(target.db)).to.deep.equal(snapshotBefore)
  })
  after(() => target.drop())

  const trace = async (content: string) => {
    const result = await traceMigrations({
      files: [{ path: "m.sql", content }],
      url: target.url,
      disposable: false,
      target: await schemaFromDatabase(target.db),
    })
    expect(result.changed).to.deep.equal([])
    for (const s of result.statements) expect(s.ms).to.be.a("number").and.at.least(0)
    return result
  }

  /** The tracer's locks and rewrites for a one-statement file equal our own observation, and `expected`. */
  const single = async (sql: string, expected: { locks: string[]; rewrites: string[] }) => {
    const direct = await observeDirectly(target.db, sql)
    const traced = shape(await trace(`${sql};`))[0]!
    expect({ locks: [...traced.locks].sort(), rewrites: traced.rewrites }).to.deep.equal(direct)
    expect({ locks: traced.locks, rewrites: traced.rewrites }).to.deep.equal(expected)
  }

  it("CREATE INDEX: ShareLock on the table (writes wait), nothing rewritten", () =>
    single("CREATE INDEX library_book_pages_idx ON library_book (pages)", {
      locks: ["library_book ShareLock", "library_book_pages_idx AccessExclusiveLock"],
      rewrites: [],
    }))

  it("CREATE INDEX CONCURRENTLY: watched from a second connection, ShareUpdateExclusiveLock on the table, then dropped again", async () => {
    expect(
      shape(await trace("CREATE INDEX CONCURRENTLY library_book_pages_idx ON library_book (pages);")),
    ).to.deep.equal([
      {
        line: 1,
        locks: ["library_book ShareUpdateExclusiveLock", "library_book_pages_idx RowExclusiveLock"],
        rewrites: [],
        autocommit: true,
        note: "undone: dropped library_book_pages_idx",
      },
    ])
  })

  it("CHECK NOT VALID takes AccessExclusiveLock briefly; VALIDATE then needs only ShareUpdateExclusiveLock", async () => {
    await single("ALTER TABLE library_book ADD CONSTRAINT pages_positive CHECK (pages > 0) NOT VALID", {
      locks: ["library_book AccessExclusiveLock"],
      rewrites: [],
    })
    expect(
      shape(
        await trace(
          "ALTER TABLE library_book ADD CONSTRAINT pages_positive CHECK (pages > 0) NOT VALID;\nALTER TABLE library_book VALIDATE CONSTRAINT pages_positive;",
        ),
      ),
    ).to.deep.equal([
      { line: 1, locks: ["library_book AccessExclusiveLock"], rewrites: [] },
      { line: 2, locks: ["library_book ShareUpdateExclusiveLock"], reads: ["library_book 20000"], rewrites: [] },
    ])
  })

  it("a foreign key NOT VALID: ShareRowExclusiveLock on both tables; VALIDATE: ShareUpdateExclusiveLock on the table, RowShareLock on the referenced one", async () => {
    await single(
      "ALTER TABLE library_review ADD CONSTRAINT review_editor_fk FOREIGN KEY (editor_id) REFERENCES library_author (id) DEFERRABLE INITIALLY DEFERRED NOT VALID",
      {
        locks: [
          "library_author ShareRowExclusiveLock",
          "library_author AccessShareLock",
          "library_author_pkey AccessShareLock",
          "library_review ShareRowExclusiveLock",
          "library_review AccessShareLock",
        ],
        rewrites: [],
      },
    )
    const traced = shape(
      await trace(
        "ALTER TABLE library_review ADD CONSTRAINT review_editor_fk FOREIGN KEY (editor_id) REFERENCES library_author (id) NOT VALID;\nALTER TABLE library_review VALIDATE CONSTRAINT review_editor_fk;",
      ),
    )
    expect(
      traced[1]?.locks.filter((l) => l.startsWith("library_review ") || l.startsWith("library_author ")),
    ).to.deep.equal(["library_author RowShareLock", "library_review ShareUpdateExclusiveLock"])
  })

  it("SET NOT NULL: AccessExclusiveLock and a scan, no rewrite", () =>
    single("ALTER TABLE library_book ALTER COLUMN pages SET NOT NULL", {
      locks: ["library_book AccessExclusiveLock"],
      rewrites: [],
    }))

  it("integer → bigint rewrites the table and every index (relfilenodes change by name)", () =>
    single("ALTER TABLE library_book ALTER COLUMN pages TYPE bigint", {
      locks: [
        "library_book AccessExclusiveLock",
        "library_book ShareLock",
        "library_book_author_id_7b2b6e2c AccessExclusiveLock",
        "library_book_pkey AccessExclusiveLock",
        "library_book_title_idx AccessExclusiveLock",
      ],
      rewrites: ["library_book", "library_book_author_id_7b2b6e2c", "library_book_pkey", "library_book_title_idx"],
    }))

  it("varchar widening and numeric precision are binary-coercible: no relfilenode changes, even for the index on the column", async () => {
    await single("ALTER TABLE library_book ALTER COLUMN isbn TYPE varchar(20)", {
      locks: ["library_book AccessExclusiveLock"],
      rewrites: [],
    })
    await single("ALTER TABLE library_book ALTER COLUMN price TYPE numeric(12, 2)", {
      locks: ["library_book AccessExclusiveLock"],
      rewrites: [],
    })
    const indexed = shape(await trace("ALTER TABLE library_book ALTER COLUMN title TYPE text USING title::text;"))[0]!
    expect(indexed.rewrites).to.deep.equal([])
  })

  it("a volatile default rewrites; a stable one does not", async () => {
    await single("ALTER TABLE library_book ADD COLUMN touched timestamptz DEFAULT clock_timestamp()", {
      locks: [
        "library_book AccessExclusiveLock",
        "library_book ShareLock",
        "library_book_author_id_7b2b6e2c AccessExclusiveLock",
        "library_book_pkey AccessExclusiveLock",
        "library_book_title_idx AccessExclusiveLock",
      ],
      rewrites: ["library_book", "library_book_author_id_7b2b6e2c", "library_book_pkey", "library_book_title_idx"],
    })
    await single("ALTER TABLE library_book ADD COLUMN added timestamptz DEFAULT statement_timestamp() NOT NULL", {
      locks: ["library_book AccessExclusiveLock"],
      rewrites: [],
    })
  })

  it("ADD UNIQUE builds its index under AccessExclusiveLock; UNIQUE USING INDEX only adopts (and renames) a concurrently built one", async () => {
    await single("ALTER TABLE library_book ADD CONSTRAINT library_book_isbn_uniq UNIQUE (isbn)", {
      locks: [
        "library_book AccessExclusiveLock",
        "library_book ShareLock",
        "library_book_isbn_uniq AccessExclusiveLock",
      ],
      rewrites: [],
    })
    expect(
      shape(
        await trace(
          "CREATE UNIQUE INDEX CONCURRENTLY library_book_isbn_uniq_idx ON library_book (isbn);\nALTER TABLE library_book ADD CONSTRAINT library_book_isbn_uniq UNIQUE USING INDEX library_book_isbn_uniq_idx;",
        ),
      ),
    ).to.deep.equal([
      {
        line: 1,
        locks: ["library_book ShareUpdateExclusiveLock", "library_book_isbn_uniq_idx RowExclusiveLock"],
        rewrites: [],
        autocommit: true,
        note: "undone: dropped library_book_isbn_uniq_idx",
      },
      // In the traced transaction a plain CREATE UNIQUE INDEX stood in for line 1, so its AccessExclusiveLock on the index was already held.
      // The index is renamed to the constraint's name; its locks are named as it was called when they were taken.
      {
        line: 2,
        locks: [
          "library_book AccessExclusiveLock",
          "library_book_isbn_uniq_idx ShareUpdateExclusiveLock",
          "library_book_isbn_uniq_idx AccessShareLock",
        ],
        rewrites: [],
      },
    ])
  })

  it("in one transaction, shows locks already held instead of hiding them", async () => {
    expect(
      shape(
        await trace(
          "BEGIN;\nALTER TABLE library_book ADD COLUMN note text NULL;\nCREATE INDEX library_book_note_idx ON library_book (note);\nCOMMIT;",
        ),
      ),
    ).to.deep.equal([
      {
        line: 1,
        locks: [],
        rewrites: [],
        note: "transaction control: the tracer runs every statement in its own transaction and rolls it back",
      },
      { line: 2, locks: ["library_book AccessExclusiveLock"], rewrites: [] },
      {
        line: 3,
        locks: ["library_book ShareLock", "library_book_note_idx AccessExclusiveLock"],
        reads: ["library_book 20000"],
        rewrites: [],
      },
      {
        line: 4,
        locks: [],
        rewrites: [],
        note: "transaction control: the tracer runs every statement in its own transaction and rolls it back",
      },
    ])
    expect(
      shape(
        await trace(
          "ALTER TABLE library_book ADD COLUMN note text NULL;\nALTER TABLE library_book ALTER COLUMN note SET DEFAULT '';",
        ),
      )[1],
    ).to.deep.equal({ line: 2, locks: [], rewrites: [], held: ["library_book AccessExclusiveLock since 1"] })
  })

  it("records a failing statement with PostgreSQL's error and goes on with the next: a NOT NULL column with no default fails on a table with rows", async () => {
    expect(
      shape(
        await trace(
          "ALTER TABLE library_book ADD COLUMN pages int;\nALTER TABLE library_book ADD COLUMN weight int NOT NULL;\nALTER TABLE library_author ALTER COLUMN name SET NOT NULL;",
        ),
      ),
    ).to.deep.equal([
      { line: 1, locks: [], rewrites: [], error: 'column "pages" of relation "library_book" already exists' },
      { line: 2, locks: [], rewrites: [], error: 'column "weight" of relation "library_book" contains null values' },
      { line: 3, locks: ["library_author AccessExclusiveLock"], rewrites: [] },
    ])
  })

  it("reads: a scan shows as the rows it read; TRUNCATE as storage emptied, not a rewrite", async () => {
    expect(
      shape(
        await trace(
          "ALTER TABLE library_book ALTER COLUMN pages SET NOT NULL;\nSELECT count(*) FROM library_author;\nTRUNCATE library_review;",
        ),
      ),
    ).to.deep.equal([
      { line: 1, locks: ["library_book AccessExclusiveLock"], reads: ["library_book 20000"], rewrites: [] },
      {
        line: 2,
        locks: ["library_author AccessShareLock", "library_author_pkey AccessShareLock"],
        reads: ["library_author 50"],
        rewrites: [],
      },
      {
        line: 3,
        locks: [
          "library_review AccessExclusiveLock",
          "library_review ShareLock",
          "library_review_book_id_0c3e4a8f AccessExclusiveLock",
          "library_review_editor_id_idx AccessExclusiveLock",
          "library_review_pkey AccessExclusiveLock",
        ],
        rewrites: [],
        emptied: [
          "library_review",
          "library_review_book_id_0c3e4a8f",
          "library_review_editor_id_idx",
          "library_review_pkey",
        ],
      },
    ])
  })

  it("does not run an autocommit statement it could not undo exactly (in place), nor one that acts on the server", async () => {
    const notRun =
      "not run: it cannot be undone exactly on this database; trace on a scratch copy (the default, without --in-place)"
    expect(
      shape(
        await trace(
          "DROP INDEX CONCURRENTLY library_book_title_idx;\nVACUUM FULL library_book;\nREINDEX SCHEMA public;\nDROP DATABASE postgres;",
        ),
      ),
    ).to.deep.equal([
      { line: 1, locks: [], rewrites: [], autocommit: true, note: notRun },
      { line: 2, locks: [], rewrites: [], autocommit: true, note: notRun },
      { line: 3, locks: [], rewrites: [], autocommit: true, note: notRun },
      { line: 4, locks: [], rewrites: [], note: "not run: it acts on the server, not on the traced database" },
    ])
  })

  it("runs plain VACUUM in autocommit in place (it changes no catalog), watched: ShareUpdateExclusiveLock, nothing rewritten", async () => {
    for (const sql of ["VACUUM library_book;", "VACUUM (FULL FALSE, ANALYZE) library_book;"]) {
      const [traced] = shape(await trace(sql))
      expect({ ...traced, locks: strongestOn(traced!.locks, "library_book") }, sql).to.deep.equal({
        line: 1,
        locks: "ShareUpdateExclusiveLock",
        rewrites: [],
        autocommit: true,
      })
    }
  })

  it("estimates lock time on the target from its size and the calibrated throughput", async () => {
    const result = await trace(
      "ALTER TABLE library_book ALTER COLUMN pages TYPE bigint;\nALTER TABLE library_book ALTER COLUMN isbn TYPE varchar(20);",
    )
    const [row] = (
      await target.db.query<{ bytes: string }>("SELECT pg_total_relation_size('library_book')::text AS bytes")
    ).rows
    const bytes = Number(row?.bytes)
    expect(result.statements.map((s) => s.estimate)).to.deep.equal([
      { operation: "rewrite", table: "library_book", rows: 20000, bytes, ms: estimateMs("rewrite", bytes) },
      { operation: "metadata", table: "library_book", rows: 20000, bytes, ms: 3 },
    ])
  })

  describe("statements that cannot run in a transaction block, on a disposable copy with rows", () => {
    let copy: TestDatabase
    beforeEach(async () => {
      copy = await createTestDatabase(blankMetaCommands(schemaFixtureText()))
      await copy.db.query(LIBRARY_ROWS)
    })
    afterEach(() => copy.drop())
    const traceCopy = async (content: string) =>
      shape(
        await traceMigrations({
          files: [{ path: "m.sql", content }],
          url: copy.url,
          disposable: true,
          target: await schemaFromDatabase(copy.db),
        }),
      )

    it("VACUUM FULL: AccessExclusiveLock on the table, seen from a second connection, and the table and its indexes rewritten", async () => {
      const [traced] = await traceCopy("VACUUM FULL library_book;")
      expect({ ...traced, locks: strongestOn(traced!.locks, "library_book") }).to.deep.equal({
        line: 1,
        locks: "AccessExclusiveLock",
        rewrites: ["library_book", "library_book_author_id_7b2b6e2c", "library_book_pkey", "library_book_title_idx"],
        autocommit: true,
      })
    })

    it("REINDEX SCHEMA: ShareLock on a table, AccessExclusiveLock on its indexes, every index of the schema rebuilt", async () => {
      const [traced] = await traceCopy("REINDEX SCHEMA public;")
      const indexes = (
        await copy.db.query<{ name: string }>(
          "SELECT c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public' AND c.relkind = 'i' ORDER BY 1",
        )
      ).rows.map((r) => r.name)
      expect(traced!.rewrites).to.deep.equal(indexes)
      expect(new Set(traced!.locks.map((l) => l.slice(l.indexOf(" ") + 1)))).to.deep.equal(
        new Set(["ShareLock", "AccessExclusiveLock"]),
      )
      expect(
        traced!.locks
          .filter((l) => l.endsWith(" AccessExclusiveLock"))
          .every((l) => indexes.includes(l.split(" ")[0]!)),
      ).to.equal(true)
      expect([traced!.autocommit, traced!.error]).to.deep.equal([true, undefined])
    })

    it("a statement on a table an earlier statement created is not traced, and says why; one that fails on its own fails", async () => {
      expect(
        await traceCopy("CREATE TABLE scratch_n (id int);\nVACUUM FULL scratch_n;\nVACUUM FULL no_such_table;"),
      ).to.deep.equal([
        { line: 1, locks: ["scratch_n AccessExclusiveLock"], rewrites: [] },
        {
          line: 2,
          locks: [],
          rewrites: [],
          autocommit: true,
          note: 'not traced: it works on scratch_n, which line 1 created in the transaction the tracer rolled back (relation "scratch_n" does not exist)',
        },
        { line: 3, locks: [], rewrites: [], autocommit: true, error: 'relation "no_such_table" does not exist' },
      ])
    })
  })
})
