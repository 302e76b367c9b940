/** Statement splitting and line numbers: Django comment blocks, UTF-8 byte offsets, syntax errors, pg_dump meta-commands. */
import { expect } from "chai"
import { blankMetaCommands, parseFile } from "../../core/migrations/parse.js"

describe("migrations/parse", () => {
  it("gives each statement the line of its first token, past Django's comment blocks", async () => {
    const content =
      'BEGIN;\n--\n-- Add field x to book\n--\nALTER TABLE "library_book" ADD COLUMN "x" integer NULL;\n/* a /* nested */ block */ SELECT 1;\nCOMMIT;\n'
    const parsed = await parseFile({ path: "a.sql", content })
    expect(parsed.statements.map((s) => [s.line, s.sql])).to.deep.equal([
      [1, "BEGIN"],
      [5, 'ALTER TABLE "library_book" ADD COLUMN "x" integer NULL'],
      [6, "SELECT 1"],
      [7, "COMMIT"],
    ])
    expect(parsed.syntaxError).to.equal(undefined)
  })

  it("counts lines on UTF-8 bytes, as libpg-query reports offsets", async () => {
    const parsed = await parseFile({ path: "a.sql", content: "-- Ünïcödé comment: ☃☃☃\nSELECT 'é';\n\nSELECT 'ü';" })
    expect(parsed.statements.map((s) => [s.line, s.sql])).to.deep.equal([
      [2, "SELECT 'é'"],
      [4, "SELECT 'ü'"],
    ])
  })

  it("starts a file's first statement after its leading comments", async () => {
    const parsed = await parseFile({
      path: "a.sql",
      content: "--\n-- Raw SQL operation\n--\nCREATE INDEX CONCURRENTLY i ON t (a);\n",
    })
    expect(parsed.statements.map((s) => s.line)).to.deep.equal([4])
  })

  it("reads an empty file (sqlmigrate of a migration with no operations) as no statements, not a syntax error", async () => {
    expect(await parseFile({ path: "empty.sql", content: "" })).to.deep.equal({ path: "empty.sql", statements: [] })
  })

  it("reports a syntax error with its line and no statements", async () => {
    const parsed = await parseFile({ path: "bad.sql", content: "BEGIN;\n\nALTER TABLE t ADD COLUMN ;\nCOMMIT;" })
    expect(parsed).to.deep.equal({
      path: "bad.sql",
      statements: [],
      syntaxError: { line: 3, message: 'syntax error at or near ";"' },
    })
  })

  it("blanks psql meta-commands (pg_dump's \\restrict) without moving any offset", () => {
    const text = "SET a = 1;\n\\restrict abc\nSELECT 1;\n\\unrestrict abc\n"
    const blanked = blankMetaCommands(text)
    expect(blanked).to.equal("SET a = 1;\n             \nSELECT 1;\n               \n")
    expect(blanked.length).to.equal(text.length)
  })
})
