import { expect } from "chai"
import { checkResult, renderChecks, renderCiSummary, renderExecFailure, tail } from "../../core/stages/report.js"

describe("stages/report", () => {
  it("keeps the tail of long output and says how much was left out", () => {
    const text = Array.from({ length: 30 }, (_, i) => `line ${i + 1}`).join("\n")
    expect(tail(text, 3)).to.equal("… 27 earlier lines\nline 28\nline 29\nline 30")
    expect(tail("a\nb\n", 3)).to.equal("a\nb")
  })

  it("turns a command's exit code and output into a check: stdout then stderr, trimmed", () => {
    expect(
      checkResult("ruff format --check", 1, "--- a.py\n+++ a.py\n", "\n1 file would be reformatted\n"),
    ).to.deep.equal({
      name: "ruff format --check",
      ok: false,
      exitCode: 1,
      output: "--- a.py\n+++ a.py\n1 file would be reformatted",
    })
    expect(checkResult("hadolint Dockerfile", 0, "", "")).to.deep.equal({
      name: "hadolint Dockerfile",
      ok: true,
      exitCode: 0,
      output: "",
    })
  })

  it("renders a lint report with each check's verdict and output", () => {
    expect(
      renderChecks("lint", [
        {
          name: "ruff check",
          ok: false,
          exitCode: 1,
          output: "core/views.py:3:1: F401 `os` imported but unused\nFound 1 error.",
        },
        { name: "ruff format --check", ok: true, exitCode: 0, output: "" },
        { name: "environments config", ok: true, output: "" },
      ]),
    ).to.equal(
      [
        "lint: 1 of 3 checks failed",
        "  FAIL ruff check (exit 1)",
        "    core/views.py:3:1: F401 `os` imported but unused",
        "    Found 1 error.",
        "  ok   ruff format --check",
        "  ok   environments config",
      ].join("\n"),
    )
    expect(renderChecks("scan", [{ name: "trivy source", ok: true, exitCode: 0, output: "" }])).to.equal(
      "scan: all 1 checks passed\n  ok   trivy source",
    )
  })

  it("renders a failed exec as the command, its exit code and the tail of stderr", () => {
    const stderr = Array.from({ length: 25 }, (_, i) => `err ${i + 1}`).join("\n")
    expect(
      renderExecFailure("test", { cmd: ["sh", "-c", "manage.py test"], exitCode: 2, stderr, stdout: "ignored" }),
    ).to.equal(
      [
        "test failed: `sh -c manage.py test` exited 2",
        "… 5 earlier lines",
        ...Array.from({ length: 20 }, (_, i) => `err ${i + 6}`),
      ].join("\n"),
    )
  })

  it("summarises ci with every failed stage named", () => {
    expect(
      renderCiSummary([
        { stage: "lint", ok: false, detail: "lint: 1 of 4 checks failed" },
        { stage: "test", ok: true, detail: "reports: junit/, coverage.xml" },
        { stage: "scan", ok: false, detail: "scan failed: boom" },
      ]),
    ).to.equal(
      [
        "ci: 2 of 3 stages failed (lint, scan)",
        "",
        "[FAILED] lint",
        "    lint: 1 of 4 checks failed",
        "",
        "[ok] test",
        "    reports: junit/, coverage.xml",
        "",
        "[FAILED] scan",
        "    scan failed: boom",
      ].join("\n"),
    )
  })
})
