/**
 * Image references. Deploys pin digests, never tags: `repo@sha256:<64 hex>` is what the
 * engine deploys and what approval tokens are bound to.
 */

export interface ImageRef {
  repository: string
  tag?: string
  digest?: string
}

const REFERENCE =
  /^([a-z0-9]+(?:[._\/-][a-z0-9]+)*(?::\d+)?(?:\/[a-z0-9]+(?:[._-][a-z0-9]+)*)*)(?::([\w][\w.-]{0,127}))?(?:@(sha256:[a-f0-9]{64}))?$/

export function parseImageRef(text: string): ImageRef | undefined {
  const match = REFERENCE.exec(text)
  if (!match) return undefined
  const [, repository, tag, digest] = match
  return { repository: repository!, ...(tag ? { tag } : {}), ...(digest ? { digest } : {}) }
}

/** The approval token for deploying `digest` to `env`: `<env>@<first 12 hex of the digest>`. */
export function approvalToken(env: string, digest: string): string {
  return `${env}@${digest.replace(/^sha256:/, "").slice(0, 12)}`
}
