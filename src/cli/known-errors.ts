/**
 * The typed errors the CLI's commands expect (a refused deploy, a held lock, a missing backup, a
 * secret it cannot resolve, an unreadable input), as failed outcomes with their codes, so they print
 * as their message (or a JSON error), never as a crash. Anything else is a bug: it is rethrown.
 */
import { kebabCode } from "../commands/failure-codes.js"
import { type Outcome, failure } from "../commands/outcome.js"
import { BackupError } from "../backup/errors.js"
import { DevSecretKeyError } from "../deploy/dev-secret-key.js"
import { DevServiceError } from "../deploy/dev-service-error.js"
import { DeployError } from "../deploy/errors.js"
import { UnpinnedImageError } from "../deploy/release.js"
import { SecretError } from "../exec/secrets.js"
import { LedgerError } from "../ledger/errors.js"
import { InputError } from "../migrations/read-inputs.js"

export function knownFailure(error: unknown): Outcome {
  if (error instanceof DeployError) return failure(error.code, error.message)
  if (error instanceof LedgerError || error instanceof BackupError) return { ok: false, text: error.message, code: kebabCode(error.code) }
  if (error instanceof SecretError || error instanceof DevSecretKeyError) return failure("secret-unresolved", error.message)
  if (error instanceof DevServiceError) return failure(error.failureCode, error.message)
  if (error instanceof UnpinnedImageError) return failure("image-not-pinned", error.message)
  if (error instanceof InputError) return failure("input-missing", error.message)
  throw error
}
