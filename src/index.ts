/**
 * deploy-pipeline: lint, test, build, scan, deploy and roll back a containerized Django 5 app
 * across development, testing, staging and production.
 *
 * This file is the Dagger surface only: documented functions that read their inputs from the
 * engine and delegate to the pure core (src/config, src/plan, src/commands).
 */
import { Directory, argument, func, object } from "@dagger.io/dagger"
import { configCheck } from "./commands/config-check.js"
import type { Outcome } from "./commands/outcome.js"
import { planCommand } from "./commands/plan.js"
import { ENVIRONMENTS_DIR, SOURCE_IGNORE } from "./constants.js"
import { readEnvironmentFiles } from "./dagger/environment-files.js"

@object()
export class DeployPipeline {
  source: Directory
  environments: Directory
  environmentsLabel: string

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
    this.environmentsLabel = environments ? "environments" : ENVIRONMENTS_DIR
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
    return unwrap(configCheck(await this.environmentFiles(), this.environmentsLabel, env))
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
    return unwrap(planCommand(await this.environmentFiles(), this.environmentsLabel, { env, image, json }))
  }

  private environmentFiles() {
    return readEnvironmentFiles(this.environments, this.environmentsLabel)
  }
}

/** A failed outcome fails the `dagger call` with its text, and no stack trace. */
function unwrap(outcome: Outcome): string {
  if (!outcome.ok) throw new Error(outcome.text)
  return outcome.text
}
