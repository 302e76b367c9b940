/** Backup options from the shipped production environment. */
import { expect } from "chai"
import { backupSettings } from "../../core/backup/config.js"
import { shippedEnvironment } from "../helpers/environments.js"

describe("backup/config", () => {
  it("takes the source from services.postgres and the policy from deploy.backup, without a password", () => {
    expect(backupSettings("production", shippedEnvironment("production").config)).to.deep.equal({
      env: "production",
      source: { host: "db", port: 5432, user: "webapp", database: "webapp" },
      location: "/var/backups/deploy-pipeline/production",
      keep: 30,
      verify: true,
    })
  })
})
