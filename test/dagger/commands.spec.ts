/** How a Dagger function's Outcome becomes the call's result: the text, or a failed call with the text and no stack; a bug's causes only in debug. */
import { expect } from "chai"
import { failure, jsonDocument, success } from "../../core/commands/outcome.js"
import { settled } from "../../core/dagger/settled.js"

async function failed(work: Promise<string>): Promise<Error> {
  try {
    await work
  } catch (error) {
    return error as Error
  }
  throw new Error("expected the call to fail")
}

describe("dagger/commands: settled", () => {
  it("a succeeded outcome is the result; a failed one, JSON or text, fails the call with its text only", async () => {
    expect(await settled(success("rollback #8: staging is back"))).to.equal("rollback #8: staging is back")
    expect((await failed(settled(failure("lock-held", "staging is locked by alice@laptop")))).message).to.equal(
      "staging is locked by alice@laptop",
    )
    expect((await failed(settled(jsonDocument(false, '{"findings": []}')))).message).to.equal('{"findings": []}')
  })

  it("a bug fails the call with its message, and its causes only in debug", async () => {
    const bug = () =>
      Promise.reject(new TypeError("cannot read properties of undefined", { cause: new Error("socket closed") }))
    expect((await failed(settled(bug(), false))).message).to.equal("cannot read properties of undefined")
    expect((await failed(settled(bug(), true))).message).to.equal(
      "cannot read properties of undefined\ncause: Error: socket closed",
    )
  })
})
