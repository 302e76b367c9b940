/** The plan is derived purely from the config: exact steps per tier and exact text. */
import { expect } from "chai"
import { buildPlan } from "../../core/plan/plan.js"
import { renderPlanJson, renderPlanText } from "../../core/plan/render.js"
import { IMAGE, shippedEnvironment } from "../helpers/environments.js"

describe("plan/plan", () => {
  it("gates production with approval and a verified backup before anything changes", () => {
    const plan = buildPlan(shippedEnvironment("production"), IMAGE)
    expect(plan.steps.map((s) => s.id)).to.deep.equal([
      "approve",
      "lock",
      "record-start",
      "preflight",
      "backup",
      "migrate",
      "boot",
      "health-gate",
      "switch",
      "watch",
      "retire",
      "record-finish",
      "notify",
      "unlock",
    ])
    expect(plan.approval).to.deep.equal({ required: true, token: "production@0123456789ab" })
    expect(plan.backup).to.deep.equal({
      enabled: true,
      location: "/var/backups/deploy-pipeline/production",
      verify: true,
    })
    expect(plan.health).to.deep.equal({
      path: "/health/",
      host: { host: "localhost", from: "default" },
      expectStatus: 200,
      intervalMs: 1000,
      timeoutMs: 5000,
      healthyThreshold: 3,
      startDeadlineMs: 120_000,
      watchMs: 300_000,
    })
  })

  it("deploys development with no approval and no backup", () => {
    const plan = buildPlan(shippedEnvironment("development"), IMAGE)
    expect(plan.steps.map((s) => s.id)).to.deep.equal([
      "lock",
      "record-start",
      "preflight",
      "migrate",
      "boot",
      "health-gate",
      "switch",
      "watch",
      "retire",
      "record-finish",
      "notify",
      "unlock",
    ])
    expect(plan.approval).to.deep.equal({ required: false, token: null })
  })

  it("says what is wrong with a missing, malformed or unpinned image", () => {
    const staging = shippedEnvironment("staging")
    expect(buildPlan(staging).image).to.deep.equal({
      ref: null,
      pinned: false,
      problem: "no image given; pass --image registry.example.com/acme/webapp@sha256:…",
    })
    expect(buildPlan(staging, "Not An Image").image).to.deep.equal({
      ref: "Not An Image",
      pinned: false,
      problem: '"Not An Image" is not an image reference',
    })
    expect(buildPlan(staging, "registry.example.com/acme/webapp:1.2").image).to.deep.equal({
      ref: "registry.example.com/acme/webapp:1.2",
      pinned: false,
      problem: "not pinned to a digest; deploys refuse tags. Pass the ref@sha256:… that publish printed",
    })
    expect(buildPlan(staging).steps[0]).to.deep.equal({
      id: "approve",
      detail: "require --approve staging@<first 12 hex of the digest>, refused before anything changes",
    })
  })

  it("renders the production plan as exact text", () => {
    expect(renderPlanText(buildPlan(shippedEnvironment("production"), IMAGE))).to.equal(
      [
        `Plan: deploy to production (tier production, environments/production.yaml, config ${shippedEnvironment("production").hash.slice(0, 12)})`,
        "  target  compose on ssh://deploy@prod-1.example.com",
        `  image   ${IMAGE}`,
        "Services (who reaches each, where):",
        "  ledger, preflight, migrations gate, app containers, backup: postgres at db:5432 (from services.postgres)",
        "  preflight, app containers: memcached at cache:11211 (from services.memcached)",
        "  preflight, notifications, app containers: rabbitmq at queue:5672 (from services.rabbitmq)",
        "Steps (nothing has been changed):",
        "   1. approve        require --approve production@0123456789ab, refused before anything changes",
        "   2. lock           take the production deploy lock (wait up to 10m), released in finally; under it, unless --migrations gives the SQL, read the pending migrations from the new release (showmigrations --plan, then sqlmigrate, in a container of it) and refuse error findings, analysed against the database's schema, before anything changes; with no release live in production, a first deploy reports them ungated",
        '   3. record-start   ledger row "started" in webapp.deploy_pipeline',
        "   4. preflight      Docker host ssh://deploy@prod-1.example.com reachable, image present, ledger database, postgres db:5432 (must answer), memcached cache:11211 and rabbitmq queue:5672 (a warning if not)",
        "   5. backup         pg_dump -Fc of webapp to /var/backups/deploy-pipeline/production with sha256, verified by a restore into a scratch database; keep 30",
        "   6. migrate        `python manage.py migrate --noinput` in the new release, blocked on error findings, lock_timeout 2s, statement_timeout 5m",
        "   7. boot           start 3 replica(s) as the idle colour (blue/green): cpus 2, memory 1G, restart on-failure (max 5)",
        "   8. health-gate    GET /health/ with Host: localhost (the default; set health.host to a name ALLOWED_HOSTS lists) must answer 200 with the new version 3 times in a row, every 1s (timeout 5s), within 2m; on failure the old release keeps serving",
        "   9. switch         point the HAProxy proxy (port 80) at the new colour through its runtime API, the old colour as its fallback until the watch ends",
        "  10. watch          watch health through the proxy (the same Host) for 5m; a failure switches back to the old release and records rolled_back",
        "  11. retire         stop the old release, keep the last 5 for a fast rollback",
        '  12. record-finish  ledger row "succeeded" with image, config hash, duration, backup id',
        "  13. notify         publish production.<event> to the deploy-pipeline.events exchange (persistent, confirmed)",
        "  14. unlock         release the deploy lock",
      ].join("\n"),
    )
  })

  it("with deploy.keep_warm, retire keeps the old release running out of the route for the window, and says what memory it holds", () => {
    const staging = shippedEnvironment("staging")
    const warm = (driver: "compose" | "swarm") => ({
      ...staging,
      config: { ...staging.config, deploy: { ...staging.config.deploy, driver, keep_warm: 600_000 } },
    })
    const retire = (driver: "compose" | "swarm") =>
      buildPlan(warm(driver), IMAGE).steps.find((s) => s.id === "retire")!.detail
    const { replicas, resources } = staging.config.runtime
    expect(retire("compose")).to.equal(
      `take the old release out of the route and keep it running for 10m, warm: a rollback to it is one probe and a switch (${replicas} replica(s) × ${resources.limits.memory} memory stay in use), then it stops itself; keep the last ${staging.config.deploy.retain} for a fast rollback`,
    )
    expect(retire("swarm")).to.equal(
      "scale the old colour's service to 0, its spec kept for a fast rollback (deploy.keep_warm does not apply to the swarm driver)",
    )
  })

  it("describes the swarm driver's steps: a stack per colour, swarm's health first, the same switch, the old colour scaled to 0", () => {
    const staging = shippedEnvironment("staging")
    const swarm = {
      ...staging,
      config: { ...staging.config, deploy: { ...staging.config.deploy, driver: "swarm" as const } },
    }
    const detail = (id: string) => buildPlan(swarm, IMAGE).steps.find((s) => s.id === id)!.detail
    expect(detail("preflight")).to.match(/^Docker host \S+ reachable and a swarm manager, image present,/)
    expect(detail("boot")).to.match(
      /^start 2 replica\(s\) as the idle colour's stack \(webapp-staging-blue or -green, docker stack deploy\): /,
    )
    expect(detail("health-gate")).to.match(
      /^once swarm runs every task and calls it healthy, each task's GET \/health\/ with Host: localhost \(the default; set health\.host to a name ALLOWED_HOSTS lists\) must answer 200/,
    )
    expect(detail("switch")).to.match(
      /^make the new colour's slots ready in the HAProxy proxy \(port \d+\), which resolves tasks\.<service>, through its runtime API/,
    )
    expect(detail("retire")).to.equal("scale the old colour's service to 0, its spec kept for a fast rollback")
  })

  it("names the Host the health probes send, and where it comes from", () => {
    const production = shippedEnvironment("production")
    const withHealth = (health: { host: string }) => ({
      ...production,
      config: { ...production.config, health: { ...production.config.health, ...health } },
    })
    const gate = (environment: typeof production) =>
      buildPlan(environment, IMAGE).steps.find((s) => s.id === "health-gate")!.detail
    expect(gate(withHealth({ host: "www.example.com" }))).to.match(
      /^GET \/health\/ with Host: www\.example\.com \(health\.host\) must answer 200 /,
    )
    expect(buildPlan(withHealth({ host: "www.example.com" }), IMAGE).health.host).to.deep.equal({
      host: "www.example.com",
      from: "health.host",
    })
    const development = shippedEnvironment("development")
    const listed = {
      ...development,
      config: {
        ...development.config,
        app: { ...development.config.app, env: { ALLOWED_HOSTS: "*, .example.com,localhost" } },
      },
    }
    expect(gate(listed)).to.match(
      /^GET \/health\/ with Host: example\.com \(the first of app\.env\.ALLOWED_HOSTS\) must answer 200 /,
    )
  })

  it("says which view of each service each part uses: a Dagger host service, then services.<name>.deployer, then services.*", () => {
    const production = shippedEnvironment("production")
    const services = production.config.services
    // A database on the Docker host's loopback, which the app's containers reach as db.
    const viewed = {
      ...production,
      config: {
        ...production.config,
        services: {
          ...services,
          postgres: { ...services.postgres, deployer: { host: "127.0.0.1" } },
          rabbitmq: { ...services.rabbitmq, deployer: { host: "10.0.0.7", port: 5673 } },
        },
      },
    }
    const lines = (reach = {}) =>
      renderPlanText(buildPlan(viewed, IMAGE, reach))
        .split("\n")
        .slice(3, 7)
    expect(lines()).to.deep.equal([
      "Services (who reaches each, where):",
      "  ledger, preflight, migrations gate: postgres at 127.0.0.1:5432 (deployer view, from services.postgres.deployer); app containers, backup: postgres at db:5432",
      "  preflight, app containers: memcached at cache:11211 (from services.memcached)",
      "  preflight, notifications: rabbitmq at 10.0.0.7:5673 (deployer view, from services.rabbitmq.deployer); app containers: rabbitmq at queue:5672",
    ])
    expect(lines({ postgres: { host: "k3x9.dagger.local", port: 5432 } })[1]).to.equal(
      "  ledger, preflight, migrations gate: postgres at k3x9.dagger.local:5432 (deployer view, from --postgres); app containers, backup: postgres at db:5432",
    )
    expect(buildPlan(viewed, IMAGE).steps.find((s) => s.id === "preflight")!.detail).to.equal(
      "Docker host ssh://deploy@prod-1.example.com reachable, image present, ledger database, postgres 127.0.0.1:5432 (must answer), memcached cache:11211 and rabbitmq 10.0.0.7:5673 (a warning if not)",
    )
    expect(buildPlan(viewed, IMAGE).services[0]).to.deep.equal({
      service: "postgres",
      deployer: {
        parts: ["ledger", "preflight", "migrations gate"],
        host: "127.0.0.1",
        port: 5432,
        source: "deployer",
      },
      app: { parts: ["app containers", "backup"], host: "db", port: 5432 },
    })
  })

  it("says a lock with no wait fails at once", () => {
    expect(buildPlan(shippedEnvironment("development")).steps[0]).to.deep.equal({
      id: "lock",
      detail: "take the development deploy lock (fail at once if another deploy holds it), released in finally",
    })
  })

  it("renders JSON with the resolved configuration", () => {
    const environment = shippedEnvironment("staging")
    const json = JSON.parse(renderPlanJson(buildPlan(environment, IMAGE), environment))
    expect(json.environment).to.equal("staging")
    expect(json.approval).to.deep.equal({ required: true, token: "staging@0123456789ab" })
    expect(json.config.runtime.replicas).to.equal(2)
    expect(json.config.deploy.lock_wait).to.equal(300_000)
    expect(json.steps).to.have.length(13)
  })
})
