/**
 * The tracer on a real PostgreSQL: what it records must be what pg_locks and pg_class.relfilenode
 * show when the same statement runs in a transaction we observe ourselves, and the traced database
 * must be left exactly as it was (same catalog snapshot before and after).
 */
import { expect } from "chai"
import { blankMetaCommands } from "../../../src/migrations/parse.js"
import type { Queryable } from "../../../src/migrations/pg-client.js"
import { schemaFromDatabase } from "../../../src/migrations/schema-db.js"
import { catalogSnapshot } from "../../../src/migrations/trace/catalog.js"
import { estimateMs } from "../../../src/migrations/trace/estimate.js"
import { type TraceResult, traceMigrations } from "../../../src/migrations/trace/tracer.js"
import { schemaFixtureText } from "../helpers/corpus.js"
import { type TestDatabase, createTestDatabase } from "../helpers/pg.js"

const ROWS = `INSERT INTO library_author (name, email, bio) SELECT 'a' || g, 'a' || g || '@example.com', '' FROM generate_series(1, 50) g;
INSERT INTO library_book (title, isbn, pages, price, author_id) SELECT 'b' || g, lpad(g::text, 13, '0'), g, 10, 1 + g % 50 FROM generate_series(1, 20000) g;
ANALYZE;`

/** Runs `sql` in a transaction we roll back, reading pg_locks and relfilenodes ourselves, by relation name. */
async function observeDirectly(db: Queryable, sql: string): Promise<{ locks: string[]; rewrites: string[] }> {
  const filenodes = async () => new Map((await db.query<{ name: string; f: string }>("SELECT c.relname AS name, pg_relation_filenode(c.oid)::text AS f FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public'")).rows.map((r) => [r.name, r.f]))
  const locks = async () => (await db.query<{ l: string }>("SELECT c.relname || ' ' || l.mode AS l FROM pg_locks l JOIN pg_class c ON c.oid = l.relation JOIN pg_namespace n ON n.oid = c.relnamespace WHERE l.pid = pg_backend_pid() AND n.nspname = 'public'")).rows.map((r) => r.l)
  await db.query("BEGIN")
  try {
    const [f0, l0] = [await filenodes(), await locks()]
    await db.query(sql)
    const [f1, l1] = [await filenodes(), await locks()]
    return {
      locks: [...new Set(l1.filter((l) => !l0.includes(l)))].sort(),
      rewrites: [...f0].filter(([name, f]) => f1.has(name) && f1.get(name) !== f).map(([name]) => name).sort(),
    }
  } finally {
    await db.query("ROLLBACK")
  }
}

const shape = (result: TraceResult) =>
  result.statements.map((s) => ({
    line: s.line,
    locks: s.locks.map((l) => `${l.relation} ${l.mode}`),
    rewrites: s.rewrites,
    ...(s.held ? { held: s.held.map((h) => `${h.relation} ${h.mode} since ${h.since}`) } : {}),
    ...(s.concurrent ? { concurrent: true } : {}),
    ...(s.error ? { error: s.error } : {}),
    ...(s.note ? { note: s.note } : {}),
  }))

