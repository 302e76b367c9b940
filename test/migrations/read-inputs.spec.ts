/** The FILE|DIR edge of the migrations commands, with its messages verbatim. */
import { expect } from "chai"
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { InputError, readSqlInputs, redactUrl } from "../../core/migrations/read-inputs.js"

describe("migrations/read-inputs", () => {
  let dir: string
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), "dp-mig-"))
    await mkdir(join(dir, "shop"))
    await writeFile(join(dir, "shop", "0001_initial.sql"), "SELECT 1;")
    await writeFile(join(dir, "0002_b.sql"), "SELECT 2;")
    await writeFile(join(dir, "notes.txt"), "not sql")
    await mkdir(join(dir, "empty"))
  })
  after(() => rm(dir, { recursive: true, force: true }))

  it("reads files as given and folders as their .sql files sorted by path", async () => {
    const files = await readSqlInputs([join(dir, "shop", "0001_initial.sql"), dir])
    expect(files.map((f) => [f.path.slice(dir.length), f.content])).to.deep.equal([
      ["/shop/0001_initial.sql", "SELECT 1;"],
      ["/0002_b.sql", "SELECT 2;"],
      ["/shop/0001_initial.sql", "SELECT 1;"],
    ])
  })

  it("says what to pass when a path is missing or a folder has no SQL", async () => {
    const missing = join(dir, "nope")
    let error = await readSqlInputs([missing]).catch((e: unknown) => e)
    expect(error).to.be.instanceOf(InputError)
    expect((error as Error).message).to.equal(
      `no file or folder ${missing}; pass the SQL that manage.py sqlmigrate prints, saved as .sql files`,
    )
    error = await readSqlInputs([join(dir, "empty")]).catch((e: unknown) => e)
    expect((error as Error).message).to.equal(
      `no .sql files in ${join(dir, "empty")}; save each migration's sqlmigrate output there as NNNN_name.sql`,
    )
  })

  it("hides passwords in database URLs", () => {
    expect(redactUrl("postgres://app:s3cret@db.example.com:5432/app")).to.equal(
      "postgres://app:***@db.example.com:5432/app",
    )
    expect(redactUrl("postgres://postgres@127.0.0.1/test")).to.equal("postgres://postgres@127.0.0.1/test")
    expect(redactUrl("not a url")).to.equal("(unparsable URL)")
  })
})
