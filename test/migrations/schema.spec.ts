/** The schema model: read from the pg_dump fixture, evolved statement by statement, and copied without sharing. */
import { expect } from "chai"
import { readFileSync } from "node:fs"
import { parseFile } from "../../core/migrations/parse.js"
import { applyDdl, cloneSchema, emptySchema } from "../../core/migrations/schema.js"
import { schemaFromSql } from "../../core/migrations/schema-sql.js"
import { EMPTY_SCHEMA_FIXTURE } from "./corpus-cases.js"
import { fixtureSchema } from "./helpers/corpus.js"

async function apply(sql: string, schema = emptySchema()) {
  for (const stmt of (await parseFile({ path: "s.sql", content: sql })).statements) applyDdl(schema, stmt.node)
  return schema
}

describe("migrations/schema", () => {
  it("reads the pg_dump fixture: types, NOT NULL, indexes and NOT NULL checks", async () => {
    const schema = await fixtureSchema()
    expect([...schema.tables.keys()].sort()).to.deep.equal([
      "public.django_migrations",
      "public.events",
      "public.events_2023",
      "public.events_2024",
      "public.library_author",
      "public.library_book",
      "public.library_review",
      "public.shop_legacy",
      "public.shop_order",
      "public.shop_orderline",
    ])
    expect(schema.tables.get("public.library_book")?.columns.get("title")).to.deep.equal({
      type: { name: "varchar", mods: [100], array: false },
      notNull: true,
    })
    expect(schema.tables.get("public.library_book")?.columns.get("pages")).to.deep.equal({
      type: { name: "int4", mods: [], array: false },
      notNull: false,
    })
    expect(schema.indexes.get("public.library_book_title_idx")).to.deep.equal({
      table: "public.library_book",
      columns: ["title"],
      unique: false,
    })
    expect(schema.indexes.get("public.library_book_pkey")).to.deep.equal({
      table: "public.library_book",
      columns: ["id"],
      unique: true,
    })
    expect(schema.checks.get("public.shop_order.shop_order_note_not_null")).to.deep.equal({
      table: "public.shop_order",
      notNullColumn: "note",
      validated: true,
    })
    expect(schema.checks.get("public.shop_order.shop_order_email_not_null")).to.deep.equal({
      table: "public.shop_order",
      notNullColumn: "customer_email",
      validated: false,
    })
  })

  it("says what to pass when the schema file is not a pg_dump", async () => {
    expect(await schemaFromSql({ path: "s.sql", content: "CREATE TABLE (" })).to.deep.equal({
      ok: false,
      message:
        's.sql:1: PostgreSQL cannot parse the schema (syntax error at or near "("); pass the output of pg_dump --schema-only',
    })
    // An empty file is what a failed `pg_dump > schema.sql` leaves behind.
    expect(await schemaFromSql({ path: "s.sql", content: "" })).to.deep.equal({
      ok: false,
      message: "s.sql:1: the schema is empty (what a failed pg_dump leaves); pass the output of pg_dump --schema-only",
    })
  })

  it("takes pg_dump's schema of an empty database: no tables, and valid", async () => {
    const read = await schemaFromSql({
      path: EMPTY_SCHEMA_FIXTURE,
      content: readFileSync(EMPTY_SCHEMA_FIXTURE, "utf8"),
    })
    expect(read.ok).to.equal(true)
    if (read.ok)
      expect([read.schema.tables.size, read.schema.indexes.size, read.schema.checks.size]).to.deep.equal([0, 0, 0])
  })

  it("follows renames, drops, type changes and validations", async () => {
    const schema = await apply(`
      CREATE TABLE a (id bigint PRIMARY KEY, name varchar(10), n int);
      CREATE INDEX a_name ON a (name);
      ALTER TABLE a ADD CONSTRAINT n_nn CHECK (n IS NOT NULL) NOT VALID;
      ALTER TABLE a VALIDATE CONSTRAINT n_nn;
      ALTER TABLE a ALTER COLUMN name TYPE text, ALTER COLUMN n SET NOT NULL;
      ALTER TABLE a RENAME COLUMN name TO title;
      ALTER TABLE a RENAME TO b;
      ALTER INDEX a_name RENAME TO b_title;
      ALTER TABLE b ADD COLUMN extra int;
      ALTER TABLE b DROP COLUMN extra;`)
    expect([...schema.tables.keys()]).to.deep.equal(["public.b"])
    expect([...(schema.tables.get("public.b")?.columns ?? [])]).to.deep.equal([
      ["id", { type: { name: "int8", mods: [], array: false }, notNull: true }],
      ["n", { type: { name: "int4", mods: [], array: false }, notNull: true }],
      ["title", { type: { name: "text", mods: [], array: false }, notNull: false }],
    ])
    expect([...schema.indexes]).to.deep.equal([
      ["public.a_pkey", { table: "public.b", columns: ["id"], unique: true }],
      ["public.b_title", { table: "public.b", columns: ["title"], unique: false }],
    ])
    expect([...schema.checks]).to.deep.equal([
      ["public.a.n_nn", { table: "public.b", notNullColumn: "n", validated: true }],
    ])
    await apply("DROP TABLE b;", schema)
    expect([schema.tables.size, schema.indexes.size, schema.checks.size]).to.deep.equal([0, 0, 0])
  })

  it("clones deeply, so an analysis never changes the caller's schema", async () => {
    const schema = await fixtureSchema()
    const copy = cloneSchema(schema)
    await apply(
      "ALTER TABLE library_review RENAME TO x; ALTER TABLE library_book ALTER COLUMN pages SET NOT NULL;",
      copy,
    )
    expect(schema.indexes.get("public.library_review_editor_id_idx")?.table).to.equal("public.library_review")
    expect(schema.tables.get("public.library_book")?.columns.get("pages")?.notNull).to.equal(false)
    expect(copy.indexes.get("public.library_review_editor_id_idx")?.table).to.equal("public.x")
  })
})
