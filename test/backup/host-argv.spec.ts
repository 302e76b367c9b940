/** The docker command lines that keep backups on the Docker host, whole. */
import { expect } from "chai"
import {
  copyIntoHolderArgv,
  createHolderArgv,
  holderName,
  hostBackupRef,
  hostLocationProblem,
  listHostBackupsArgv,
  removeHolderArgv,
  removeHostBackupsArgv,
} from "../../core/backup/host-argv.js"

const ID = "production-20240501T120304Z-3f2a9c1b0d4e"
const IMAGE = "registry.example.com/acme/webapp@sha256:abab"
const LOCATION = "/var/backups/deploy-pipeline/production"

describe("backup/host-argv", () => {
  it("creates a never-started holder with the location bind-mounted, copies into it, removes it", () => {
    expect(holderName(ID)).to.equal("deploy-pipeline-backup-production-20240501T120304Z-3f2a9c1b0d4e")
    expect(createHolderArgv("h", LOCATION, IMAGE)).to.deep.equal([
      "docker",
      "create",
      "--name",
      "h",
      "--label",
      "deploy-pipeline.role=backup-copy",
      "--network",
      "none",
      "--entrypoint",
      "true",
      "--volume",
      "/var/backups/deploy-pipeline/production:/backups",
      IMAGE,
    ])
    expect(copyIntoHolderArgv("h", `/scratch/.b/production/${ID}.dump`, `${ID}.dump`)).to.deep.equal([
      "docker",
      "cp",
      `/scratch/.b/production/${ID}.dump`,
      `h:/backups/${ID}.dump`,
    ])
    expect(removeHolderArgv("h")).to.deep.equal(["docker", "rm", "--force", "h"])
  })

  it("lists read-only and prunes as root in throwaway containers with no network", () => {
    expect(listHostBackupsArgv(LOCATION, IMAGE)).to.deep.equal([
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
      "/var/backups/deploy-pipeline/production:/backups:ro",
      IMAGE,
      "-1",
      "/backups",
    ])
    expect(removeHostBackupsArgv(LOCATION, IMAGE, ["a.dump", "a.json"])).to.deep.equal([
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
      "/var/backups/deploy-pipeline/production:/backups",
      IMAGE,
      "-f",
      "--",
      "/backups/a.dump",
      "/backups/a.json",
    ])
  })

  it("names the ledger location, and refuses locations --volume cannot bind", () => {
    expect(hostBackupRef(`${LOCATION}/`, `${ID}.dump`)).to.equal(`docker-host:${LOCATION}/${ID}.dump`)
    expect([LOCATION, "backups", "/a:b", "/a,b"].map(hostLocationProblem)).to.deep.equal([
      undefined,
      'deploy.backup.location must be an absolute path on the Docker host (a relative one would name a Docker volume); got "backups"',
      'deploy.backup.location cannot hold ":" or "," (docker --volume separators); got "/a:b"',
      'deploy.backup.location cannot hold ":" or "," (docker --volume separators); got "/a,b"',
    ])
  })
})
