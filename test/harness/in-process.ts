/**
 * The cheap variant of runFunction: the SDK's own scan/load/Executor/invoke, in this process.
 *
 * Why: a child process costs ~2 s (tsx start + TypeScript scan); doing the same steps as the
 * SDK's entrypoint in-process takes well under a second after the first call, which suits
 * tests that check argument decoding and constructor state. What it does not cover (use
 * runFunction): the GraphQL runtime protocol, `returnError` and the exit code.
 * Requires the tsx loader in this process (mocha's `import=tsx` and
 * `no-experimental-require-module`: without the flag, mocha `require()`s specs, tsx compiles
 * the SDK to a CJS copy while the SDK's `load()` imports the ESM one, and the module's `dag` is
 * not the connected client, "GraphQL client is not set"). Not reentrant: it points
 * DAGGER_SESSION_* at the engine for the duration of the call.
 */
import * as path from "node:path"

import { connection } from "../../node_modules/@dagger.io/dagger/dist/src/connect.js"
import { invoke } from "../../node_modules/@dagger.io/dagger/dist/src/module/entrypoint/invoke.js"
import { load } from "../../node_modules/@dagger.io/dagger/dist/src/module/entrypoint/load.js"
import { Executor } from "../../node_modules/@dagger.io/dagger/dist/src/module/executor.js"
import { scan } from "../../node_modules/@dagger.io/dagger/dist/src/module/introspector/index.js"
import { type CallOptions, planCall } from "./call-plan.js"
import type { Chain } from "./chain.js"
import { listTsFiles } from "./module-files.js"
import { ensureSdkTypes } from "./prepare-sdk-types.js"
import type { RecordingEngine } from "./recording-engine.js"

export interface InProcessResult {
  constructorState: unknown
  /** The function's result as the runtime would send it (objects as IDs). */
  value: unknown
  valueChain: Chain | undefined
  /** What the function (or constructor) threw. */
  error: unknown
  constructorInputs: Record<string, unknown>
  inputs: Record<string, unknown>
}

async function withSessionEnv<T>(env: Record<string, string>, fn: () => Promise<T>): Promise<T> {
  const saved = Object.fromEntries(Object.keys(env).map((k) => [k, process.env[k]]))
  Object.assign(process.env, env)
  try {
    return await fn()
  } finally {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k]
      else process.env[k] = v
    }
  }
}

/** Runs constructor then function like `dagger call`, inside this process. */
export async function invokeInProcess(engine: RecordingEngine, opts: CallOptions): Promise<InProcessResult> {
  const plan = await planCall(engine, opts)
  const files = [...listTsFiles(path.join(plan.moduleRoot, "src")), ensureSdkTypes()]
  // JSON round trips mimic the engine: inputs and state cross the protocol as JSON.
  const json = (v: unknown): unknown => (v === undefined ? undefined : JSON.parse(JSON.stringify(v)))
  const result: InProcessResult = {
    constructorState: undefined,
    value: undefined,
    valueChain: undefined,
    error: undefined,
    constructorInputs: plan.constructorInputs,
    inputs: plan.inputs,
  }
  const session = engine.newSession({ moduleName: plan.moduleName, parentName: plan.parentName, name: plan.fnName })
  await withSessionEnv(engine.sessionEnv(session), () =>
    connection(async () => {
      const module = await scan(files, plan.moduleName)
      const executor = new Executor(await load(files), module)
      try {
        result.constructorState = json(
          await invoke(executor, module, { parentName: plan.parentName, fnName: "", parentArgs: {}, fnArgs: json(plan.constructorInputs) as Record<string, unknown> }),
        )
        result.value = json(
          await invoke(executor, module, {
            parentName: plan.parentName,
            fnName: plan.fnName,
            parentArgs: (result.constructorState ?? {}) as Record<string, unknown>,
            fnArgs: json(plan.inputs) as Record<string, unknown>,
          }),
        )
      } catch (e) {
        result.error = e
      }
    }),
  )
  result.valueChain = engine.isId(result.value) ? engine.resolve(result.value) : undefined
  return result
}
