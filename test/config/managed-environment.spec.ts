/** The effective config of an environment that runs its own services: exact, from the shipped files. */
import { readFileSync, readdirSync } from "node:fs"
import { join } from "node:path"
import { expect } from "chai"
import { loadEnvironments } from "../../core/config/load.js"
import { withManagedServices } from "../../core/config/managed-environment.js"
import { ROOT } from "../helpers/paths.js"

const shipped = () => {
  const dir = join(ROOT, "environments")
  return readdirSync(dir).map((name) => ({ path: join(dir, name), content: readFileSync(join(dir, name)) }))
}
const environment = (name: string) => loadEnvironments(shipped()).environments.find((e) => e.name === name)!.config

describe("config/managed-environment", () => {
  it("gives development's app the services at their aliases, and credentials the deploy fills in", () => {
    const { services, secrets } = environment("development")
    expect(services).to.deep.equal({
      managed: true,
      postgres: { host: "db", port: 5432, database: "webapp", user: "webapp", version: 17 },
      memcached: { host: "cache", port: 11211 },
      rabbitmq: { host: "queue", port: 5672, vhost: "/", user: "webapp" },
    })
    expect(secrets).to.deep.equal({
      SECRET_KEY: "env:DJANGO_SECRET_KEY",
      POSTGRES_PASSWORD: "env:DEPLOY_PIPELINE_MANAGED_POSTGRES_PASSWORD",
      RABBITMQ_URL: "env:DEPLOY_PIPELINE_MANAGED_RABBITMQ_URL",
    })
  })

  it("keeps a secret the environment names itself, and leaves every other tier as written", () => {
    const development = environment("development")
    const own = withManagedServices({
      ...development,
      secrets: { SECRET_KEY: "env:K", POSTGRES_PASSWORD: "env:MY_PG" },
    })
    expect(own.secrets).to.deep.equal({
      SECRET_KEY: "env:K",
      POSTGRES_PASSWORD: "env:MY_PG",
      RABBITMQ_URL: "env:DEPLOY_PIPELINE_MANAGED_RABBITMQ_URL",
    })
    for (const name of ["testing", "staging", "production"]) {
      const config = environment(name)
      expect(withManagedServices(config)).to.equal(config)
      expect(config.services.postgres.host).to.equal("db")
    }
  })

  it("leaves development alone when it sets managed: false", () => {
    const development = environment("development")
    const unmanaged = { ...development, services: { ...development.services, managed: false } }
    expect(withManagedServices(unmanaged)).to.equal(unmanaged)
  })
})