describe("migrations/trace/tracer (real PostgreSQL)", () => {
  let target: TestDatabase
  let snapshotBefore: Record<string, string[]>
  before(async () => {
    target = await createTestDatabase(blankMetaCommands(schemaFixtureText()))
    await target.db.query(ROWS)
  })
  beforeEach(async () => {
    snapshotBefore = await catalogSnapshot(target.db)
  })
  afterEach(async () => {
    expect(await catalogSnapshot(target.db)).to.deep.equal(snapshotBefore)
  })
  after(() => target.drop())

  const trace = async (content: string) => {
    const result = await traceMigrations({ files: [{ path: "m.sql", content }], url: target.url, disposable: false, target: await schemaFromDatabase(target.db) })
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
    single("CREATE INDEX library_book_pages_idx ON library_book (pages)", { locks: ["library_book ShareLock", "library_book_pages_idx AccessExclusiveLock"], rewrites: [] }))

  it("CREATE INDEX CONCURRENTLY: watched from a second connection, ShareUpdateExclusiveLock on the table, then dropped again", async () => {
    expect(shape(await trace("CREATE INDEX CONCURRENTLY library_book_pages_idx ON library_book (pages);"))).to.deep.equal([
      { line: 1, locks: ["library_book ShareUpdateExclusiveLock", "library_book_pages_idx RowExclusiveLock"], rewrites: [], concurrent: true, note: "undone: dropped library_book_pages_idx" },
    ])
  })

  it("CHECK NOT VALID takes AccessExclusiveLock briefly; VALIDATE then needs only ShareUpdateExclusiveLock", async () => {
    await single("ALTER TABLE library_book ADD CONSTRAINT pages_positive CHECK (pages > 0) NOT VALID", { locks: ["library_book AccessExclusiveLock"], rewrites: [] })
    expect(shape(await trace("ALTER TABLE library_book ADD CONSTRAINT pages_positive CHECK (pages > 0) NOT VALID;\nALTER TABLE library_book VALIDATE CONSTRAINT pages_positive;"))).to.deep.equal([
      { line: 1, locks: ["library_book AccessExclusiveLock"], rewrites: [] },
      { line: 2, locks: ["library_book ShareUpdateExclusiveLock"], rewrites: [] },
    ])
  })

  it("a foreign key NOT VALID: ShareRowExclusiveLock on both tables; VALIDATE: ShareUpdateExclusiveLock on the table, RowShareLock on the referenced one", async () => {
    await single("ALTER TABLE library_review ADD CONSTRAINT review_editor_fk FOREIGN KEY (editor_id) REFERENCES library_author (id) DEFERRABLE INITIALLY DEFERRED NOT VALID", {
      locks: ["library_author ShareRowExclusiveLock", "library_author AccessShareLock", "library_author_pkey AccessShareLock", "library_review ShareRowExclusiveLock", "library_review AccessShareLock"],
      rewrites: [],
    })
    const traced = shape(await trace("ALTER TABLE library_review ADD CONSTRAINT review_editor_fk FOREIGN KEY (editor_id) REFERENCES library_author (id) NOT VALID;\nALTER TABLE library_review VALIDATE CONSTRAINT review_editor_fk;"))
    expect(traced[1]?.locks.filter((l) => l.startsWith("library_review ") || l.startsWith("library_author "))).to.deep.equal(["library_author RowShareLock", "library_review ShareUpdateExclusiveLock"])
  })

  it("SET NOT NULL: AccessExclusiveLock and a scan, no rewrite", () => single("ALTER TABLE library_book ALTER COLUMN pages SET NOT NULL", { locks: ["library_book AccessExclusiveLock"], rewrites: [] }))

  it("integer → bigint rewrites the table and every index (relfilenodes change by name)", () =>
    single("ALTER TABLE library_book ALTER COLUMN pages TYPE bigint", {
      locks: ["library_book AccessExclusiveLock", "library_book ShareLock", "library_book_author_id_7b2b6e2c AccessExclusiveLock", "library_book_pkey AccessExclusiveLock", "library_book_title_idx AccessExclusiveLock"],
      rewrites: ["library_book", "library_book_author_id_7b2b6e2c", "library_book_pkey", "library_book_title_idx"],
    }))

  it("varchar widening and numeric precision are binary-coercible: no relfilenode changes, even for the index on the column", async () => {
    await single("ALTER TABLE library_book ALTER COLUMN isbn TYPE varchar(20)", { locks: ["library_book AccessExclusiveLock"], rewrites: [] })
    await single("ALTER TABLE library_book ALTER COLUMN price TYPE numeric(12, 2)", { locks: ["library_book AccessExclusiveLock"], rewrites: [] })
    const indexed = shape(await trace("ALTER TABLE library_book ALTER COLUMN title TYPE text USING title::text;"))[0]!
    expect(indexed.rewrites).to.deep.equal([])
  })

  it("a volatile default rewrites; a stable one does not", async () => {
    await single("ALTER TABLE library_book ADD COLUMN touched timestamptz DEFAULT clock_timestamp()", {
      locks: ["library_book AccessExclusiveLock", "library_book ShareLock", "library_book_author_id_7b2b6e2c AccessExclusiveLock", "library_book_pkey AccessExclusiveLock", "library_book_title_idx AccessExclusiveLock"],
      rewrites: ["library_book", "library_book_author_id_7b2b6e2c", "library_book_pkey", "library_book_title_idx"],
    })
    await single("ALTER TABLE library_book ADD COLUMN added timestamptz DEFAULT statement_timestamp() NOT NULL", { locks: ["library_book AccessExclusiveLock"], rewrites: [] })
  })

  it("ADD UNIQUE builds its index under AccessExclusiveLock; UNIQUE USING INDEX only adopts (and renames) a concurrently built one", async () => {
    await single("ALTER TABLE library_book ADD CONSTRAINT library_book_isbn_uniq UNIQUE (isbn)", {
      locks: ["library_book AccessExclusiveLock", "library_book ShareLock", "library_book_isbn_uniq AccessExclusiveLock"],
      rewrites: [],
    })
    expect(shape(await trace("CREATE UNIQUE INDEX CONCURRENTLY library_book_isbn_uniq_idx ON library_book (isbn);\nALTER TABLE library_book ADD CONSTRAINT library_book_isbn_uniq UNIQUE USING INDEX library_book_isbn_uniq_idx;"))).to.deep.equal([
      { line: 1, locks: ["library_book ShareUpdateExclusiveLock", "library_book_isbn_uniq_idx RowExclusiveLock"], rewrites: [], concurrent: true, note: "undone: dropped library_book_isbn_uniq_idx" },
      // In the traced transaction a plain CREATE UNIQUE INDEX stood in for line 1, so its AccessExclusiveLock on the index was already held.
      // The index is renamed to the constraint's name; its locks are named as it was called when they were taken.
      { line: 2, locks: ["library_book AccessExclusiveLock", "library_book_isbn_uniq_idx ShareUpdateExclusiveLock", "library_book_isbn_uniq_idx AccessShareLock"], rewrites: [] },
    ])
  })

  it("in one transaction, shows locks already held instead of hiding them", async () => {
    expect(shape(await trace("BEGIN;\nALTER TABLE library_book ADD COLUMN note text NULL;\nCREATE INDEX library_book_note_idx ON library_book (note);\nCOMMIT;"))).to.deep.equal([
      { line: 1, locks: [], rewrites: [], note: "transaction control: the tracer runs every statement in its own transaction and rolls it back" },
      { line: 2, locks: ["library_book AccessExclusiveLock"], rewrites: [] },
      { line: 3, locks: ["library_book ShareLock", "library_book_note_idx AccessExclusiveLock"], rewrites: [] },
      { line: 4, locks: [], rewrites: [], note: "transaction control: the tracer runs every statement in its own transaction and rolls it back" },
    ])
    expect(shape(await trace("ALTER TABLE library_book ADD COLUMN note text NULL;\nALTER TABLE library_book ALTER COLUMN note SET DEFAULT '';"))[1]).to.deep.equal({ line: 2, locks: [], rewrites: [], held: ["library_book AccessExclusiveLock since 1"] })
  })

  it("records a failing statement with PostgreSQL's error and goes on with the next", async () => {
    expect(shape(await trace("ALTER TABLE library_book ADD COLUMN pages int;\nALTER TABLE library_author ALTER COLUMN name SET NOT NULL;\nVACUUM FULL library_book;"))).to.deep.equal([
      { line: 1, locks: [], rewrites: [], error: 'column "pages" of relation "library_book" already exists' },
      { line: 2, locks: ["library_author AccessExclusiveLock"], rewrites: [] },
      { line: 3, locks: [], rewrites: [], error: "VACUUM cannot run inside a transaction block" },
    ])
  })

  it("does not run a CONCURRENTLY statement it could not undo exactly (in place)", async () => {
    expect(shape(await trace("DROP INDEX CONCURRENTLY library_book_title_idx;"))).to.deep.equal([
      { line: 1, locks: [], rewrites: [], concurrent: true, note: "not run: it cannot be undone exactly on this database; trace on a scratch copy (the default, without --in-place)" },
    ])
  })

  it("estimates lock time on the target from its size and the calibrated throughput", async () => {
    const result = await trace("ALTER TABLE library_book ALTER COLUMN pages TYPE bigint;\nALTER TABLE library_book ALTER COLUMN isbn TYPE varchar(20);")
    const [row] = (await target.db.query<{ bytes: string }>("SELECT pg_total_relation_size('library_book')::text AS bytes")).rows
    const bytes = Number(row?.bytes)
    expect(result.statements.map((s) => s.estimate)).to.deep.equal([
      { operation: "rewrite", table: "library_book", rows: 20000, bytes, ms: estimateMs("rewrite", bytes) },
      { operation: "metadata", table: "library_book", rows: 20000, bytes, ms: 3 },
    ])
  })
})
