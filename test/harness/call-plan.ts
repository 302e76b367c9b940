/**
 * Decides what the engine would send for `dagger call [ctor args] <fn> [args]`.
 *
 * Why: before invoking a function the engine adds the inputs the user left out, in this order:
 * registered default values (primitives only; the SDK registers no default for others), then
 * contextual `defaultPath` directories/files (core/modfunc.go `setCallInputs`). Both the
 * child-process runner and the in-process runner need the same inputs, so they share this plan.
 */
import * as fs from "node:fs"
import * as path from "node:path"

import type { ArgValue } from "./chain.js"
import { type ArgDescription, type ModuleDescription, introspectModule } from "./introspect.js"
import { contextDirectory, listTsFiles, readModuleName } from "./module-files.js"
import { toKebab, toPascal } from "./naming.js"
import type { RecordingEngine } from "./recording-engine.js"

export interface CallOptions {
  moduleRoot: string
  /** The function's name as declared (`buildMultiArch`) or as typed on the CLI (`build-multi-arch`). */
  fn: string
  /** Function arguments as JSON values; object arguments are IDs from `engine.makeId`. */
  args?: Record<string, unknown>
  constructorArgs?: Record<string, unknown>
  /** Defaults to dagger.json's `name`. */
  moduleName?: string
  /** What `defaultPath: "/"` refers to; defaults to the enclosing git repository. */
  contextDir?: string
  /** Add registered default values and `defaultPath` inputs like the engine (default true). */
  engineDefaults?: boolean
}

export interface CallPlan {
  moduleRoot: string
  moduleName: string
  /** PascalCase(module name): the main object the runtime is asked about. */
  parentName: string
  fnName: string
  constructorInputs: Record<string, unknown>
  inputs: Record<string, unknown>
}

const descriptions = new Map<string, { stamp: string; description: Promise<ModuleDescription> }>()

/** `introspectModule`, cached until a source file changes. */
export function describeModuleCached(moduleRoot: string, moduleName: string): Promise<ModuleDescription> {
  const files = listTsFiles(path.join(moduleRoot, "src"))
  const stamp = files.map((f) => `${f}:${fs.statSync(f).mtimeMs}`).join("|") + `|${moduleName}`
  const cached = descriptions.get(moduleRoot)
  if (cached !== undefined && cached.stamp === stamp) return cached.description
  const description = introspectModule(moduleRoot, moduleName)
  descriptions.set(moduleRoot, { stamp, description })
  return description
}

const PRIMITIVE_TYPES = new Set(["String", "Int", "Float", "Boolean"])

/** `given` plus what the engine adds for omitted arguments. */
export function withEngineDefaults(
  engine: RecordingEngine,
  declared: ArgDescription[],
  given: Record<string, unknown>,
  dirs: { moduleRoot: string; contextDir: string },
): Record<string, unknown> {
  const inputs: Record<string, unknown> = { ...given }
  for (const arg of declared) {
    if (arg.name in inputs || arg.defaultValue === undefined || !PRIMITIVE_TYPES.has(arg.type)) continue
    inputs[arg.name] = arg.defaultValue
  }
  for (const arg of declared) {
    if (arg.name in inputs || arg.defaultPath === undefined) continue
    const base = arg.defaultPath.startsWith("/") ? dirs.contextDir : dirs.moduleRoot
    const hostPath = path.resolve(base, `.${path.sep}${arg.defaultPath}`)
    if (arg.type === "File") {
      inputs[arg.name] = engine.makeId([
        { field: "host", args: {} },
        { field: "file", args: { path: hostPath } },
      ])
    } else {
      const args: Record<string, ArgValue> = { path: hostPath }
      if (arg.ignore !== undefined && arg.ignore.length > 0) args.exclude = arg.ignore
      inputs[arg.name] = engine.makeId([
        { field: "host", args: {} },
        { field: "directory", args },
      ])
    }
  }
  return inputs
}

/** Resolves names and inputs for one `dagger call`. */
export async function planCall(engine: RecordingEngine, opts: CallOptions): Promise<CallPlan> {
  const moduleRoot = path.resolve(opts.moduleRoot)
  const moduleName = opts.moduleName ?? readModuleName(moduleRoot)
  const parentName = toPascal(moduleName)
  if (opts.engineDefaults === false) {
    return {
      moduleRoot,
      moduleName,
      parentName,
      fnName: opts.fn,
      constructorInputs: { ...opts.constructorArgs },
      inputs: { ...opts.args },
    }
  }
  const description = await describeModuleCached(moduleRoot, moduleName)
  const fn = description.functions.find((f) => f.name === opts.fn || f.cliName === toKebab(opts.fn))
  if (fn === undefined) {
    throw new Error(
      `${moduleName} has no function ${opts.fn} (has: ${description.functions.map((f) => f.name).join(", ")})`,
    )
  }
  const dirs = { moduleRoot, contextDir: opts.contextDir ?? contextDirectory(moduleRoot) }
  return {
    moduleRoot,
    moduleName,
    parentName,
    fnName: fn.name,
    constructorInputs: withEngineDefaults(engine, description.constructor.args, opts.constructorArgs ?? {}, dirs),
    inputs: withEngineDefaults(engine, fn.args, opts.args ?? {}, dirs),
  }
}
