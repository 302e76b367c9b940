/** Approval bound to what is deployed: `<env>@<first 12 hex of the digest>` (pure). */
import type { EnvironmentConfig } from "../config/schema.js"
import { approvalToken } from "../docker/image-ref.js"
import type { Release } from "./release.js"

/** Null when the deploy may go ahead; otherwise why not and what to pass. */
export function approvalProblem(
  env: string,
  config: EnvironmentConfig,
  release: Release,
  token: string | undefined,
): string | null {
  if (config.deploy.approval !== "required") return null
  const expected = approvalToken(env, release.digest)
  if (token === undefined || token === "")
    return `${env} deploys need approval: pass --approve ${expected} (the environment and the first 12 hex of the digest you are deploying)`
  if (token !== expected)
    return `the approval "${token}" is not for this deploy: it must be ${expected}, bound to ${env} and ${release.digest}`
  return null
}
