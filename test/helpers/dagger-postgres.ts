/**
 * Makes the recording engine actually run what it records in the Postgres client image: the
 * withExec argv runs on this machine (real pg_dump/pg_restore against the test Postgres, trust
 * auth), once per chain, and its exit code and output answer the chain's leaves. Paths are the
 * same here and in the "container", so a dump pg_dump writes is already where `export` puts it.
 */
import { IMAGES } from "../../core/constants.js"
import { localExecutor } from "../../core/exec/local.js"
import type { ExecResult } from "../../core/exec/types.js"
import { type Chain, chainKey } from "../harness/chain.js"
import type { Hook } from "../harness/recording-engine.js"

/** The argv of a chain's last withExec, if the chain starts from `image`. */
export function execIn(chain: Chain, image: string): string[] | undefined {
  if (chain[1]?.field !== "from" || chain[1].args.address !== image) return undefined
  const exec = [...chain].reverse().find((c) => c.field === "withExec")
  return exec ? (exec.args.args as string[]) : undefined
}

/**
 * A hook answering exitCode/stdout/stderr of an image's execs by running them here, and their
 * file exports: the Postgres client image by default; the docker-cli image runs docker against
 * this machine's engine, which then plays the Docker host.
 */
export function runPostgresLocally(image: string = IMAGES.postgres): Hook {
  const runs = new Map<string, Promise<ExecResult>>()
  return ({ chain, leaf }) => {
    const argv = execIn(chain, image)
    if (argv === undefined) return undefined
    if (leaf.field === "export" && chain.at(-1)?.field === "file") return leaf.args.path
    if (chain.at(-1)?.field !== "withExec" || !["exitCode", "stdout", "stderr"].includes(leaf.field)) return undefined
    const key = chainKey(chain)
    if (!runs.has(key)) runs.set(key, localExecutor.run(argv))
    return runs.get(key)!.then((result) => result[leaf.field as keyof ExecResult])
  }
}
