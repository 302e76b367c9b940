/** The typed errors the CLI expects become failed outcomes with their codes; anything else is rethrown. */
import { expect } from "chai"
import { BackupNotFoundError } from "../../src/backup/errors.js"
import { knownFailure } from "../../src/cli/known-errors.js"
import { DeployError } from "../../src/deploy/errors.js"
import { UnpinnedImageError } from "../../src/deploy/release.js"
import { SecretError } from "../../src/exec/secrets.js"
import { RecordNotFoundError } from "../../src/ledger/errors.js"
import { InputError } from "../../src/migrations/read-inputs.js"

describe("cli/known-errors", () => {
  it("keeps each error's message and gives it a kebab-case code", () => {
    const errors = [
      new DeployError("rollback-target", "staging has no previous stable release to roll back to"),
      new RecordNotFoundError(7),
      new BackupNotFoundError("no backup b-1 in /var/backups"),
      new SecretError("secret SECRET_KEY comes from env:DJANGO_SECRET_KEY, which is not set"),
      new UnpinnedImageError('"webapp:latest" is not pinned'),
      new InputError("no file or folder migrations/; pass the SQL that manage.py sqlmigrate prints"),
    ]
    expect(errors.map(knownFailure)).to.deep.equal([
      { ok: false, code: "rollback-target", text: "staging has no previous stable release to roll back to" },
      { ok: false, code: "record-not-found", text: "there is no deploy #7 in the ledger" },
      { ok: false, code: "backup-not-found", text: "no backup b-1 in /var/backups" },
      { ok: false, code: "secret-unresolved", text: "secret SECRET_KEY comes from env:DJANGO_SECRET_KEY, which is not set" },
      { ok: false, code: "image-not-pinned", text: '"webapp:latest" is not pinned' },
      { ok: false, code: "input-missing", text: "no file or folder migrations/; pass the SQL that manage.py sqlmigrate prints" },
    ])
  })

  it("rethrows anything else: a bug is not a known failure", () => {
    const bug = new TypeError("cannot read properties of undefined")
    expect(() => knownFailure(bug)).to.throw(bug)
  })
})
