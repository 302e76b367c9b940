/** Timing helpers the benchmarks share: the median of a sample, and one whole process timed from spawn to exit. */
import { execFile } from "node:child_process"
import { performance } from "node:perf_hooks"

export const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!

/**
 * Runs `command` once and resolves with its wall time in ms. Linters exit 1 when they find
 * something, so `codes` lists the exit codes that count as a run; any other code rejects with
 * the command's stderr, so a broken run is never timed as a fast one.
 */
export function timeProcess(
  command: string,
  args: readonly string[],
  codes: readonly number[] = [0, 1],
): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = performance.now()
    execFile(command, args, { maxBuffer: 64 * 1024 * 1024 }, (error, _stdout, stderr) => {
      const elapsed = performance.now() - started
      const code = error ? (typeof error.code === "number" ? error.code : -1) : 0
      if (codes.includes(code)) resolve(elapsed)
      else
        reject(
          new Error(`${command} ${args.join(" ")} exited ${code}, not ${codes.join(" or ")}: ${stderr.slice(0, 400)}`),
        )
    })
  })
}
