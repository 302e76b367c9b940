/** The Docker-host store: exact docker commands through the executor, files named for mounting, the ledger ref, pruning, failures. */
import { expect } from "chai"
import { access, mkdir, mkdtemp, rm, writeFile } from "node:fs/promises"
import { tmpdir } from "node:os"
import { join } from "node:path"
import type { BackupResult } from "../../core/backup/backup.js"
import { BackupStoreError } from "../../core/backup/errors.js"
import { dockerHostStore } from "../../core/backup/store.js"
import { FakeDockerHost } from "../helpers/fake-docker-host.js"

const ID = "production-20240501T120304Z-3f2a9c1b0d4e"
const IMAGE = "registry.example.com/acme/webapp@sha256:abab"
const LOCATION = "/var/backups/deploy-pipeline/production"
const OLD = ["production-20240301T000000Z-aaaaaaaaaaaa", "production-20240401T000000Z-bbbbbbbbbbbb"]

describe("backup/store: dockerHostStore", () => {
  let root: string
  let backup: BackupResult
  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), "dp-store-"))
    const staging = join(root, "production")
    await mkdir(staging)
    await writeFile(join(staging, `${ID}.dump`), "dump")
    await writeFile(join(staging, `${ID}.json`), "{}")
    backup = { id: ID, file: join(staging, `${ID}.dump`), sha256: "3f2a9c1b0d4e".padEnd(64, "0") } as BackupResult
  })
  afterEach(() => rm(root, { recursive: true, force: true }))

  it("copies the dump and manifest into the host location, prunes beyond keep there, and removes the staging copy", async () => {
    const docker = new FakeDockerHost((argv) =>
      argv.includes("ls")
        ? {
            stdout: [
              ...OLD.map((id) => `${id}.dump`),
              ...OLD.map((id) => `${id}.json`),
              `${ID}.dump`,
              "lost+found",
              "",
            ].join("\n"),
          }
        : {},
    )
    const store = dockerHostStore(docker, root)
    expect(store.staging("production")).to.equal(join(root, "production"))
    const kept = await store.keep(backup, { env: "production", location: LOCATION, keep: 2, image: IMAGE })
    expect(kept).to.deep.equal({
      ref: { id: ID, location: `docker-host:${LOCATION}/${ID}.dump`, sha256: backup.sha256 },
      pruned: [OLD[0]],
      warnings: [],
    })
    const holder = `deploy-pipeline-backup-${ID}`
    expect(docker.calls).to.deep.equal([
      [
        [
          "docker",
          "create",
          "--name",
          holder,
          "--label",
          "deploy-pipeline.role=backup-copy",
          "--network",
          "none",
          "--entrypoint",
          "true",
          "--volume",
          `${LOCATION}:/backups`,
          IMAGE,
        ],
        {},
      ],
      [["docker", "cp", backup.file, `${holder}:/backups/${ID}.dump`], { inputFiles: [backup.file] }],
      [
        ["docker", "cp", join(root, "production", `${ID}.json`), `${holder}:/backups/${ID}.json`],
        { inputFiles: [join(root, "production", `${ID}.json`)] },
      ],
      [["docker", "rm", "--force", holder], undefined],
      [
        [
          "docker",
          "run",
          "--rm",
          "--network",
          "none",
          "--user",
          "0:0",
          "--entrypoint",
          "ls",
          "--volume",
          `${LOCATION}:/backups:ro`,
          IMAGE,
          "-1",
          "/backups",
        ],
        undefined,
      ],
      [
        [
          "docker",
          "run",
          "--rm",
          "--network",
          "none",
          "--user",
          "0:0",
          "--entrypoint",
          "rm",
          "--volume",
          `${LOCATION}:/backups`,
          IMAGE,
          "-f",
          "--",
          `/backups/${OLD[0]}.dump`,
          `/backups/${OLD[0]}.json`,
        ],
        undefined,
      ],
    ])
    expect(
      await access(root).then(
        () => "present",
        () => "gone",
      ),
    ).to.equal("gone")
  })

  it("fails when the copy fails, still removing the holder; a failed prune is only a warning", async () => {
    const failing = new FakeDockerHost((argv) =>
      argv[1] === "cp" ? { exitCode: 1, stderr: "Error: No such container:path\n" } : {},
    )
    const error = await dockerHostStore(failing, root)
      .keep(backup, { env: "production", location: LOCATION, keep: 2, image: IMAGE })
      .then(
        () => expect.fail("kept"),
        (e: Error) => e,
      )
    expect(error).to.be.instanceOf(BackupStoreError)
    expect(error.message).to.equal(
      "docker exited with 1: Error: No such container:path; the backup was taken and verified but not kept on the Docker host",
    )
    expect(failing.calls.map(([argv]) => argv.slice(0, 2))).to.deep.equal([
      ["docker", "create"],
      ["docker", "cp"],
      ["docker", "rm"],
    ])

    const noLs = new FakeDockerHost((argv) =>
      argv.includes("ls") ? { exitCode: 127, stderr: 'exec: "ls": executable file not found in $PATH\n' } : {},
    )
    const kept = await dockerHostStore(noLs, root).keep(backup, {
      env: "production",
      location: LOCATION,
      keep: 2,
      image: IMAGE,
    })
    expect(kept.warnings).to.deep.equal([
      `old backups in ${LOCATION} on the Docker host were not pruned (docker exited with 127: exec: "ls": executable file not found in $PATH); delete the oldest by hand`,
    ])
  })

  it("fetches a kept backup's dump and manifest back into staging for a restore, named as files the command writes", async () => {
    const docker = new FakeDockerHost()
    const ref = { id: ID, location: `docker-host:${LOCATION}/${ID}.dump`, sha256: backup.sha256 }
    const fetched = await dockerHostStore(docker, root).fetch(ref, IMAGE)
    const holder = `deploy-pipeline-backup-${ID}`
    expect(fetched.dir).to.equal(join(root, "restore"))
    expect(docker.calls).to.deep.equal([
      [
        [
          "docker",
          "create",
          "--name",
          holder,
          "--label",
          "deploy-pipeline.role=backup-copy",
          "--network",
          "none",
          "--entrypoint",
          "true",
          "--volume",
          `${LOCATION}:/backups`,
          IMAGE,
        ],
        {},
      ],
      [
        ["docker", "cp", `${holder}:/backups/${ID}.dump`, join(root, "restore", `${ID}.dump`)],
        { outputFiles: [join(root, "restore", `${ID}.dump`)] },
      ],
      [
        ["docker", "cp", `${holder}:/backups/${ID}.json`, join(root, "restore", `${ID}.json`)],
        { outputFiles: [join(root, "restore", `${ID}.json`)] },
      ],
      [["docker", "rm", "--force", holder], undefined],
    ])
    await fetched.done()
    expect(
      await access(root).then(
        () => true,
        () => false,
      ),
    ).to.equal(false)
  })

  it("refuses to fetch a backup kept elsewhere, and says why a failed copy restored nothing", async () => {
    const local = await dockerHostStore(new FakeDockerHost(), root)
      .fetch({ id: ID, location: `/srv/backups/${ID}.dump`, sha256: backup.sha256 }, IMAGE)
      .then(
        () => expect.fail("fetched"),
        (e: Error) => e,
      )
    expect(local.message).to.equal(
      `backup ${ID} is kept at /srv/backups/${ID}.dump, not on the Docker host; restore it with the CLI on the machine that has that directory`,
    )
    const failing = new FakeDockerHost((argv) =>
      argv[1] === "cp" ? { exitCode: 1, stderr: "Error: Could not find the file /backups/x\n" } : {},
    )
    const error = await dockerHostStore(failing, root)
      .fetch({ id: ID, location: `docker-host:${LOCATION}/${ID}.dump`, sha256: backup.sha256 }, IMAGE)
      .then(
        () => expect.fail("fetched"),
        (e: Error) => e,
      )
    expect(error.message).to.equal(
      "docker exited with 1: Error: Could not find the file /backups/x; the backup could not be read from the Docker host, so nothing was restored",
    )
    expect(failing.calls.map(([argv]) => argv.slice(0, 2))).to.deep.equal([
      ["docker", "create"],
      ["docker", "cp"],
      ["docker", "rm"],
    ])
  })

  it("refuses a location docker cannot bind-mount before running anything", async () => {
    const docker = new FakeDockerHost()
    const error = await dockerHostStore(docker, root)
      .keep(backup, { env: "production", location: "backups", keep: 2, image: IMAGE })
      .then(
        () => expect.fail("kept"),
        (e: Error) => e,
      )
    expect(error.message).to.equal(
      `deploy.backup.location must be an absolute path on the Docker host (a relative one would name a Docker volume); got "backups"; the backup ${ID} was taken and verified but not kept`,
    )
    expect(docker.calls).to.deep.equal([])
  })
})
