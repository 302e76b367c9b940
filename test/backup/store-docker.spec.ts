/**
 * The Docker-host store on the real Docker engine: real backups of a real database, kept with
 * `docker create` + `docker cp` into a bind-mounted directory and pruned there by throwaway
 * containers of an image the host has. The engine is this machine's, so the "host directory" is
 * readable here and the kept bytes can be checked against the checksum.
 */
import { expect } from "chai"
import { createHash } from "node:crypto"
import { mkdtemp, readFile, readdir, rm } from "node:fs/promises"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { takeBackup } from "../../core/backup/backup.js"
import type { PgConn } from "../../core/backup/connection.js"
import { dockerHostStore } from "../../core/backup/store.js"
import { localExecutor } from "../../core/exec/local.js"
import { ensureTestImages, requireDocker } from "../helpers/docker-images.js"
import { type ScratchDatabase, manualClock } from "../helpers/postgres.js"
import { createShopDatabase } from "./shop.js"

describe("backup/store: dockerHostStore on the real Docker engine", function () {
  this.timeout(120_000)
  let db: ScratchDatabase
  let conn: PgConn
  let dir: string
  let image: string

  before(async () => {
    requireDocker()
    image = (await ensureTestImages()).app.v1!
    ;({ db, conn } = await createShopDatabase("hoststore"))
    dir = await mkdtemp(join(tmpdir(), "dp-hoststore-"))
  })
  after(async () => {
    await db?.drop()
    await rm(dir, { recursive: true, force: true })
  })

  it("keeps each verified dump and manifest in the host directory, byte for byte, and prunes beyond keep there", async () => {
    const location = join(dir, "host", "backups")
    const kept: string[] = []
    for (const at of ["2026-11-29T01:00:00Z", "2026-11-29T02:00:00Z"]) {
      const staging = join(dir, `staging-${kept.length}`)
      const store = dockerHostStore(localExecutor, staging)
      const backup = await takeBackup({
        env: "production",
        source: conn,
        location: store.staging("production"),
        keep: 5,
        verify: true,
        executor: localExecutor,
        clock: manualClock(at),
      })
      const result = await store.keep(backup, { env: "production", location, keep: 1, image })
      expect(result.ref).to.deep.equal({
        id: backup.id,
        location: `docker-host:${location}/${backup.id}.dump`,
        sha256: backup.sha256,
      })
      expect(result.warnings).to.deep.equal([])
      expect(
        createHash("sha256")
          .update(await readFile(join(location, `${backup.id}.dump`)))
          .digest("hex"),
      ).to.equal(backup.sha256)
      expect(JSON.parse(await readFile(join(location, `${backup.id}.json`), "utf8"))).to.deep.include({
        id: backup.id,
        sha256: backup.sha256,
        verified: true,
      })
      expect(await readdir(dir)).to.not.include(`staging-${kept.length}`)
      kept.push(backup.id)
      if (kept.length === 2) expect(result.pruned).to.deep.equal([kept[0]])
    }
    expect((await readdir(location)).sort()).to.deep.equal([`${kept[1]}.dump`, `${kept[1]}.json`])
  })
})
