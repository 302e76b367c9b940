/**
 * A Docker host behind the executor seam (core/exec/types.ts), for specs that need no engine: it
 * records every argv with the options it came with (env and secret names, never values) and
 * answers from a script. Specs then assert the exact commands, in order, as whole lines.
 * An unscripted command succeeds with no output.
 */
import type { ExecOptions, ExecResult, Executor } from "../../core/exec/types.js"

export type Answer = Partial<ExecResult>
/** A command line's start (argv joined by spaces), or a pattern it must match. */
export type Match = string | RegExp
type Reply = Answer | ((argv: readonly string[]) => Answer)

export class FakeDockerHost implements Executor {
  /** Every command run, in order, with its options. */
  readonly calls: [argv: string[], options: ExecOptions | undefined][] = []
  private readonly rules: { match: Match; reply: Reply; times: number }[] = []

  /** `answer` replies to every command the rules do not (default: exit 0, no output). */
  constructor(private readonly answer: (argv: readonly string[]) => Answer | undefined = () => undefined) {}

  /** Replies to commands matching `match`, `times` times (default: always); the rule added last is asked first. */
  on(match: Match, reply: Reply, times = Infinity): this {
    this.rules.unshift({ match, reply, times })
    return this
  }

  run(argv: readonly string[], options?: ExecOptions): Promise<ExecResult> {
    this.calls.push([[...argv], options])
    const line = argv.join(" ")
    const rule = this.rules.find(
      (r) => r.times > 0 && (typeof r.match === "string" ? line.startsWith(r.match) : r.match.test(line)),
    )
    if (rule) rule.times--
    const reply = rule ? (typeof rule.reply === "function" ? rule.reply(argv) : rule.reply) : this.answer(argv)
    return Promise.resolve({ exitCode: 0, stdout: "", stderr: "", ...reply })
  }

  /** The commands run so far, each as one line (argv joined by spaces). */
  lines(): string[] {
    return this.calls.map(([argv]) => argv.join(" "))
  }

  /** Forgets the commands run so far (the script stays). */
  clear(): void {
    this.calls.length = 0
  }
}
