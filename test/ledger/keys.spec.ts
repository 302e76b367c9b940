/** Lock keys never change between releases: exact values, and the SQL form agrees with the TypeScript one. */
import { expect } from "chai"
import type pg from "pg"
import {
  DEPLOY_LOCK_NAMESPACE,
  MIGRATION_LOCK_NAMESPACE,
  deployLockKey,
  hashKey,
  keySql,
  migrationLockKey,
} from "../../core/ledger/keys.js"
import { connectTo } from "../helpers/postgres.js"

describe("ledger/keys", () => {
  it("names its namespaces by their ASCII tags", () => {
    expect([DEPLOY_LOCK_NAMESPACE, MIGRATION_LOCK_NAMESPACE]).to.deep.equal([
      Buffer.from("DPLK").readInt32BE(0),
      Buffer.from("DPLM").readInt32BE(0),
    ])
    expect([DEPLOY_LOCK_NAMESPACE, MIGRATION_LOCK_NAMESPACE]).to.deep.equal([1146113099, 1146113101])
  })

  it("derives stable keys from the schema and environment", () => {
    expect(deployLockKey("deploy_pipeline", "staging")).to.deep.equal([1146113099, -1951665917])
    expect(deployLockKey("deploy_pipeline", "production")).to.deep.equal([
      1146113099,
      hashKey("deploy_pipeline/production"),
    ])
    expect(migrationLockKey("deploy_pipeline")).to.deep.equal([1146113101, hashKey("deploy_pipeline")])
    expect(deployLockKey("other_ledger", "staging")).to.not.deep.equal(deployLockKey("deploy_pipeline", "staging"))
  })

  describe("against Postgres", () => {
    let client: pg.Client
    before(async () => (client = await connectTo("postgres")))
    after(async () => client.end())

    it("computes the same hash in SQL as in TypeScript", async () => {
      const texts = ["deploy_pipeline/staging", "deploy_pipeline/production", "ledger-x/dev", "ümlaut/é"]
      const { rows } = await client.query<{ key: number }>(
        `SELECT ${keySql("t")} AS key FROM unnest($1::text[]) WITH ORDINALITY AS u(t, n) ORDER BY n`,
        [texts],
      )
      expect(rows.map((row) => row.key)).to.deep.equal(texts.map(hashKey))
    })
  })
})
