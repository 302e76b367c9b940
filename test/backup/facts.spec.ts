/** Row counts and django_migrations: the comparison's exact lines, and reading them from Postgres. */
import { expect } from "chai"
import { compareFacts, readFacts } from "../../core/backup/facts.js"
import type { ScratchDatabase } from "../helpers/postgres.js"
import { SHOP_FACTS, createShopDatabase } from "./shop.js"

const MIGRATIONS = [
  { app: "auth", name: "0001_initial" },
  { app: "shop", name: "0001_initial" },
]

describe("backup/facts", () => {
  it("finds nothing to report when the restore matches", () => {
    expect(compareFacts(SHOP_FACTS, structuredClone(SHOP_FACTS))).to.deep.equal([])
  })

  it("names every table that differs, then the first django_migrations difference", () => {
    const source = {
      tables: [
        { name: "public.a", rows: 3 },
        { name: "public.b", rows: 1 },
        { name: "public.c", rows: 0 },
      ],
      djangoMigrations: MIGRATIONS,
    }
    const restored = {
      tables: [
        { name: "public.a", rows: 2 },
        { name: "public.c", rows: 0 },
        { name: "public.d", rows: 7 },
      ],
      djangoMigrations: MIGRATIONS.slice(0, 1),
    }
    expect(compareFacts(source, restored)).to.deep.equal([
      "public.a: 3 rows in the source, 2 in the restore",
      "public.b: 1 rows in the source, missing from the restore",
      "public.d: in the restore but not in the source",
      "django_migrations: 2 rows in the source, 1 in the restore; row 2 is shop.0001_initial in the source, nothing in the restore",
    ])
  })

  it("reports a django_migrations table missing on either side", () => {
    expect(
      compareFacts({ tables: [], djangoMigrations: MIGRATIONS }, { tables: [], djangoMigrations: null }),
    ).to.deep.equal(["django_migrations: in the source, missing from the restore"])
    expect(compareFacts({ tables: [], djangoMigrations: null }, { tables: [], djangoMigrations: [] })).to.deep.equal([
      "django_migrations: in the restore but not in the source",
    ])
    expect(compareFacts({ tables: [], djangoMigrations: null }, { tables: [], djangoMigrations: null })).to.deep.equal(
      [],
    )
  })

  describe("against Postgres", () => {
    let db: ScratchDatabase
    before(async () => ({ db } = await createShopDatabase("facts")))
    after(async () => db.drop())

    it("counts every table's rows and reads django_migrations in order", async () => {
      expect(await readFacts(await db.connect())).to.deep.equal(SHOP_FACTS)
    })

    it("reports no django_migrations where there is no such table", async () => {
      const client = await db.connect()
      await client.query("SET search_path = audit")
      expect(await readFacts(client)).to.deep.include({ djangoMigrations: null })
    })
  })
})
