/** Retention: which dumps go, on paper and on disk. */
import { expect } from "chai"
import { mkdtemp, readdir, rm, writeFile } from "node:fs/promises"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { choosePrune, pruneBackups } from "../../core/backup/prune.js"

const id = (day: string) => `production-202405${day}T120000Z-0123456789ab`

describe("backup/prune", () => {
  it("keeps the newest keep ids and the one just made", () => {
    const ids = [id("03"), id("01"), id("04"), id("02")]
    expect(choosePrune(ids, 2, id("04"))).to.deep.equal([id("01"), id("02")])
    expect(choosePrune(ids, 4, id("04"))).to.deep.equal([])
    expect(choosePrune(ids, 1, id("04"))).to.deep.equal([id("01"), id("02"), id("03")])
    expect(choosePrune([id("04")], 1, id("04"))).to.deep.equal([])
  })

  it("never prunes the one just made, even when a skewed clock sorts it oldest", () => {
    expect(choosePrune([id("01"), id("02"), id("03")], 2, id("01"))).to.deep.equal([id("02")])
    expect(choosePrune([id("01"), id("02"), id("03")], 1, id("01"))).to.deep.equal([id("02"), id("03")])
  })

  describe("on disk", () => {
    let dir: string
    beforeEach(async () => (dir = await mkdtemp(join(tmpdir(), "dp-prune-"))))
    afterEach(async () => rm(dir, { recursive: true, force: true }))

    it("deletes old dumps with their manifests and leaves other files alone", async () => {
      const names = [
        `${id("01")}.dump`,
        `${id("01")}.json`,
        `${id("02")}.dump`,
        `${id("02")}.json`,
        `${id("03")}.dump`,
        `${id("03")}.json`,
        "staging-20240501T120000Z-0123456789ab.dump",
        "notes.txt",
      ]
      for (const name of names) await writeFile(join(dir, name), "x")
      expect(await pruneBackups(dir, "production", 2, id("03"))).to.deep.equal([id("01")])
      expect((await readdir(dir)).sort()).to.deep.equal([
        "notes.txt",
        `${id("02")}.dump`,
        `${id("02")}.json`,
        `${id("03")}.dump`,
        `${id("03")}.json`,
        "staging-20240501T120000Z-0123456789ab.dump",
      ])
    })
  })
})
