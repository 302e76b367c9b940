/**
 * What `dagger functions` would show for a module, computed without an engine.
 *
 * Why: the SDK's `scan` (the static analysis the runtime uses at registration) needs only the
 * TypeScript compiler and the core API types. Running it here over the files the runtime's
 * entrypoint hands it in the module's replica (test/harness/replica: src/**\/*.ts plus the
 * bundle's client.gen.ts) yields names, argument types, defaults, `defaultPath`, cache policies
 * and doc comments as plain JSON: a golden test for the module's CLI surface. Nothing is
 * imported from the module (scan's `loadModule=false`).
 */
import * as path from "node:path"

import type { DaggerArgument } from "../../node_modules/@dagger.io/dagger-npm/dist/src/module/introspector/dagger_module/argument.js"
import type { DaggerFunction } from "../../node_modules/@dagger.io/dagger-npm/dist/src/module/introspector/dagger_module/function.js"
import type { DaggerModule } from "../../node_modules/@dagger.io/dagger-npm/dist/src/module/introspector/dagger_module/module.js"
import { scan } from "../../node_modules/@dagger.io/dagger-npm/dist/src/module/introspector/index.js"
import { listTsFiles } from "./module-files.js"
import { toKebab, toPascal } from "./naming.js"
import { ensureReplica } from "./replica/build-replica.js"

export interface ArgDescription {
  name: string
  /** The CLI flag without dashes, e.g. `registry-password`. */
  cliName: string
  /** GraphQL-style type name: `String`, `Int`, `Boolean`, `Float`, `Directory`, `[String]`, … */
  type: string
  optional: boolean
  /** The evaluated default (e.g. `"staging"`), for arguments whose default the SDK can resolve. */
  defaultValue?: unknown
  defaultPath?: string
  ignore?: string[]
  description: string
}

/** How the runtime registers the function's cache policy (`withCachePolicy`, GraphQL enum names). */
export interface CachePolicyDescription {
  policy: "Default" | "PerSession" | "Never"
  timeToLive?: string
}

export interface FunctionDescription {
  name: string
  cliName: string
  description: string
  returnType: string
  /** Absent when the function opted out with `cache: ""`. */
  cache?: CachePolicyDescription
  deprecated?: string
  args: ArgDescription[]
}

export interface ObjectDescription {
  name: string
  description: string
  constructor: { args: ArgDescription[] }
  functions: FunctionDescription[]
}

export interface ModuleDescription extends ObjectDescription {
  /** The module name from dagger.json (e.g. `deploy-pipeline`); `mainObject` is its PascalCase. */
  name: string
  /** The module's description: the top comment of the file declaring the main object. */
  description: string
  mainObject: string
  /** The main class's own doc comment. */
  mainObjectDescription: string
  /** Other objects the module declares (returned by its functions). */
  objects: ObjectDescription[]
}

interface LooseTypeDef {
  kind: string
  name?: string
  typeDef?: LooseTypeDef
}

const KIND_NAMES: Record<string, string> = {
  STRING_KIND: "String",
  INTEGER_KIND: "Int",
  FLOAT_KIND: "Float",
  BOOLEAN_KIND: "Boolean",
  VOID_KIND: "Void",
}

/** `{kind: LIST_KIND, typeDef: {kind: STRING_KIND}}` → `[String]`. */
export function typeName(type: LooseTypeDef | undefined): string {
  if (type === undefined) return "unknown"
  if (type.kind === "LIST_KIND") return `[${typeName(type.typeDef)}]`
  return type.name ?? KIND_NAMES[type.kind] ?? type.kind
}

function cachePolicy(cache: string | undefined): CachePolicyDescription | undefined {
  // Mirrors the SDK's Register.addFunction: "" registers nothing; unset means Default.
  if (cache === "") return undefined
  if (cache === "never") return { policy: "Never" }
  if (cache === "session") return { policy: "PerSession" }
  return cache === undefined ? { policy: "Default" } : { policy: "Default", timeToLive: cache }
}

function describeArg(arg: DaggerArgument): ArgDescription {
  const defaultValue: unknown = arg.defaultValue
  const out: ArgDescription = {
    name: arg.name,
    cliName: toKebab(arg.name),
    type: typeName(arg.type as LooseTypeDef | undefined),
    optional: arg.isOptional || defaultValue !== undefined || arg.defaultPath !== undefined,
    description: arg.description,
  }
  if (defaultValue !== undefined) out.defaultValue = defaultValue
  if (arg.defaultPath !== undefined) out.defaultPath = arg.defaultPath
  if (arg.ignore !== undefined) out.ignore = [...arg.ignore]
  return out
}

function describeFunction(fn: DaggerFunction): FunctionDescription {
  const name = fn.alias ?? fn.name
  const cache = cachePolicy(fn.cache)
  return {
    name,
    cliName: toKebab(name),
    description: fn.description,
    returnType: typeName(fn.returnType as LooseTypeDef | undefined),
    ...(cache === undefined ? {} : { cache }),
    ...(fn.deprecated === undefined ? {} : { deprecated: fn.deprecated }),
    args: Object.values(fn.arguments).map(describeArg),
  }
}

function describeObject(object: DaggerModule["objects"][string]): ObjectDescription {
  return {
    name: object.name,
    description: object.description,
    constructor: { args: Object.values(object._constructor?.arguments ?? {}).map(describeArg) },
    functions: Object.values(object.methods).map(describeFunction),
  }
}

/** Runs the SDK's `scan` over the module's sources; the raw result (class instances with TS nodes). */
export async function scanModule(moduleRoot: string, moduleName: string): Promise<DaggerModule> {
  // The replica's files: there node_modules/@dagger.io/dagger is the engine's bundle, which is
  // where the SDK's scan resolves the core types (it does not read tsconfig paths).
  const { scannedFiles } = await ensureReplica(moduleRoot)
  return scan(scannedFiles, moduleName, false)
}

/** The module's functions as `dagger functions` / `dagger call --help` would present them. */
export async function introspectModule(moduleRoot: string, moduleName: string): Promise<ModuleDescription> {
  const scanned = await scanModule(moduleRoot, moduleName)
  const mainObject = toPascal(moduleName)
  const main = scanned.objects[mainObject]
  if (main === undefined) {
    throw new Error(
      `no @object() class named ${mainObject} in ${moduleRoot}/src (found: ${Object.keys(scanned.objects).join(", ") || "none"})`,
    )
  }
  const description = describeObject(main)
  return {
    ...description,
    name: moduleName,
    mainObject,
    description: scanned.description ?? "",
    mainObjectDescription: main.description,
    objects: Object.values(scanned.objects)
      .filter((o) => o.name !== mainObject)
      .map(describeObject),
  }
}
