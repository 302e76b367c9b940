/**
 * The backup executor under Dagger: pg_dump and pg_restore run in a Postgres client container
 * (IMAGES.postgres: pg_dump 17 dumps every older server) instead of on the machine running the
 * deploy. The backup code still works with paths of this process (the module's runtime
 * container): a dump the command writes (ExecOptions.outputFiles) is exported back to the same
 * path, and files it reads (inputFiles) are mounted at the same path, so checksums, manifests and
 * renames run unchanged. The password is a Dagger Secret variable, never plain env nor in any
 * query, and every run carries a unique value so no command is answered from Dagger's cache.
 */
import { ReturnType, type Secret, dag } from "@dagger.io/dagger"
import { IMAGES } from "../constants.js"
import { exportOutputs, withExecOptions, withOutputDirectories } from "./dagger-options.js"
import type { ExecOptions, ExecResult, Executor } from "./types.js"

export interface PostgresClientTarget {
  /** Secrets by the variable the tools read: PGPASSWORD → the environment's POSTGRES_PASSWORD Secret. */
  secrets: Readonly<Record<string, Secret>>
  /** Unique per deploy; with a per-run counter it busts the cache of every command. */
  runId: string
  /** Default: IMAGES.postgres. */
  image?: string
  /** Where files shared with the container live (default: the current directory, /scratch in the module runtime). */
  workdir?: string
}

/** Runs each argv in a fresh Postgres client container; see the file comment. */
export function daggerPostgresExecutor(target: PostgresClientTarget): Executor {
  const image = target.image ?? IMAGES.postgres
  let runs = 0
  return {
    async run(argv: readonly string[], options: ExecOptions = {}): Promise<ExecResult> {
      if (options.stdoutFile !== undefined)
        throw new Error(
          `${argv[0] ?? "the command"} under Dagger cannot stream stdout into ${options.stdoutFile}; have it write the file itself (pg_dump --file=) and name it in outputFiles`,
        )
      const workdir = target.workdir ?? process.cwd()
      const container = withOutputDirectories(
        withExecOptions(
          dag.container().from(image).withEnvVariable("DEPLOY_PIPELINE_RUN", `${target.runId}-pg-${++runs}`),
          options,
          target.secrets,
          workdir,
        ),
        options,
        workdir,
      )
      const ran = container.withExec([...argv], { expect: ReturnType.Any })
      const [exitCode, stdout, stderr] = await Promise.all([ran.exitCode(), ran.stdout(), ran.stderr()])
      if (exitCode === 0) await exportOutputs(ran, options, workdir)
      return { exitCode, stdout, stderr }
    },
  }
}
