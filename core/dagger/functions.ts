/**
 * The Dagger functions' bodies (their doc comments stay on the class in src/index.ts). Each loads
 * what it needs when it runs: a call is two runtime processes (constructor, then function), and
 * each would otherwise load the whole core (docs/architecture.md, "What a call loads"). The
 * deploy-side functions hand their parameters to the same commands the CLI calls
 * (core/dagger/commands.ts); the build side runs the stages in core/stages/.
 */
import { randomUUID } from "node:crypto"
import { type Directory, dag } from "@dagger.io/dagger"
import { ENVIRONMENTS_DIR, REPRODUCIBLE_CREATED } from "../constants.js"
import type { ModuleFunctions, ModuleState } from "./functions-contract.js"
import { settled } from "./settled.js"

// The config layer (yaml, zod) is loaded only by the functions that read an environment.
const environmentFiles = async (state: ModuleState) =>
  (await import("./environment-files.js")).readEnvironmentFiles(state.environments, ENVIRONMENTS_DIR)
const loadEnvironment = async (environments: Directory, env: string) =>
  (await import("./environment.js")).loadEnvironment(environments, env)

const stages = {
  build: () => import("../stages/build.js"),
  failure: () => import("../stages/failure.js"),
}

const deploySide = async () => (await import("./commands.js")).daggerCommands()

/** The build functions' defaults, which `scan` and `ci` build with: production, reproducible. */
const DEFAULT_LABELS = {
  target: "production",
  version: "dev",
  revision: "unknown",
  sourceUrl: "unknown",
  created: REPRODUCIBLE_CREATED,
}

