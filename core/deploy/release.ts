/**
 * What gets deployed: an image pinned by content, never a mutable tag. Either a registry
 * reference `repo@sha256:<digest>` (what `publish` prints) or a local image ID `sha256:<id>`
 * (what `docker image inspect` prints for an image with no registry digest).
 */
import { parseImageRef } from "../docker/image-ref.js"
import { PipelineError } from "../errors/pipeline-error.js"

export interface Release {
  /** What docker runs. */
  image: string
  /** sha256:<64 hex>: the ledger's identity of the release. */
  digest: string
  /** The first 12 hex of the digest, used in names and approval tokens. */
  short: string
  /** The version the app must report on /health/ (APP_VERSION). */
  version: string
}

const IMAGE_ID = /^sha256:[a-f0-9]{64}$/

export class UnpinnedImageError extends PipelineError {
  override readonly name = "UnpinnedImageError"
  readonly code = "image-not-pinned"
}

export function releaseOf(image: string, version?: string): Release {
  const digest = IMAGE_ID.test(image) ? image : parseImageRef(image)?.digest
  if (!digest) {
    throw new UnpinnedImageError(
      `"${image}" is not pinned; deploy repo@sha256:… as publish prints it (or a local image ID sha256:…), never a tag`,
    )
  }
  const short = digest.slice("sha256:".length, "sha256:".length + 12)
  return { image, digest, short, version: version ?? short }
}
