/** The `started` row of a deploy, from its request: one shape for a deploy and for the retry that finishes an interrupted one. */
import type { Environment } from "../config/load.js"
import type { StartInput } from "../ledger/record.js"
import type { Colour } from "./names.js"
import type { Release } from "./release.js"

/** What of the deploy request the ledger row records (deploy.ts's DeployRequest has it all). */
export interface DeployStartRequest {
  env: Environment
  requestedBy: string
  approve?: string
  commit?: string
  allowUnsafeMigrations?: string
}

export function deployStart(
  request: DeployStartRequest,
  release: Release,
  moves: { previousDigest: string | null; colorFrom: Colour | null; colorTo: Colour },
): Omit<StartInput, "owner" | "lock"> {
  const { env } = request
  return {
    env: env.name,
    action: "deploy",
    requestedBy: request.requestedBy,
    approval: env.config.deploy.approval === "required" ? (request.approve ?? null) : null,
    image: { ref: release.image, digest: release.digest },
    commit: request.commit ?? null,
    configHash: env.hash,
    ...moves,
    unsafeOverride: request.allowUnsafeMigrations ?? null,
  }
}
