/** Recognising the engine's ExecError by shape, since the engine's SDK bundle does not export the class. */
import { expect } from "chai"
import { ExecError } from "@dagger.io/dagger-npm"

import { asExecFailure } from "../../core/stages/exec-failure.js"
import { stageFailure } from "../../core/stages/failure.js"

/** What the bundle's own copy of the class looks like from the module: same name and fields, another constructor. */
class BundledExecError extends Error {
  override readonly name = "ExecError"
  constructor(
    readonly cmd: string[],
    readonly exitCode: number,
    readonly stdout: string,
    readonly stderr: string,
  ) {
    super(`process "${cmd.join(" ")}" did not complete successfully: exit code: ${exitCode}`)
  }
}

describe("stages/exec-failure", () => {
  it("reads the npm SDK's ExecError", () => {
    const error = new ExecError("exit 2", {
      cmd: ["ruff", "check", "."],
      exitCode: 2,
      stdout: "out",
      stderr: "F401 unused",
    })
    expect(asExecFailure(error)).to.deep.equal({
      cmd: ["ruff", "check", "."],
      exitCode: 2,
      stdout: "out",
      stderr: "F401 unused",
    })
  })

  it("reads the bundle's ExecError, which is another class with the same name and fields", () => {
    expect(asExecFailure(new BundledExecError(["pytest"], 1, "", "1 failed"))).to.deep.equal({
      cmd: ["pytest"],
      exitCode: 1,
      stdout: "",
      stderr: "1 failed",
    })
  })

  it("ignores other errors, and an ExecError-named error without the fields", () => {
    expect(asExecFailure(new Error("boom"))).to.equal(undefined)
    expect(asExecFailure("ExecError")).to.equal(undefined)
    const impostor = new Error("x")
    impostor.name = "ExecError"
    expect(asExecFailure(impostor)).to.equal(undefined)
  })

  it("a stage failure from the bundle's ExecError names the command, its exit code and stderr", () => {
    const failure = stageFailure(
      "lint",
      new BundledExecError(["hadolint", "Dockerfile"], 1, "", "DL3020 Use COPY instead of ADD"),
    )
    expect(failure.message).to.equal("lint failed: `hadolint Dockerfile` exited 1\nDL3020 Use COPY instead of ADD")
  })
})
