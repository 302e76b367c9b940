/** Volatile defaults (a rewrite on ADD COLUMN) against stable ones (catalog only since PG11). */
import { expect } from "chai"
import { pick } from "../../core/migrations/ast.js"
import { parseFile } from "../../core/migrations/parse.js"
import { defaultVolatility } from "../../core/migrations/volatility.js"

async function expr(sql: string) {
  const parsed = await parseFile({ path: "e.sql", content: `SELECT ${sql}` })
  return pick(pick(parsed.statements[0]?.node, "SelectStmt")?.targetList?.[0], "ResTarget")?.val
}

describe("migrations/volatility", () => {
  const cases: [string, { volatile: boolean; culprits: string[] }][] = [
    ["0", { volatile: false, culprits: [] }],
    ["'{}'::jsonb", { volatile: false, culprits: [] }],
    ["now()", { volatile: false, culprits: [] }],
    ["STATEMENT_TIMESTAMP()", { volatile: false, culprits: [] }],
    ["CURRENT_TIMESTAMP", { volatile: false, culprits: [] }],
    ["clock_timestamp()", { volatile: true, culprits: ["clock_timestamp()"] }],
    ["GEN_RANDOM_UUID()", { volatile: true, culprits: ["gen_random_uuid()"] }],
    ["lower(my_func(1) || random()::text)", { volatile: true, culprits: ["my_func()", "random()"] }],
  ]
  for (const [sql, expected] of cases)
    it(`${sql} → ${expected.volatile ? "volatile" : "not volatile"}`, async () =>
      expect(defaultVolatility(await expr(sql))).to.deep.equal(expected))

  it("takes the server's pg_proc facts over the built-in list when given", async () => {
    const facts = { volatile: new Set(["random"]), known: new Set(["random", "my_func", "lower"]) }
    expect(defaultVolatility(await expr("my_func(1)"), facts)).to.deep.equal({ volatile: false, culprits: [] })
    expect(defaultVolatility(await expr("now()"), facts)).to.deep.equal({ volatile: true, culprits: ["now()"] })
  })
})
