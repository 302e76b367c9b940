/** What a development deploy's managed services are: names, images, aliases, volumes, credentials (pure). */
import { expect } from "chai"
import { IMAGES } from "../../core/constants.js"
import { DevServiceError, formatDevServiceFailure } from "../../core/deploy/dev-service-error.js"
import { DEV_SERVICE_PASSWORD, appSecrets, planDevServices } from "../../core/deploy/dev-services-plan.js"
import { shippedEnvironment } from "../helpers/environments.js"

const development = shippedEnvironment("development").config

describe("deploy/dev-services-plan", () => {
  it("plans the shipped development environment's three services, with the pinned images", () => {
    const net = "webapp-development-net"
    const labels = (service: string) => ({
      "deploy-pipeline.project": "webapp-development",
      "deploy-pipeline.role": "service",
      "deploy-pipeline.managed-service": service,
    })
    const volume = (service: string, target: string) => ({
      volume: { name: `webapp-development-${service}-data`, target },
    })
    const plan = planDevServices(development, "development")
    expect([plan.project, plan.network, plan.passwords]).to.deep.equal([
      "webapp-development",
      net,
      { POSTGRES_PASSWORD: DEV_SERVICE_PASSWORD, RABBITMQ_PASSWORD: DEV_SERVICE_PASSWORD },
    ])
    expect(plan.services.map((s) => [s.service, s.container, s.app, s.secretValues])).to.deep.equal([
      [
        "postgres",
        {
          name: "webapp-development-postgres",
          image: IMAGES.postgres,
          network: net,
          alias: "db",
          port: 5432,
          ...volume("postgres", "/var/lib/postgresql/data"),
          labels: labels("postgres"),
          env: { POSTGRES_USER: "webapp", POSTGRES_DB: "webapp" },
          secretNames: ["POSTGRES_PASSWORD"],
        },
        { host: "db", port: 5432 },
        { POSTGRES_PASSWORD: "development-only" },
      ],
      [
        "memcached",
        {
          name: "webapp-development-memcached",
          image: IMAGES.memcached,
          network: net,
          alias: "cache",
          port: 11211,
          labels: labels("memcached"),
          env: {},
          secretNames: [],
        },
        { host: "cache", port: 11211 },
        {},
      ],
      [
        "rabbitmq",
        {
          name: "webapp-development-rabbitmq",
          hostname: "webapp-development-rabbitmq",
          image: IMAGES.rabbitmq,
          network: net,
          alias: "queue",
          port: 5672,
          ...volume("rabbitmq", "/var/lib/rabbitmq"),
          labels: labels("rabbitmq"),
          env: { RABBITMQ_DEFAULT_USER: "webapp", RABBITMQ_DEFAULT_VHOST: "/" },
          secretNames: ["RABBITMQ_DEFAULT_PASS"],
        },
        { host: "queue", port: 5672 },
        { RABBITMQ_DEFAULT_PASS: "development-only" },
      ],
    ])
    const { postgres, memcached, rabbitmq } = development.services
    expect(plan.logins).to.deep.equal({ postgres, memcached, rabbitmq })
    expect(Object.keys(plan)).to.deep.equal(["project", "network", "passwords", "logins", "services"])
  })

  it("takes images from services.images and passwords from the environment's secrets", () => {
    const config = {
      ...development,
      services: { ...development.services, images: { postgres: "deploy-pipeline-test/postgres:15" } },
    }
    const plan = planDevServices(config, "dev-2", {
      POSTGRES_PASSWORD: "pg-secret",
      RABBITMQ_PASSWORD: "mq-secret",
      SECRET_KEY: "unused",
    })
    expect(plan.services.map((s) => [s.container.name, s.container.image, s.secretValues])).to.deep.equal([
      ["webapp-dev-2-postgres", "deploy-pipeline-test/postgres:15", { POSTGRES_PASSWORD: "pg-secret" }],
      ["webapp-dev-2-memcached", IMAGES.memcached, {}],
      ["webapp-dev-2-rabbitmq", IMAGES.rabbitmq, { RABBITMQ_DEFAULT_PASS: "mq-secret" }],
    ])
    expect(plan.passwords).to.deep.equal({ POSTGRES_PASSWORD: "pg-secret", RABBITMQ_PASSWORD: "mq-secret" })
  })

  it("refuses every tier above development", () => {
    for (const name of ["testing", "staging", "production"]) {
      const config = shippedEnvironment(name).config
      let refused: unknown
      try {
        planDevServices(config, name)
      } catch (error) {
        refused = error
      }
      expect(refused).to.be.instanceOf(DevServiceError)
      expect((refused as DevServiceError).code).to.equal("dev-service-refused")
      expect((refused as Error).message).to.equal(
        `services (container webapp-${name}-*, network webapp-${name}-net): ${name} is a ${config.tier} environment; only development runs its own Postgres, Memcached and RabbitMQ\n` +
          `next: point services.* at the ${config.tier} services, and remove services.managed from ${name}`,
      )
    }
  })

  it("gives the app its logins by the names its settings read, the vhost and password URL-encoded", () => {
    expect(appSecrets(planDevServices(development, "development"), development.services.rabbitmq)).to.deep.equal({
      POSTGRES_PASSWORD: "development-only",
      RABBITMQ_URL: "amqp://webapp:development-only@queue:5672/%2F",
    })
    const plan = planDevServices(development, "development", { RABBITMQ_PASSWORD: "p@ss/word" })
    expect(appSecrets(plan, { ...development.services.rabbitmq, vhost: "app" }).RABBITMQ_URL).to.equal(
      "amqp://webapp:p%40ss%2Fword@queue:5672/app",
    )
  })

  it("formats a failure with the driver's last lines indented and one next step", () => {
    const text = formatDevServiceFailure({
      kind: "docker",
      service: "postgres",
      container: "webapp-development-postgres",
      address: "postgres:17.2",
      what: "`docker start webapp-development-postgres` exited 1",
      said: "one\ntwo\nthree\nfour\nfive\nsix\n",
      next: "read its logs (docker logs webapp-development-postgres)",
    })
    expect(text).to.equal(
      "postgres (container webapp-development-postgres, postgres:17.2): `docker start webapp-development-postgres` exited 1\n" +
        "  two\n  three\n  four\n  five\n  six\n" +
        "next: read its logs (docker logs webapp-development-postgres)",
    )
  })
})
