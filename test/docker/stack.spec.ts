/** The swarm driver's pure builders: one colour's stack file (exact, and valid Compose) and its docker argv. */
import { expect } from "chai"
import {
  colourStackFile,
  failedTasks,
  inspectServices,
  listServices,
  overlayNetworkCreate,
  serviceScale,
  serviceTasks,
  stackDeploy,
  stackRemove,
  swarmState,
} from "../../core/docker/stack.js"
import { compileComposeSchema } from "../ci/support/schemas.js"
import { shippedEnvironment } from "../helpers/environments.js"

const loadShipped = (name: string) => shippedEnvironment(name).config

describe("docker/stack", () => {
  const production = loadShipped("production")
  const spec = {
    image: "registry.example.com/acme/webapp@sha256:" + "a".repeat(64),
    network: "webapp-production-net",
    labels: { "deploy-pipeline.project": "webapp-production", "deploy-pipeline.role": "web" },
    env: { APP_VERSION: "aaaaaaaaaaaa", PORT: "8000" },
    secretNames: ["SECRET_KEY", "POSTGRES_PASSWORD"],
    replicas: 3,
    runtime: production.runtime,
    security: { ...production.security, read_only_root_fs: true },
    stopGraceSeconds: 10,
  }

  it("renders one web service: dnsrr, the release's labels, secrets by name only, runtime limits, start-first updates", () => {
    const { runtime } = production
    expect(colourStackFile(spec)).to.deep.equal({
      version: "3.8",
      services: {
        web: {
          image: spec.image,
          environment: ["APP_VERSION=aaaaaaaaaaaa", "PORT=8000", "SECRET_KEY", "POSTGRES_PASSWORD"],
          labels: spec.labels,
          networks: ["app"],
          stop_grace_period: "10s",
          read_only: true,
          volumes: [{ type: "tmpfs", target: "/tmp" }],
          deploy: {
            mode: "replicated",
            replicas: 3,
            endpoint_mode: "dnsrr",
            labels: spec.labels,
            resources: {
              limits: { cpus: String(runtime.resources.limits.cpus), memory: runtime.resources.limits.memory },
              reservations: {
                cpus: String(runtime.resources.reservations.cpus),
                memory: runtime.resources.reservations.memory,
              },
            },
            restart_policy: {
              condition: runtime.restart_policy.condition,
              delay: `${runtime.restart_policy.delay}ms`,
              max_attempts: runtime.restart_policy.max_attempts,
              window: `${runtime.restart_policy.window}ms`,
            },
            update_config: {
              parallelism: runtime.update_config.parallelism,
              delay: `${runtime.update_config.delay}ms`,
              order: "start-first",
              failure_action: runtime.update_config.failure_action,
              monitor: `${runtime.update_config.monitor}ms`,
            },
            rollback_config: { parallelism: runtime.update_config.parallelism, order: "start-first" },
          },
        },
      },
      networks: { app: { external: true, name: "webapp-production-net" } },
    })
  })

  it("is a valid Compose file for every shipped environment", () => {
    const validate = compileComposeSchema()
    for (const name of ["development", "testing", "staging", "production"]) {
      const config = loadShipped(name)
      const file = colourStackFile({
        ...spec,
        runtime: config.runtime,
        security: config.security,
        replicas: config.runtime.replicas,
      })
      expect(validate(file), `${name}: ${JSON.stringify(validate.errors)}`).to.equal(true)
    }
  })

  it("deploys from stdin with the file in an environment variable and the stack name as an argument, never re-resolving the pinned image", () => {
    expect(stackDeploy("webapp-production-green")).to.deep.equal([
      "sh",
      "-c",
      `printf '%s' "$DEPLOY_PIPELINE_STACK" | docker stack deploy --resolve-image never --compose-file - "$1"`,
      "sh",
      "webapp-production-green",
    ])
  })

  it("builds the inspection, scaling and removal argv exactly", () => {
    expect(swarmState()).to.deep.equal([
      "docker",
      "info",
      "--format",
      "{{.Swarm.LocalNodeState}} {{.Swarm.ControlAvailable}}",
    ])
    expect(overlayNetworkCreate("p-net", { "deploy-pipeline.project": "p" })).to.deep.equal([
      "docker",
      "network",
      "create",
      "--driver",
      "overlay",
      "--attachable",
      "--label",
      "deploy-pipeline.project=p",
      "p-net",
    ])
    expect(listServices("deploy-pipeline.project", "p")).to.deep.equal([
      "docker",
      "service",
      "ls",
      "--filter",
      "label=deploy-pipeline.project=p",
      "--format",
      "{{.Name}}",
    ])
    expect(inspectServices(["p-blue_web"])).to.deep.equal([
      "docker",
      "service",
      "inspect",
      "--format",
      '{{.Spec.Name}}\t{{.Spec.Mode.Replicated.Replicas}}\t{{index .Spec.Labels "deploy-pipeline.digest"}}\t{{index .Spec.Labels "deploy-pipeline.version"}}\t{{index .Spec.Labels "deploy-pipeline.colour"}}\t{{index .Spec.Labels "deploy-pipeline.deploy-id"}}',
      "p-blue_web",
    ])
    expect(serviceTasks("p-blue_web")).to.deep.equal([
      "docker",
      "service",
      "ps",
      "--no-trunc",
      "--filter",
      "desired-state=running",
      "--format",
      "{{.Name}}\t{{.ID}}\t{{.CurrentState}}\t{{.Error}}",
      "p-blue_web",
    ])
    expect(failedTasks("p-blue_web")).to.deep.equal([
      "docker",
      "service",
      "ps",
      "--no-trunc",
      "--filter",
      "desired-state=shutdown",
      "--format",
      "{{.Name}}\t{{.ID}}\t{{.CurrentState}}\t{{.Error}}",
      "p-blue_web",
    ])
    expect(serviceScale("p-blue_web", 0)).to.deep.equal(["docker", "service", "scale", "--detach", "p-blue_web=0"])
    expect(stackRemove("p-blue")).to.deep.equal(["docker", "stack", "rm", "p-blue"])
  })
})
