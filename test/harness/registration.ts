/**
 * Reads back what a module registered, from the recorded registration chain.
 *
 * Why: at registration the runtime builds `module.withObject(typeDef.withObject(N)
 * .withFunction(function(name, type).withArg(…).withCachePolicy(…)).withConstructor(…))`.
 * `findCalls` over that chain sees every function twice (the constructor's owner typeDef
 * repeats the object), so tests get this structured summary instead.
 */
import { type ArgValue, type Call, type Chain, findCalls, isRef } from "./chain.js"

export interface RegisteredArg {
  name: string
  optional: boolean
  /** JSON text as registered, e.g. `"\"staging\""`. */
  defaultValue?: string
  defaultPath?: string
  ignore?: string[]
}

export interface RegisteredFunction {
  name: string
  description?: string
  /** e.g. `{policy: "Never"}` or `{policy: "Default", timeToLive: "10m"}`. */
  cachePolicy?: Record<string, ArgValue>
  args: RegisteredArg[]
}

export interface RegisteredObject {
  name: string
  functions: RegisteredFunction[]
  constructorArgs: RegisteredArg[]
}

function refChain(value: ArgValue | undefined): Chain {
  return isRef(value) ? value.chain : []
}

function str(value: ArgValue | undefined): string | undefined {
  return typeof value === "string" ? value : undefined
}

function describeArg(withArg: Call): RegisteredArg {
  const typeDef = refChain(withArg.args.typeDef)
  const { defaultValue, defaultPath, ignore } = withArg.args
  const out: RegisteredArg = {
    name: str(withArg.args.name) ?? "",
    optional: typeDef.some((c) => c.field === "withOptional" && c.args.optional === true),
  }
  if (typeof defaultValue === "string") out.defaultValue = defaultValue
  if (typeof defaultPath === "string") out.defaultPath = defaultPath
  if (Array.isArray(ignore)) out.ignore = ignore.filter((v): v is string => typeof v === "string")
  return out
}

/** Only the function's own calls: its `withArg`s, not those nested in argument typeDefs. */
function describeFunction(chain: Chain): RegisteredFunction {
  const head = chain.find((c) => c.field === "function")
  const description = str(chain.find((c) => c.field === "withDescription")?.args.description)
  const cachePolicy = chain.find((c) => c.field === "withCachePolicy")?.args
  return {
    name: str(head?.args.name) ?? "",
    ...(description === undefined ? {} : { description }),
    ...(cachePolicy === undefined ? {} : { cachePolicy }),
    args: chain.filter((c) => c.field === "withArg").map(describeArg),
  }
}

/** Objects, functions and arguments registered by the module chain returned by `registerModule`. */
export function registeredObjects(moduleChain: Chain): RegisteredObject[] {
  return moduleChain
    .filter((c) => c.field === "withObject")
    .map((withObject) => {
      const typeDef = refChain(withObject.args.object)
      const ctor = typeDef.find((c) => c.field === "withConstructor")
      return {
        name: str(findCalls(typeDef, "withObject")[0]?.args.name) ?? "",
        functions: typeDef
          .filter((c) => c.field === "withFunction")
          .map((c) => describeFunction(refChain(c.args.function))),
        constructorArgs: ctor === undefined ? [] : describeFunction(refChain(ctor.args.function)).args,
      }
    })
}
