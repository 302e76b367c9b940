/**
 * ci/setup/wrk.sh, the CLI's way to get wrk: shellcheck-clean, strict bash, executable, and
 * idempotent (with wrk already present it only reports the version; the suite needs wrk, so it
 * is present here). Fails, never skips, without shellcheck.
 */
import { spawnSync } from "node:child_process"
import { readFileSync, statSync } from "node:fs"
import { join } from "node:path"
import { expect } from "chai"
import { ROOT } from "../helpers/paths.js"

const SCRIPT = join(ROOT, "ci", "setup", "wrk.sh")

describe("ci/setup/wrk.sh", () => {
  it("has no shellcheck findings and is executable strict bash", () => {
    const result = spawnSync("/usr/bin/shellcheck", ["--external-sources", "--format", "gcc", SCRIPT], {
      cwd: ROOT,
      encoding: "utf8",
    })
    expect({
      status: result.status,
      stdout: result.stdout,
      stderr: result.stderr,
      error: result.error?.message,
    }).to.deep.equal({ status: 0, stdout: "", stderr: "", error: undefined })
    const lines = readFileSync(SCRIPT, "utf8").split("\n")
    expect([
      lines[0],
      lines.filter((l) => l === "set -euo pipefail").length,
      statSync(SCRIPT).mode & 0o111,
    ]).to.deep.equal(["#!/usr/bin/env bash", 1, 0o111])
    expect(lines).to.include('bash "$(dirname "$0")/apt-install.sh" wrk')
  })

  it("only reports the version when wrk is already installed", () => {
    const result = spawnSync("bash", [SCRIPT], { encoding: "utf8" })
    expect({ status: result.status, stderr: result.stderr }).to.deep.equal({ status: 0, stderr: "" })
    expect(result.stdout).to.match(
      /^\[wrk\.sh\] already installed: wrk \S+ \[\w+\] Copyright \(C\) 2012 Will Glozer\n$/,
    )
  })
})
