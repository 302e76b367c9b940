/**
 * deploy-pipeline: lint, test, build, scan, deploy and roll back a containerized Django 5 app
 * across development, testing, staging and production.
 *
 * This file is the Dagger surface only: documented functions that read their inputs from the
 * engine and delegate to the pure core (src/config, src/plan, src/commands) and the pipeline
 * builders (src/stages).
 */
import { Container, Directory, Secret, argument, func, object } from "@dagger.io/dagger"
import { configCheck } from "./commands/config-check.js"
import type { Outcome } from "./commands/outcome.js"
import { planCommand } from "./commands/plan.js"
import { ENVIRONMENTS_DIR, REPRODUCIBLE_CREATED, SOURCE_IGNORE } from "./constants.js"
import { readEnvironmentFiles } from "./dagger/environment-files.js"
import { loadEnvironment } from "./dagger/environment.js"
import { type BuildOptions, buildImage, buildPlatforms, publishImage } from "./stages/build.js"
import { runConcurrently } from "./stages/ci.js"
import { scanSettings } from "./stages/commands.js"
import { StageError, runStage } from "./stages/failure.js"
import { lintReport } from "./stages/lint.js"
import { ScanReport, scanContainer } from "./stages/scan.js"
import { testReports } from "./stages/test.js"

@object()
export class DeployPipeline {
  source: Directory
  environments: Directory

  /**
   * @param source The Django app's repository. Defaults to the directory `dagger` is called from.
   * @param environments The environments folder. Defaults to environments/ in the source.
   */
  constructor(
    @argument({ defaultPath: "/", ignore: SOURCE_IGNORE })
    source: Directory,
    environments?: Directory,
  ) {
    this.source = source
    this.environments = environments ?? source.directory(ENVIRONMENTS_DIR)
  }

  /**
   * Validate the environment files and summarise each environment, or fail listing every problem as file:line:col.
   *
   * Example usage: dagger call config-check --env production
   *
   * @param env Check only this environment (and the shared base.yaml). Default: all of them.
   */
  @func()
  async configCheck(env?: string): Promise<string> {
    return unwrap(configCheck(await this.environmentFiles(), ENVIRONMENTS_DIR, env))
  }

  /**
   * Show the resolved configuration and the steps a deploy would take, touching nothing.
   *
   * Example usage: dagger call plan --env staging --image registry.example.com/acme/webapp@sha256:…
   *
   * @param env The environment to plan for: development, testing, staging or production.
   * @param image The image to deploy, pinned as repo@sha256:… (as publish prints it).
   * @param json Print one JSON document, with the resolved configuration, instead of text.
   */
  @func()
  async plan(env: string, image?: string, json = false): Promise<string> {
    return unwrap(planCommand(await this.environmentFiles(), ENVIRONMENTS_DIR, { env, image, json }))
  }

  /**
   * Lint the app: ruff check and format, hadolint on the Dockerfile, and the environments config; fail on any problem.
   *
   * Example usage: dagger call lint
   */
  @func()
  async lint(): Promise<string> {
    return runStage("lint", () => lintReport(this.source, this.environments))
  }

  /**
   * Run Django's tests against Postgres 17.2 on tmpfs, Memcached and RabbitMQ; return the JUnit XML and coverage reports.
   *
   * Example usage: dagger call test export --path reports
   *
   * @param env The environment whose settings module and test options to use.
   */
  @func()
  async test(env = "testing"): Promise<Directory> {
    const { config } = await loadEnvironment(this.environments, env)
    const reports = testReports(this.source, config)
    await runStage("test", () => reports.sync())
    return reports
  }

  /**
   * Build the app image for one platform and Dockerfile target, with OCI labels.
   *
   * Example usage: dagger call build --platform linux/arm64 export --path app.tar
   *
   * @param platform The platform to build for, such as linux/arm64. Default: the engine's.
   * @param target The Dockerfile target: development, testing or production.
   * @param version The version label (org.opencontainers.image.version), e.g. a tag or 1.4.2.
   * @param revision The commit the image is built from (org.opencontainers.image.revision).
   * @param sourceUrl The source repository URL (org.opencontainers.image.source).
   * @param created The build time, RFC 3339 (org.opencontainers.image.created). Default: the Unix epoch, so the same source gives the same digest; pass the commit time.
   */
  @func()
  async build(platform?: string, target = "production", version = "dev", revision = "unknown", sourceUrl = "unknown", created = "1970-01-01T00:00:00Z"): Promise<Container> {
    const image = buildImage(this.source, { platform, ...buildLabels(target, version, revision, sourceUrl, created) })
    await runStage("build", () => image.sync())
    return image
  }

