/**
 * `dagger call` without an engine: constructor, then function, through the real entrypoint.
 *
 * Why: `dagger call --source=. plan --env staging` is two runtime invocations. The engine
 * first calls the constructor (parentName = PascalCase(module), name ""), keeps its
 * `returnValue` as the object's state, then calls the function with that state as `parent`.
 * Before each call it adds the inputs the user left out: registered default values, then
 * contextual `defaultPath` directories/files (see call-plan.ts). This file reproduces that
 * sequence against a recording engine, one child process per invocation.
 */
import * as path from "node:path"

import { type CallOptions, planCall } from "./call-plan.js"
import type { Chain } from "./chain.js"
import { type ProcessRun, runEntrypoint } from "./entrypoint-process.js"
import { readModuleName } from "./module-files.js"
import { ensureReplica } from "./replica/build-replica.js"
import type { RecordingEngine, ReturnedError } from "./recording-engine.js"

export interface RunFunctionOptions extends CallOptions {
  /** Per child process (default 60 s). */
  timeoutMs?: number
  /** Time each process (ProcessRun.time). */
  timed?: boolean
}

export interface RunFunctionResult {
  /** The constructor's `returnValue`: the object state passed as `parent`. */
  constructorState: unknown
  /** The function's `returnValue` (undefined if it failed); objects come back as IDs. */
  value: unknown
  /** The chain behind `value` when it is an ID (e.g. a returned Container). */
  valueChain: Chain | undefined
  /** The `returnError` of whichever invocation failed. */
  error: ReturnedError | undefined
  /** Of the last process run (the constructor's if it failed). */
  exitCode: number | null
  stdout: string
  stderr: string
  /** The inputs actually sent, after defaults. */
  constructorInputs: Record<string, unknown>
  inputs: Record<string, unknown>
  constructorRun: ProcessRun
  functionRun: ProcessRun | undefined
}

/** Runs `dagger call [constructorArgs] <fn> [args]` against `engine`. */
export async function runFunction(engine: RecordingEngine, opts: RunFunctionOptions): Promise<RunFunctionResult> {
  const { moduleRoot, moduleName, parentName, fnName, constructorInputs, inputs } = await planCall(engine, opts)
  const timeout = {
    ...(opts.timeoutMs === undefined ? {} : { timeoutMs: opts.timeoutMs }),
    ...(opts.timed ? { timed: true } : {}),
  }
  const constructorRun = await runEntrypoint(engine, {
    moduleRoot,
    invocation: { moduleName, parentName, name: "", parent: {}, inputArgs: constructorInputs },
    ...timeout,
  })
  const base = { constructorState: constructorRun.returnValue, constructorInputs, inputs, constructorRun }
  if (constructorRun.exitCode !== 0 || !constructorRun.returned) {
    const { exitCode, stdout, stderr, returnError } = constructorRun
    return {
      ...base,
      value: undefined,
      valueChain: undefined,
      error: returnError,
      exitCode,
      stdout,
      stderr,
      functionRun: undefined,
    }
  }

  const functionRun = await runEntrypoint(engine, {
    moduleRoot,
    invocation: { moduleName, parentName, name: fnName, parent: constructorRun.returnValue, inputArgs: inputs },
    ...timeout,
  })
  const value = functionRun.returnValue
  return {
    ...base,
    value,
    valueChain: engine.isId(value) ? engine.resolve(value) : undefined,
    error: functionRun.returnError,
    exitCode: functionRun.exitCode,
    stdout: functionRun.stdout,
    stderr: functionRun.stderr,
    functionRun,
  }
}

export interface Registration {
  /** The module ID sent with `returnValue`. */
  moduleId: string
  /** `module.withObject(typeDef.withObject(…).withFunction(…)…)…` as recorded. */
  chain: Chain
  run: ProcessRun
}

/** Runs the registration call (parentName "") and returns the recorded typedef chain. */
export async function registerModule(
  engine: RecordingEngine,
  moduleRoot: string,
  moduleName?: string,
): Promise<Registration> {
  const root = path.resolve(moduleRoot)
  const name = moduleName ?? readModuleName(root)
  const run = await runEntrypoint(engine, { moduleRoot: root, invocation: { moduleName: name, parentName: "" } })
  const moduleId = run.returnValue
  if (run.exitCode !== 0 || !engine.isId(moduleId)) {
    throw new Error(`registration failed (exit ${String(run.exitCode)}):\n${run.stderr}\n${run.stdout}`)
  }
  return { moduleId, chain: engine.resolve(moduleId), run }
}

/**
 * A mocha `before` hook that builds the module's runtime replica (the first build runs
 * `npm install --omit=dev` and bundles the SDK: up to a minute or two), so no test's own timeout
 * pays for it.
 */
export function warmReplica(moduleRoot: string): (this: Mocha.Context) => Promise<void> {
  return async function (this: Mocha.Context) {
    this.timeout(600_000)
    await ensureReplica(moduleRoot)
  }
}
