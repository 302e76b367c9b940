/** Executors for the backup specs: the real local one, wrapped to record argv or to act around one command. */
import type { ExecOptions, ExecResult, Executor } from "../../core/exec/types.js"
import { localExecutor } from "../../core/exec/local.js"

export interface Recorded extends Executor {
  calls: string[][]
}

/** Runs everything for real; `around` may replace or follow one command (return undefined to run it normally). */
export function recording(
  around?: (
    argv: readonly string[],
    options: ExecOptions | undefined,
    run: () => Promise<ExecResult>,
  ) => Promise<ExecResult> | undefined,
): Recorded {
  const calls: string[][] = []
  return {
    calls,
    run(argv, options) {
      calls.push([...argv])
      const run = () => localExecutor.run(argv, options)
      return around?.(argv, options, run) ?? run()
    },
  }
}

/** The value of a --name=value argument. */
export function option(argv: readonly string[], name: string): string | undefined {
  return argv.find((arg) => arg.startsWith(`--${name}=`))?.slice(name.length + 3)
}
