// Mocha's spec reporter plus a closing line CI can read: "N passed, N failed, N skipped".
// Under CI=true a skipped (pending) test fails the run: a test that needs a missing service
// must fail, never skip.
"use strict"
const Mocha = require("mocha")
const { EVENT_RUN_END } = Mocha.Runner.constants

class SummaryReporter extends Mocha.reporters.Spec {
  constructor(runner, options) {
    super(runner, options)
    runner.once(EVENT_RUN_END, () => {
      const { passes, failures, pending } = runner.stats
      process.stdout.write(`\n${passes} passed, ${failures} failed, ${pending} skipped\n`)
      if (process.env.CI === "true" && pending > 0) {
        process.stdout.write(`CI=true: ${pending} skipped test(s) count as failures here\n`)
        // The reporter's listener runs before the one that hands runner.failures to mocha's exit code.
        runner.failures += pending
      }
    })
  }
}

module.exports = SummaryReporter
