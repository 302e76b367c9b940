/** Binary-coercible type changes, table-driven against what PostgreSQL rewrites; type text as format_type and pg_dump print it. */
import { expect } from "chai"
import { type ColumnType, formatType, rewriteNeeded, typeFromText } from "../../core/migrations/column-type.js"
import { loadParser } from "../../core/migrations/parse.js"

describe("migrations/column-type", () => {
  before(() => loadParser())
  const t = (text: string): ColumnType => {
    const type = typeFromText(text)
    if (!type) throw new Error(`not a type: ${text}`)
    return type
  }

  it("reads format_type() and pg_dump spellings into canonical names", () => {
    expect(t("character varying(100)")).to.deep.equal({ name: "varchar", mods: [100], array: false })
    expect(t("numeric(10,2)")).to.deep.equal({ name: "numeric", mods: [10, 2], array: false })
    expect(t("timestamp(3) with time zone")).to.deep.equal({ name: "timestamptz", mods: [3], array: false })
    expect(t("integer[]")).to.deep.equal({ name: "int4", mods: [], array: true })
    expect(t("character(3)")).to.deep.equal({ name: "bpchar", mods: [3], array: false })
    expect(typeFromText("not a ( type")).to.equal(undefined)
    expect([t("bigint"), t("varchar(20)"), t("numeric(8,2)"), t("text[]")].map(formatType)).to.deep.equal([
      "bigint",
      "varchar(20)",
      "numeric(8,2)",
      "text[]",
    ])
  })

  const cases: [string, string, boolean][] = [
    ["varchar(100)", "varchar(200)", false],
    ["varchar(100)", "varchar(100)", false],
    ["varchar(100)", "varchar", false],
    ["varchar(100)", "text", false],
    ["text", "varchar", false],
    ["numeric(8,2)", "numeric(12,2)", false],
    ["numeric(8,2)", "numeric", false],
    ["timestamp(3)", "timestamp(6)", false],
    ["timestamptz(3)", "timestamptz", false],
    ["cidr", "inet", false],
    ["varchar(100)", "varchar(50)", true],
    ["varchar", "varchar(50)", true],
    ["text", "varchar(50)", true],
    ["numeric(8,2)", "numeric(12,3)", true],
    ["numeric(8,2)", "numeric(6,2)", true],
    ["numeric", "numeric(8,2)", true],
    ["timestamptz", "timestamptz(3)", true],
    ["integer", "bigint", true],
    ["char(5)", "varchar(5)", true],
    ["char(5)", "char(10)", true],
    ["timestamp", "timestamptz", true],
    ["integer[]", "bigint[]", true],
    ["integer", "integer[]", true],
  ]
  for (const [from, to, rewrites] of cases) {
    it(`${from} → ${to} ${rewrites ? "rewrites" : "is binary-coercible"}`, () =>
      expect(rewriteNeeded(t(from), t(to))).to.equal(rewrites))
  }
})
