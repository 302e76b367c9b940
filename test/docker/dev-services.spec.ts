/** The managed services' docker argv, whole, and the parsing of docker's answers. */
import { expect } from "chai"
import {
  type DevServiceContainer,
  inspectDevService,
  parseDevServiceState,
  parsePublishedPort,
  publishedPort,
  runDevService,
} from "../../core/docker/dev-services.js"

const postgres: DevServiceContainer = {
  name: "webapp-development-postgres",
  image: "postgres:17.2",
  network: "webapp-development-net",
  alias: "db",
  port: 5432,
  volume: { name: "webapp-development-postgres-data", target: "/var/lib/postgresql/data" },
  labels: { "deploy-pipeline.project": "webapp-development", "deploy-pipeline.role": "service" },
  env: { POSTGRES_USER: "webapp", POSTGRES_DB: "webapp" },
  secretNames: ["POSTGRES_PASSWORD"],
}

describe("docker/dev-services", () => {
  it("inspects a service container's id, state and image", () => {
    expect(inspectDevService("webapp-development-postgres")).to.deep.equal([
      "docker",
      "container",
      "inspect",
      "--format",
      "{{.Id}}\t{{.State.Status}}\t{{.Config.Image}}",
      "webapp-development-postgres",
    ])
  })

  it("runs Postgres on the network under its alias, with its volume, its port on 127.0.0.1 and the password by name", () => {
    expect(runDevService(postgres)).to.deep.equal([
      "docker",
      "run",
      "--detach",
      "--name",
      "webapp-development-postgres",
      "--network",
      "webapp-development-net",
      "--network-alias",
      "db",
      "--label",
      "deploy-pipeline.project=webapp-development",
      "--label",
      "deploy-pipeline.role=service",
      "--restart",
      "unless-stopped",
      "--volume",
      "webapp-development-postgres-data:/var/lib/postgresql/data",
      "--publish",
      "127.0.0.1::5432",
      "--env",
      "POSTGRES_USER=webapp",
      "--env",
      "POSTGRES_DB=webapp",
      "--env",
      "POSTGRES_PASSWORD",
      "postgres:17.2",
    ])
  })

  it("runs a service that keeps no data without a volume", () => {
    const memcached: DevServiceContainer = {
      name: "webapp-development-memcached",
      image: "memcached:1.6.34-alpine",
      network: "webapp-development-net",
      alias: "cache",
      port: 11211,
      labels: {},
      env: {},
      secretNames: [],
    }
    expect(runDevService(memcached)).to.deep.equal([
      "docker",
      "run",
      "--detach",
      "--name",
      "webapp-development-memcached",
      "--network",
      "webapp-development-net",
      "--network-alias",
      "cache",
      "--restart",
      "unless-stopped",
      "--publish",
      "127.0.0.1::11211",
      "memcached:1.6.34-alpine",
    ])
  })

  it("gives a container its host name when the plan sets one", () => {
    const rabbitmq: DevServiceContainer = {
      name: "webapp-development-rabbitmq",
      hostname: "webapp-development-rabbitmq",
      image: "rabbitmq:3.13.7-alpine",
      network: "webapp-development-net",
      alias: "queue",
      port: 5672,
      labels: {},
      env: {},
      secretNames: ["RABBITMQ_DEFAULT_PASS"],
    }
    expect(runDevService(rabbitmq)).to.deep.equal([
      "docker",
      "run",
      "--detach",
      "--name",
      "webapp-development-rabbitmq",
      "--hostname",
      "webapp-development-rabbitmq",
      "--network",
      "webapp-development-net",
      "--network-alias",
      "queue",
      "--restart",
      "unless-stopped",
      "--publish",
      "127.0.0.1::5672",
      "--env",
      "RABBITMQ_DEFAULT_PASS",
      "rabbitmq:3.13.7-alpine",
    ])
  })

  it("asks for the published port of the service's TCP port", () => {
    expect(publishedPort("webapp-development-rabbitmq", 5672)).to.deep.equal([
      "docker",
      "port",
      "webapp-development-rabbitmq",
      "5672/tcp",
    ])
  })

  it("reads the 127.0.0.1 port from docker port's lines", () => {
    expect(parsePublishedPort("127.0.0.1:49153\n")).to.equal(49153)
    expect(parsePublishedPort("0.0.0.0:5000\n127.0.0.1:49154\n")).to.equal(49154)
    expect(parsePublishedPort("")).to.equal(undefined)
    expect(parsePublishedPort("[::1]:49155\n")).to.equal(undefined)
  })

  it("reads inspect's line, and nothing from a malformed one", () => {
    expect(parseDevServiceState("sha256abc\trunning\tpostgres:17.2\n")).to.deep.equal({
      id: "sha256abc",
      state: "running",
      image: "postgres:17.2",
    })
    expect(parseDevServiceState("sha256abc\texited\tdeploy-pipeline-test/postgres:15")).to.deep.equal({
      id: "sha256abc",
      state: "exited",
      image: "deploy-pipeline-test/postgres:15",
    })
    expect(parseDevServiceState("")).to.equal(undefined)
    expect(parseDevServiceState("abc\trunning")).to.equal(undefined)
  })
})
