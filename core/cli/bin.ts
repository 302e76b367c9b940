/**
 * The process around runCli, for bin/deploy-pipeline.js (compiled) and the tests' twin (through
 * tsx): the real streams, one newline per message, and any unexpected failure as one line on
 * stderr, never a stack trace (DEPLOY_PIPELINE_DEBUG=1 prints one).
 */
import { debugRequested } from "../errors/describe.js"
import { runCli } from "./main.js"

const writer = (stream: NodeJS.WriteStream) => (text: string) => {
  stream.write(text.endsWith("\n") ? text : `${text}\n`)
}

/** Runs the CLI on argv and returns the exit code. */
export async function runBin(argv: readonly string[]): Promise<number> {
  try {
    return await runCli(argv, { stdout: writer(process.stdout), stderr: writer(process.stderr) })
  } catch (error) {
    process.stderr.write(`deploy-pipeline: ${error instanceof Error ? error.message : String(error)}\n`)
    if (debugRequested()) console.error(error)
    return 1
  }
}
