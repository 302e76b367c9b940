/** Any PipelineError becomes a failed outcome with its code and message, the same for every command and both surfaces; anything else is rethrown. */
import { expect } from "chai"
import { BackupNotFoundError } from "../../core/backup/errors.js"
import { SqlInputError } from "../../core/cli/sql-inputs.js"
import { errorOutcome } from "../../core/commands/error-outcome.js"
import { DeployError } from "../../core/deploy/errors.js"
import { UnpinnedImageError } from "../../core/deploy/release.js"
import { debugRequested } from "../../core/errors/describe.js"
import { SecretError } from "../../core/exec/secrets.js"
import { HealthGateError } from "../../core/health/gate-error.js"
import { RecordNotFoundError } from "../../core/ledger/errors.js"

describe("commands/error-outcome", () => {
  it("keeps each error's message and code", () => {
    const errors = [
      new DeployError("rollback-target", "staging has no previous stable release to roll back to"),
      new RecordNotFoundError(7),
      new BackupNotFoundError("no backup b-1 in /var/backups"),
      new SecretError("secret SECRET_KEY comes from env:DJANGO_SECRET_KEY, which is not set"),
      new UnpinnedImageError('"webapp:latest" is not pinned'),
      new SqlInputError("no file or folder migrations/; pass the SQL that manage.py sqlmigrate prints"),
    ]
    expect(errors.map((error) => errorOutcome(error, false))).to.deep.equal([
      { ok: false, code: "rollback-target", text: "staging has no previous stable release to roll back to" },
      { ok: false, code: "record-not-found", text: "there is no deploy #7 in the ledger" },
      { ok: false, code: "backup-not-found", text: "no backup b-1 in /var/backups" },
      {
        ok: false,
        code: "secret-unresolved",
        text: "secret SECRET_KEY comes from env:DJANGO_SECRET_KEY, which is not set",
      },
      { ok: false, code: "image-not-pinned", text: '"webapp:latest" is not pinned' },
      {
        ok: false,
        code: "input-missing",
        text: "no file or folder migrations/; pass the SQL that manage.py sqlmigrate prints",
      },
    ])
  })

  it("the hint goes into the JSON error, and into the text only when the message lacks it", () => {
    const gate = new HealthGateError({
      target: "http://web:8000/health/",
      healthyThreshold: 2,
      deadlineMs: 1000,
      attempts: 1,
      elapsedMs: 1000,
      bestStreak: 0,
      last: [],
    })
    expect(errorOutcome(gate, false)).to.deep.equal({
      ok: false,
      code: "health-gate-failed",
      text: gate.message,
      details: { hint: "nothing: no attempt failed" },
    })
    const secret = new SecretError("secret SECRET_KEY could not be read", { hint: "export DJANGO_SECRET_KEY" })
    expect(errorOutcome(secret, false).text).to.equal(
      "secret SECRET_KEY could not be read\nnext: export DJANGO_SECRET_KEY",
    )
  })

  it("causes, each on its own line, only in debug", () => {
    const root = Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:5432"), { name: "Error" })
    const error = new DeployError("preflight", "Postgres at 127.0.0.1:5432 did not answer; check services.postgres", {
      cause: new TypeError("probe failed", { cause: root }),
    })
    expect(errorOutcome(error, false).text).to.equal(
      "Postgres at 127.0.0.1:5432 did not answer; check services.postgres",
    )
    expect(errorOutcome(error, true).text).to.equal(
      "Postgres at 127.0.0.1:5432 did not answer; check services.postgres\ncause: TypeError: probe failed\ncause: Error: connect ECONNREFUSED 127.0.0.1:5432",
    )
  })

  it("DEPLOY_PIPELINE_DEBUG asks for debug when set and not empty", () => {
    expect([
      debugRequested({}),
      debugRequested({ DEPLOY_PIPELINE_DEBUG: "" }),
      debugRequested({ DEPLOY_PIPELINE_DEBUG: "1" }),
    ]).to.deep.equal([false, false, true])
  })

  it("rethrows anything else: a bug is not a known failure", () => {
    const bug = new TypeError("cannot read properties of undefined")
    expect(() => errorOutcome(bug, false)).to.throw(bug)
  })
})
