/**
 * The build stage: the app's multi-stage Dockerfile built per platform and target, labelled with
 * the OCI image labels, and published as one multi-platform reference pinned by digest.
 */
import { type Container, type Directory, type Platform, type Secret, dag } from "@dagger.io/dagger"
import { IMAGES, STAGE_INPUTS } from "../constants.js"
import { publishedDigest, registryHost } from "./registry.js"
import { StageError } from "./failure.js"

export interface BuildOptions {
  platform?: string
  target: string
  version: string
  revision: string
  sourceUrl: string
  created: string
}

/** The OCI labels every image carries. */
export function ociLabels(
  options: Pick<BuildOptions, "version" | "revision" | "sourceUrl" | "created">,
): [string, string][] {
  return [
    ["org.opencontainers.image.source", options.sourceUrl],
    ["org.opencontainers.image.revision", options.revision],
    ["org.opencontainers.image.created", options.created],
    ["org.opencontainers.image.version", options.version],
  ]
}

export function buildImage(source: Directory, options: BuildOptions): Container {
  const context = source.filter({ exclude: [...STAGE_INPUTS.appExclude] })
  let image = context.dockerBuild({
    target: options.target,
    ...(options.platform ? { platform: options.platform as Platform } : {}),
    buildArgs: [
      { name: "PYTHON_IMAGE", value: IMAGES.python },
      { name: "VERSION", value: options.version },
      { name: "REVISION", value: options.revision },
    ],
  })
  for (const [name, value] of ociLabels(options)) image = image.withLabel(name, value)
  return image
}

export function buildPlatforms(
  source: Directory,
  platforms: readonly string[],
  options: Omit<BuildOptions, "platform">,
): Container[] {
  return platforms.map((platform) => buildImage(source, { ...options, platform }))
}

/** Pushes one multi-platform image and returns `ref@sha256:…`; a result with no digest is an error. */
export async function publishImage(
  variants: Container[],
  address: string,
  username: string,
  password: Secret,
): Promise<string> {
  const ref = await dag
    .container()
    .withRegistryAuth(registryHost(address), username, password)
    .publish(address, { platformVariants: variants })
  if (!publishedDigest(ref))
    throw new StageError("publish", `publish returned "${ref}", which carries no digest; deploys need ref@sha256:…`)
  return ref
}
