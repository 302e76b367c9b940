/**
 * The code table is the whole list: every error class under core/ extends PipelineError, its code
 * (each code, for the classes that take one per failure) is in core/errors/codes.ts, and no two
 * classes claim the same code. The classes are found by reading the sources, so a new one that is
 * not listed here fails this spec.
 */
import { expect } from "chai"
import { readFileSync, readdirSync } from "node:fs"
import { join, relative } from "node:path"
import * as backup from "../../core/backup/errors.js"
import { DirError, UsageError } from "../../core/cli/command.js"
import { SqlInputError } from "../../core/cli/sql-inputs.js"
import { ConfigError } from "../../core/config/problem.js"
import { DevSecretKeyError } from "../../core/deploy/dev-secret-key.js"
import { LedgerUnreachableError } from "../../core/ledger/connect.js"
import { DEV_SERVICE_KINDS, DevServiceError } from "../../core/deploy/dev-service-error.js"
import { DeployError, type DeployErrorCode } from "../../core/deploy/errors.js"
import { RehearsalRequiredError } from "../../core/deploy/rehearsal-requirement.js"
import { UnpinnedImageError } from "../../core/deploy/release.js"
import { ERROR_CODES } from "../../core/errors/codes.js"
import { PipelineError } from "../../core/errors/pipeline-error.js"
import { SecretError } from "../../core/exec/secrets.js"
import { HealthGateError } from "../../core/health/gate-error.js"
import { TimeLimitExceeded } from "../../core/health/time-limit.js"
import * as ledger from "../../core/ledger/errors.js"
import * as lock from "../../core/ledger/lock/errors.js"
import { LoadTestError, type LoadTestErrorCode } from "../../core/loadtest/errors.js"
import { StageError } from "../../core/stages/failure.js"
import { ROOT } from "../helpers/paths.js"

const DEPLOY_CODES = {
  refused: true,
  build: true,
  preflight: true,
  boot: true,
  "health-gate": true,
  switch: true,
  "switched-back": true,
  backup: true,
  migrate: true,
  "rollback-target": true,
} satisfies Record<DeployErrorCode, true>
const LOAD_TEST_CODES = {
  "invalid-target": true,
  "invalid-option": true,
  "over-limit": true,
  "unreachable-under-dagger": true,
  "wrk-missing": true,
  "wrk-failed": true,
  "wrk-output": true,
} satisfies Record<LoadTestErrorCode, true>
const GATE = {
  target: "http://web:8000/health/",
  healthyThreshold: 2,
  deadlineMs: 1000,
  attempts: 1,
  elapsedMs: 1000,
  bestStreak: 0,
  last: [],
}
const RESULT = { exitCode: 1, stdout: "", stderr: "" }
const HELD = { state: "unrecorded", env: "staging", backendPid: null } as const

/** One instance of each error class, per code it can carry. */
const ERRORS: PipelineError[] = [
  ...Object.keys(DEPLOY_CODES).map((code) => new DeployError(code as DeployErrorCode, "m")),
  ...Object.keys(LOAD_TEST_CODES).map((code) => new LoadTestError(code as LoadTestErrorCode, "m")),
  new backup.BackupCommandError(["pg_dump"], RESULT),
  new backup.BackupVersionError("m"),
  new backup.BackupLockTimeoutError("m"),
  new backup.BackupVerifyError("b-1", [], "m"),
  new backup.RestoreRefusedError("m"),
  new backup.BackupNotFoundError("m"),
  new backup.BackupDamagedError("m"),
  new backup.BackupStoreError("m"),
  new ledger.LedgerTooNewError("s", 9, 8),
  new ledger.RecordNotFoundError(1),
  new ledger.RecordNotInProgressError(1, "failed"),
  new lock.LockHeldError("staging", HELD, "m"),
  new lock.LockForceRequiredError("staging", HELD, "m"),
  new lock.LockLostError("staging", "m"),
  new lock.LockReleaseTimeoutError("staging", 1, "m"),
  new UnpinnedImageError("m"),
  new SecretError("m"),
  new HealthGateError(GATE),
  new TimeLimitExceeded(10),
  new ConfigError([]),
  new StageError("lint", "m"),
  new UsageError("m"),
  new DirError("m"),
  new SqlInputError("m"),
  ...DEV_SERVICE_KINDS.map(
    (kind) => new DevServiceError({ kind, service: "postgres", container: "c", address: "a", what: "m", next: "n" }),
  ),
  new DevSecretKeyError("m"),
  new LedgerUnreachableError({ host: "h", port: 1, user: "u", database: "d" }, "said", new Error("cause")),
  new RehearsalRequiredError("rehearsal-missing", "m"),
]

/** Classes under core/ that extend Error directly and are never shown to a user: caught where they are thrown. */
const INTERNAL = [
  "Nacked (core/notify/notifier.ts)",
  "InputError (core/migrations/read-inputs.ts)",
  "RehearsalPlanError (core/migrations/rehearse/run.ts)",
]

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? sources(join(dir, entry.name)) : entry.name.endsWith(".ts") ? [join(dir, entry.name)] : [],
  )
}

describe("errors: the code table", () => {
  it("every code is kebab-case and says what it means", () => {
    for (const [code, meaning] of Object.entries(ERROR_CODES)) {
      expect(code).to.match(/^[a-z]+(-[a-z]+)*$/)
      expect(meaning.length, code).to.be.greaterThan(20)
    }
  })

  it("every error class's code is in the table, and no two classes share one (a subclass may keep its parent's)", () => {
    const owner = new Map<string, PipelineError>()
    for (const error of ERRORS) {
      expect(error).to.be.instanceOf(PipelineError)
      expect(Object.hasOwn(ERROR_CODES, error.code), `${error.constructor.name}: ${error.code}`).to.equal(true)
      const claimed = owner.get(error.code)
      const related =
        claimed === undefined || error instanceof claimed.constructor || claimed instanceof error.constructor
      expect(related, `${error.code}: ${claimed?.constructor.name} and ${error.constructor.name}`).to.equal(true)
      if (claimed === undefined) owner.set(error.code, error)
    }
  })

  it("the list above is every error class under core/", () => {
    const found: string[] = []
    for (const file of sources(join(ROOT, "core"))) {
      for (const match of readFileSync(file, "utf8").matchAll(/class (\w+) extends (\w+)/g)) {
        const [, name, base] = match
        if (base === "Error") found.push(`${name} (${relative(ROOT, file)})`)
        else if (base!.endsWith("Error") && name!.match(/Error$|Exceeded$/)) found.push(name!)
      }
    }
    const listed = new Set(ERRORS.map((error) => error.constructor.name))
    const abstract = ["BackupError", "LedgerError", "PipelineError (core/errors/pipeline-error.ts)"]
    expect(found.filter((name) => !listed.has(name) && !abstract.includes(name)).sort()).to.deep.equal(
      [...INTERNAL].sort(),
    )
  })
})
