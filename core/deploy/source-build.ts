/**
 * A development deploy without --image: the source folder's Dockerfile, built by the deploy's own
 * Docker engine at its production target, is the release (pinned by the image ID it prints). Tiers
 * above development never do this: what they run is what `publish` pushed and was approved.
 */
import type { Environment } from "../config/load.js"
import * as docker from "../docker/argv.js"
import { DeployError, commandFailure } from "./errors.js"
import { LABEL, projectNames } from "./names.js"
import type { EngineDeps } from "./session.js"

export interface SourceBuild {
  /** The folder holding the Dockerfile (the build context). */
  context: string
  /** --build-arg values: plain settings such as a base image, never secrets. */
  args: Readonly<Record<string, string>>
}

/** The Dockerfile stage a deploy runs, as the Dagger build and `publish` build it. */
export const SOURCE_TARGET = "production"

export async function buildSource(
  env: Environment,
  deps: Pick<EngineDeps, "executor" | "log">,
  build: SourceBuild,
): Promise<string> {
  const { tier, app } = env.config
  if (tier !== "development") {
    throw new DeployError(
      "refused",
      `${env.name} is a ${tier} environment: only development builds the source when --image is left out; deploy --image repo@sha256:… as publish prints it`,
    )
  }
  const { project } = projectNames(app.name, env.name)
  const tag = `${project}:source`
  const argv = docker.buildImage({
    context: build.context,
    target: SOURCE_TARGET,
    tag,
    args: build.args,
    labels: { [LABEL.project]: project },
  })
  deps.log(`build: ${build.context} (Dockerfile, target ${SOURCE_TARGET}) as ${tag}…`)
  const result = await deps.executor.run(argv)
  if (result.exitCode !== 0)
    throw new DeployError(
      "build",
      `${commandFailure("the source did not build", argv, result)}\nnext: fix the Dockerfile or the build args (--build-arg NAME=VALUE), or deploy a published image with --image`,
    )
  const id = result.stdout.trim().split("\n").at(-1) ?? ""
  if (!/^sha256:[0-9a-f]{64}$/.test(id))
    throw new DeployError(
      "build",
      `docker build printed no image ID (it said: ${JSON.stringify(result.stdout.trim().slice(-200))}); deploy the image with --image sha256:…`,
    )
  deps.log(`build: ${id}`)
  return id
}
