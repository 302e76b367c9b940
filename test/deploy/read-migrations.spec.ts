/** When a deploy given no --migrations reads them from the release, and how it says what it read (pure). The real read: real-django.spec.ts. */
import { expect } from "chai"
import * as docker from "../../core/docker/argv.js"
import { describeRead, readsPendingMigrations } from "../../core/deploy/read-migrations.js"
import { shippedEnvironment } from "../helpers/environments.js"

describe("deploy/read-migrations (pure)", () => {
  const config = (
    tier: "staging" | "production" | "testing" | "development",
    migrations: { run?: boolean; block_on?: "error" | "warning" | "never" } = {},
  ) => {
    const base = shippedEnvironment("staging").config
    return {
      ...base,
      tier,
      deploy: {
        ...base.deploy,
        migrations: { ...base.deploy.migrations, run: true, block_on: "error" as const, ...migrations },
      },
    }
  }

  it("reads where the gate can refuse and the deploy applies them: staging and production, block_on not never, migrations.run", () => {
    expect(readsPendingMigrations(config("staging"))).to.equal(true)
    expect(readsPendingMigrations(config("production", { block_on: "warning" }))).to.equal(true)
    expect(readsPendingMigrations(config("staging", { block_on: "never" }))).to.equal(false)
    expect(readsPendingMigrations(config("production", { run: false }))).to.equal(false)
    expect(readsPendingMigrations(config("testing"))).to.equal(false)
    expect(readsPendingMigrations(config("development"))).to.equal(false)
  })

  it("says which migrations it read and how", () => {
    expect(describeRead([{ app: "core", name: "0003_release_build_number" }], "0123456789ab")).to.equal(
      "read 1 pending migration from the release (showmigrations --plan, then sqlmigrate in a container of 0123456789ab): core.0003_release_build_number",
    )
    expect(
      describeRead(
        [
          { app: "core", name: "0003_a" },
          { app: "auth", name: "0012_b" },
        ],
        "0123456789ab",
      ),
    ).to.equal(
      "read 2 pending migrations from the release (showmigrations --plan, then sqlmigrate in a container of 0123456789ab): core.0003_a, auth.0012_b",
    )
    expect(describeRead([], "0123456789ab")).to.equal(
      "read no pending migration from the release (showmigrations --plan in a container of 0123456789ab)",
    )
  })

  it("removes a network it created for the read", () => {
    expect(docker.networkRemove("p-net")).to.deep.equal(["docker", "network", "rm", "p-net"])
  })
})
