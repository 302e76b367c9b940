/**
 * The static lock model (what `migrations check` reports) against the tracer on a real server:
 * for every corpus statement that runs, the strongest lock pg_locks shows on each existing
 * relation the model names is the mode the model predicts (or was already held by the transaction).
 */
import { expect } from "chai"
import { displayName } from "../../../core/migrations/ast.js"
import { type LockMode, statementLocks, strength } from "../../../core/migrations/locks.js"
import { parseFile } from "../../../core/migrations/parse.js"
import { blankMetaCommands } from "../../../core/migrations/parse.js"
import { DEFAULT_PG_VERSION } from "../../../core/migrations/pg-version.js"
import { applyDdl, cloneSchema } from "../../../core/migrations/schema.js"
import { traceMigrations } from "../../../core/migrations/trace/tracer.js"
import { CASES } from "../corpus-cases.js"
import { corpusFile, fixtureSchema, schemaFixtureText } from "../helpers/corpus.js"
import { type TestDatabase, createTestDatabase } from "../helpers/pg.js"

describe("migrations/trace: the static lock model matches pg_locks on the corpus", () => {
  let target: TestDatabase
  before(async () => {
    target = await createTestDatabase(blankMetaCommands(schemaFixtureText()))
  })
  after(() => target.drop())

  let compared = 0
  const files = CASES.filter((c) => Object.keys(c.options).length === 0 && c.file !== "57_syntax_error.sql").map(
    (c) => c.file,
  )
  for (const name of files) {
    it(name, async () => {
      const file = corpusFile(name)
      const parsed = await parseFile(file)
      const result = await traceMigrations({ files: [file], url: target.url, disposable: false })
      expect(result.changed).to.deep.equal([])
      const schema = cloneSchema(await fixtureSchema())
      const mismatches: string[] = []
      parsed.statements.forEach((stmt, i) => {
        const traced = result.statements[i]
        const expected = statementLocks(stmt.node, DEFAULT_PG_VERSION, schema).filter(
          (l) => schema.tables.has(l.relation) || schema.indexes.has(l.relation),
        )
        applyDdl(schema, stmt.node)
        if (!traced || traced.error || traced.note?.startsWith("not run")) return
        for (const lock of expected) {
          const relation = displayName(lock.relation)
          const seen = traced.locks.filter((l) => l.relation === relation).map((l) => l.mode)
          const strongest = seen.reduce<LockMode | undefined>(
            (a, m) => (a === undefined || strength(m) > strength(a) ? m : a),
            undefined,
          )
          const held = traced.held?.some((h) => h.relation === relation && strength(h.mode) >= strength(lock.mode))
          compared++
          if (strongest !== lock.mode && !held)
            mismatches.push(`line ${stmt.line}: ${relation} model ${lock.mode}, pg_locks ${strongest ?? "none"}`)
        }
      })
      expect(mismatches).to.deep.equal([])
    })
  }

  it("compared the model with pg_locks on enough statements to mean something", () => {
    expect(compared).to.equal(93)
  })
})
