/**
 * The local executor: runs argv as a child process of this one, with no shell in between, so no
 * argument is ever re-parsed. A program that cannot be started reports exit code 127, as a shell
 * would, instead of throwing, so callers handle every failure the same way.
 */
import { spawn } from "node:child_process"
import { createWriteStream } from "node:fs"
import { constants } from "node:os"
import type { ExecOptions, ExecResult, Executor } from "./types.js"

export const localExecutor: Executor = {
  run(argv: readonly string[], options: ExecOptions = {}): Promise<ExecResult> {
    const [program, ...args] = argv
    if (program === undefined)
      return Promise.reject(new Error("localExecutor.run needs a program to run; argv was empty"))
    return new Promise((resolve) => {
      const child = spawn(program, args, { env: { ...process.env, ...options.env }, stdio: ["ignore", "pipe", "pipe"] })
      let stdout = ""
      let stderr = ""
      const fileDone = new Promise<void>((done, fail) => {
        if (options.stdoutFile === undefined) {
          child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString("utf8")))
          done()
          return
        }
        const file = createWriteStream(options.stdoutFile)
        child.stdout.pipe(file)
        file.on("finish", () => done())
        file.on("error", fail)
      })
      child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString("utf8")))
      child.on("error", (error: NodeJS.ErrnoException) =>
        resolve({ exitCode: 127, stdout, stderr: `${stderr}${program}: ${error.code ?? error.message}\n` }),
      )
      child.on("close", (code, signal) => {
        fileDone.then(
          () => resolve({ exitCode: code ?? 128 + (signal ? constants.signals[signal] : 0), stdout, stderr }),
          (error: Error) =>
            resolve({ exitCode: 1, stdout, stderr: `${stderr}cannot write ${options.stdoutFile}: ${error.message}\n` }),
        )
      })
    })
  },
}