export const functions: ModuleFunctions = {
  async configCheck(state, env) {
    const { configCheck } = await import("../commands/config-check.js")
    return settled(configCheck(await environmentFiles(state), ENVIRONMENTS_DIR, env))
  },

  async plan(state, { env, image, json }) {
    const { planCommand } = await import("../commands/plan.js")
    return settled(planCommand(await environmentFiles(state), ENVIRONMENTS_DIR, { env, image, json }))
  },

  async lint(state) {
    const [{ runStage }, { lintReport }] = await Promise.all([stages.failure(), import("../stages/lint.js")])
    return runStage("lint", () => lintReport(state.source, state.environments))
  },

  async test(state, env) {
    const [{ runStage }, { testReports }] = await Promise.all([stages.failure(), import("../stages/test.js")])
    const { config } = await loadEnvironment(state.environments, env)
    const reports = testReports(state.source, config)
    await runStage("test", () => reports.sync())
    return reports
  },

  async build(state, platform, labels) {
    const [{ runStage }, { buildImage }] = await Promise.all([stages.failure(), stages.build()])
    const image = buildImage(state.source, { platform, ...labels })
    await runStage("build", () => image.sync())
    return image
  },

  async buildMultiArch(state, platforms, labels) {
    const [{ runStage }, { buildPlatforms }] = await Promise.all([stages.failure(), stages.build()])
    const images = buildPlatforms(state.source, platforms, labels)
    await runStage("build", () => Promise.all(images.map((image) => image.sync())))
    return images
  },

  async publish(state, { address, username, password, platforms }, labels) {
    const [{ runStage }, { buildPlatforms, publishImage }] = await Promise.all([stages.failure(), stages.build()])
    const variants = buildPlatforms(state.source, platforms, labels)
    return runStage("publish", () => publishImage(variants, address, username, password))
  },

  async scan(state, env, platforms) {
    const [{ buildImage }, { scanSettings }, { scanContainer, scanDbDay }] = await Promise.all([
      stages.build(),
      import("../stages/commands.js"),
      import("../stages/scan.js"),
    ])
    const { config } = await loadEnvironment(state.environments, env)
    const settings = scanSettings(config)
    const images = platforms.map((platform) => ({
      platform,
      image: buildImage(state.source, { platform, ...DEFAULT_LABELS }),
    }))
    return {
      scanner: scanContainer(state.source, images, settings, scanDbDay(new Date())),
      targets: [...platforms, "source"],
      severity: [...settings.severity],
      ignoreUnfixed: settings.ignoreUnfixed,
    }
  },

  async scanCheck(scan) {
    const { scanCheck } = await import("../stages/scan.js")
    return scanCheck(scan)
  },

  async ci(state, env, platforms) {
    const [{ runConcurrently }, { StageError }] = await Promise.all([import("../stages/ci.js"), stages.failure()])
    const { ok, summary } = await runConcurrently({
      lint: () => functions.lint(state),
      test: async () => `reports: ${(await (await functions.test(state, env)).entries()).join(", ")}`,
      scan: async () => functions.scanCheck(await functions.scan(state, env, platforms)),
      build: async () =>
        `built ${(await functions.buildMultiArch(state, platforms, DEFAULT_LABELS)).length} platform images: ${platforms.join(", ")}`,
    })
    if (!ok) throw new StageError("ci", summary)
    return summary
  },

  async dev(state, env) {
    const { devService } = await import("../stages/dev.js")
    const { config } = await loadEnvironment(state.environments, env)
    return devService(state.source, config)
  },

  async loadTest({ url, users, duration, json }) {
    const { loadTestReport } = await import("../stages/load-test.js")
    return loadTestReport(
      url,
      {
        ...(users !== undefined ? { users } : {}),
        ...(duration !== undefined ? { duration } : {}),
        runId: randomUUID(),
      },
      { json },
    )
  },

  async alerts(state, env) {
    const { alertsCommand } = await import("../commands/alerts.js")
    const rules = await settled(alertsCommand(await environmentFiles(state), ENVIRONMENTS_DIR, env))
    return dag.directory().withNewFile(`${env}-alerts.yml`, `${rules}\n`).file(`${env}-alerts.yml`)
  },

  async checkMigrations(state, { env, migrations, json }) {
    const [{ runStage }, { pendingMigrationSql }, { readSqlFiles }, { migrationsCheck }] = await Promise.all([
      stages.failure(),
      import("../stages/migrations.js"),
      import("./sql-files.js"),
      import("../commands/migrations-check.js"),
    ])
    const environment = await loadEnvironment(state.environments, env)
    const dir = migrations ?? pendingMigrationSql(state.source, environment.config, randomUUID())
    const files = await runStage("check-migrations", () => readSqlFiles(dir, "migrations"))
    if (files.length === 0) return `${env}: no pending migrations`
    return settled(
      await migrationsCheck(files, {
        pgVersion: String(environment.config.services.postgres.version),
        format: json ? "json" : "text",
      }),
    )
  },

  async rehearseMigrations(state, { env, image, json, requestedBy, sshKey, dockerSocket, postgres }) {
    const [{ guarded }, { migrationsRehearse }, { daggerEngine }, { debugRequested }, { progress }] = await Promise.all(
      [
        import("../commands/error-outcome.js"),
        import("../commands/migrations-rehearse.js"),
        import("./engine.js"),
        import("../errors/describe.js"),
        import("./commands.js"),
      ],
    )
    const environment = await loadEnvironment(state.environments, env)
    const access = { ...(sshKey ? { sshKey } : {}), dockerSocket, postgres, requestedBy, log: progress }
    return settled(
      await guarded(debugRequested(), async () =>
        migrationsRehearse(
          { env: environment, image, requestedBy, format: json ? "json" : "text" },
          await daggerEngine(environment, access),
        ),
      ),
    )
  },

  async deploy(state, { env, migrations, ...a }) {
    const { readSqlFiles } = await import("./sql-files.js")
    const sql = migrations ? { migrations: await readSqlFiles(migrations, "migrations") } : {}
    return settled((await deploySide()).deploy(await loadEnvironment(state.environments, env), { ...a, ...sql }))
  },

  async rollback(state, { env, ...a }) {
    return settled((await deploySide()).rollback(await loadEnvironment(state.environments, env), a))
  },

  async restoreBackup(state, { env, ...a }) {
    return settled((await deploySide()).restoreBackup(await loadEnvironment(state.environments, env), a))
  },

  async scale(state, { env, ...a }) {
    return settled((await deploySide()).scale(await loadEnvironment(state.environments, env), a))
  },

  async status(state, { env, ...a }) {
    return settled((await deploySide()).status(await loadEnvironment(state.environments, env), a))
  },

  async history(state, { env, ...a }) {
    return settled((await deploySide()).history(await loadEnvironment(state.environments, env), a))
  },

  async lockStatus(state, { env, ...a }) {
    return settled((await deploySide()).lockStatus(await loadEnvironment(state.environments, env), a))
  },

  async lockRelease(state, { env, ...a }) {
    return settled((await deploySide()).lockRelease(await loadEnvironment(state.environments, env), a))
  },
}
