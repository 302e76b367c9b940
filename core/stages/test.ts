/**
 * The test stage: Django's tests in a Python container bound to Postgres (data on tmpfs),
 * Memcached and RabbitMQ. Dependencies install from the requirements files alone, in their own
 * cached layer, before the source is copied; reports come back as a Directory.
 */
import { type Container, type Directory, type Service, dag } from "@dagger.io/dagger"
import type { EnvironmentConfig } from "../config/schema.js"
import { CACHE_VOLUMES, IMAGES, STAGE_INPUTS } from "../constants.js"
import { APP_DIR, REPORTS_DIR, installTestTools, pipInstall, testEnvironment, testStageExecs } from "./commands.js"

/** Postgres for tests: trust auth (it is reachable only from the test container) and data on tmpfs. */
export function postgresService(): Service {
  return dag
    .container()
    .from(IMAGES.postgres)
    .withEnvVariable("POSTGRES_HOST_AUTH_METHOD", "trust")
    .withEnvVariable("POSTGRES_DB", "app")
    .withMountedTemp("/var/lib/postgresql/data")
    .withExposedPort(5432)
    .asService({ useEntrypoint: true })
}

export function memcachedService(): Service {
  return dag.container().from(IMAGES.memcached).withExposedPort(11211).asService({ useEntrypoint: true })
}

export function rabbitmqService(): Service {
  return dag.container().from(IMAGES.rabbitmq).withExposedPort(5672).asService({ useEntrypoint: true })
}

/** The Python image with test tools and the app's dependencies: invalidated only by requirements changes. */
export function dependencyLayer(source: Directory): Container {
  return dag
    .container()
    .from(IMAGES.python)
    .withExec(installTestTools())
    .withMountedCache("/root/.cache/pip", dag.cacheVolume(CACHE_VOLUMES.pip))
    .withWorkdir(APP_DIR)
    .withDirectory(APP_DIR, source.filter({ include: [...STAGE_INPUTS.dependencies] }))
    .withExec(pipInstall())
}

export function testReports(source: Directory, config: EnvironmentConfig): Directory {
  let container = dependencyLayer(source)
    .withDirectory(APP_DIR, source.filter({ exclude: [...STAGE_INPUTS.appExclude] }))
    .withServiceBinding("db", postgresService())
    .withServiceBinding("cache", memcachedService())
    .withServiceBinding("queue", rabbitmqService())
  for (const [name, value] of Object.entries(testEnvironment(config.app.settings_module)))
    container = container.withEnvVariable(name, value)
  for (const argv of testStageExecs(config.tests)) container = container.withExec(argv)
  return container.directory(REPORTS_DIR)
}
