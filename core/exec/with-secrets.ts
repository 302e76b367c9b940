/**
 * Gives an executor a secret store: commands that name secrets (ExecOptions.secretEnv) get their
 * values in their environment, and only those. Used with the local executor; under Dagger the
 * executor mounts Dagger Secrets instead.
 */
import { SecretError } from "./secrets.js"
import type { ExecOptions, Executor } from "./types.js"

export function withSecrets(executor: Executor, values: Readonly<Record<string, string>>): Executor {
  return {
    run(argv, options: ExecOptions = {}) {
      const { secretEnv = [], ...rest } = options
      const env: Record<string, string> = { ...rest.env }
      for (const name of secretEnv) {
        const value = values[name]
        if (value === undefined)
          return Promise.reject(
            new SecretError(`the command needs secret ${name}, which this environment does not name under secrets:`),
          )
        env[name] = value
      }
      return executor.run(argv, { ...rest, env })
    },
  }
}