  /**
   * Build the app image for several platforms at once (linux/amd64 and linux/arm64 by default).
   *
   * Example usage: dagger call build-multi-arch --platforms linux/amd64,linux/arm64
   *
   * @param platforms The platforms to build.
   * @param target The Dockerfile target: development, testing or production.
   * @param version The version label.
   * @param revision The commit the image is built from.
   * @param sourceUrl The source repository URL.
   * @param created The build time, RFC 3339. Default: the Unix epoch (reproducible digests).
   */
  @func()
  async buildMultiArch(platforms: string[] = ["linux/amd64", "linux/arm64"], target = "production", version = "dev", revision = "unknown", sourceUrl = "unknown", created = "1970-01-01T00:00:00Z"): Promise<Container[]> {
    const images = buildPlatforms(this.source, platforms, buildLabels(target, version, revision, sourceUrl, created))
    await runStage("build", () => Promise.all(images.map((image) => image.sync())))
    return images
  }

  /**
   * Build for every platform and push one multi-platform image; print its ref@sha256:… for deploys.
   *
   * Example usage: dagger call publish --address registry.example.com/acme/webapp:1.4.2 --username ci --password env:REGISTRY_PASSWORD
   *
   * @param address Where to push, such as registry.example.com/acme/webapp:1.4.2.
   * @param username The registry user.
   * @param password The registry password or token.
   * @param platforms The platforms to include.
   * @param version The version label.
   * @param revision The commit the image is built from.
   * @param sourceUrl The source repository URL.
   * @param created The build time, RFC 3339. Default: the Unix epoch (reproducible digests).
   */
  @func({ cache: "never" })
  async publish(address: string, username: string, password: Secret, platforms: string[] = ["linux/amd64", "linux/arm64"], version = "dev", revision = "unknown", sourceUrl = "unknown", created = "1970-01-01T00:00:00Z"): Promise<string> {
    const variants = buildPlatforms(this.source, platforms, buildLabels("production", version, revision, sourceUrl, created))
    return runStage("publish", () => publishImage(variants, address, username, password))
  }

  /**
   * Scan each platform image and the source with Trivy; the environment sets the failing severities.
   *
   * Example usage: dagger call scan --env production check
   *
   * @param env The environment whose security.scan settings apply.
   * @param platforms The image platforms to scan.
   */
  @func()
  async scan(env = "testing", platforms: string[] = ["linux/amd64", "linux/arm64"]): Promise<ScanReport> {
    const { config } = await loadEnvironment(this.environments, env)
    const settings = scanSettings(config)
    const images = platforms.map((platform) => ({ platform, image: buildImage(this.source, { platform, ...buildLabels("production", "dev", "unknown", "unknown", REPRODUCIBLE_CREATED) }) }))
    return new ScanReport(scanContainer(this.source, images, settings), [...platforms, "source"], [...settings.severity], settings.ignoreUnfixed)
  }

  /**
   * Run lint, test, scan and build concurrently; fail with a summary of every stage that failed.
   *
   * Example usage: dagger call ci --env testing
   *
   * @param env The environment whose test and scan settings apply.
   * @param platforms The platforms to build and scan.
   */
  @func()
  async ci(env = "testing", platforms: string[] = ["linux/amd64", "linux/arm64"]): Promise<string> {
    const { ok, summary } = await runConcurrently({
      lint: () => this.lint(),
      test: async () => `reports: ${(await (await this.test(env)).entries()).join(", ")}`,
      scan: async () => (await this.scan(env, platforms)).check(),
      build: async () => `built ${(await this.buildMultiArch(platforms)).length} platform images: ${platforms.join(", ")}`,
    })
    if (!ok) throw new StageError("ci", summary)
    return summary
  }

  private environmentFiles() {
    return readEnvironmentFiles(this.environments, ENVIRONMENTS_DIR)
  }
}

function buildLabels(target: string, version: string, revision: string, sourceUrl: string, created: string): Omit<BuildOptions, "platform"> {
  return { target, version, revision, sourceUrl, created }
}

/** A failed outcome fails the `dagger call` with its text, and no stack trace. */
function unwrap(outcome: Outcome): string {
  if (!outcome.ok) throw new Error(outcome.text)
  return outcome.text
}
