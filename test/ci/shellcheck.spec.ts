/**
 * Every wrapper passes Debian's shellcheck (following the sourced lib.sh) and keeps the
 * conventions the vendor configs rely on: bash from PATH, strict mode, executable.
 * A missing shellcheck fails the suite: it is part of the definition of passing, not optional.
 */
import { spawnSync } from "node:child_process"
import * as fs from "node:fs"
import * as path from "node:path"

import { expect } from "chai"

import { ROOT } from "../helpers/paths.js"
import { LIBRARY, readRepoFile, shellScripts } from "./support/repo-files.js"

const SHELLCHECK = "/usr/bin/shellcheck"

describe("ci wrappers: shellcheck and conventions", () => {
  it("finds shellcheck at /usr/bin/shellcheck", () => {
    if (!fs.existsSync(SHELLCHECK))
      throw new Error(
        `${SHELLCHECK} is missing: install Debian's shellcheck (apt-get install shellcheck); these tests do not skip without it`,
      )
  })

  it("lists the wrappers", () => {
    expect(shellScripts()).to.deep.equal([
      "ci/build.sh",
      "ci/ci.sh",
      "ci/deploy.sh",
      "ci/lint.sh",
      "ci/publish.sh",
      "ci/rollback.sh",
      "ci/test.sh",
      "ci/scripts/approval-token.sh",
      "ci/scripts/backup-production.sh",
      "ci/scripts/check-migrations.sh",
      "ci/scripts/lib.sh",
      "ci/scripts/validate-deployment.sh",
    ])
  })

  it("has no shellcheck findings, from the repository root or anywhere else", () => {
    if (!fs.existsSync(SHELLCHECK)) throw new Error(`${SHELLCHECK} is missing`)
    for (const cwd of [ROOT, path.join(ROOT, "test")]) {
      const result = spawnSync(
        SHELLCHECK,
        ["--external-sources", "--format", "gcc", ...shellScripts().map((s) => path.join(ROOT, s))],
        { cwd, encoding: "utf8" },
      )
      expect({ status: result.status, stdout: result.stdout, stderr: result.stderr }).to.deep.equal({
        status: 0,
        stdout: "",
        stderr: "",
      })
    }
  })

  it("the test image builders (test/fixtures/images/*.sh) have no shellcheck findings either", () => {
    if (!fs.existsSync(SHELLCHECK)) throw new Error(`${SHELLCHECK} is missing`)
    const scripts = fs
      .readdirSync(path.join(ROOT, "test", "fixtures", "images"))
      .filter((n) => n.endsWith(".sh"))
      .sort()
    expect(scripts).to.deep.equal(["build.sh", "dev-services.sh", "django-app.sh", "haproxy.sh", "python-base.sh"])
    const result = spawnSync(
      SHELLCHECK,
      ["--format", "gcc", ...scripts.map((s) => path.join(ROOT, "test", "fixtures", "images", s))],
      { encoding: "utf8" },
    )
    expect({ status: result.status, stdout: result.stdout, stderr: result.stderr }).to.deep.equal({
      status: 0,
      stdout: "",
      stderr: "",
    })
  })

  for (const script of shellScripts().filter((s) => s !== LIBRARY)) {
    it(`${script} is executable bash in strict mode`, () => {
      const lines = readRepoFile(script).split("\n")
      expect(lines[0]).to.equal("#!/usr/bin/env bash")
      expect(lines.filter((l) => l === "set -euo pipefail")).to.have.length(1)
      expect(fs.statSync(path.join(ROOT, script)).mode & 0o111).to.equal(0o111)
    })
  }

  it(`${LIBRARY} is sourced, not run`, () => {
    expect(readRepoFile(LIBRARY).split("\n")[0]).to.equal("# shellcheck shell=bash")
    expect(fs.statSync(path.join(ROOT, LIBRARY)).mode & 0o111).to.equal(0)
  })
})
