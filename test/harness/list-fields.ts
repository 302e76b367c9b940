/**
 * Which GraphQL fields return lists of objects.
 *
 * Why: the recording engine has no schema, yet a field like `inputArgs` or `envVariables`
 * must be answered with an array (`[{id}, …]`), not an object, or the SDK's `response.map`
 * fails. The SDK's generated client selects exactly these fields as `select("x").select("id")`,
 * so we read the names from the installed client.gen.js and stay in step with SDK upgrades.
 */
import * as fs from "node:fs"

import { sdkFile } from "./paths.js"

let cached: ReadonlySet<string> | undefined

/** Field names that return `[Object]` in the installed SDK's API (e.g. inputArgs, envVariables). */
export function listOfObjectFields(): ReadonlySet<string> {
  if (cached === undefined) {
    const source = fs.readFileSync(sdkFile("api/client.gen.js"), "utf8")
    const names = new Set<string>()
    for (const match of source.matchAll(/select\("(\w+)"(?:,\s*\{[^}]*\})?\)\.select\("id"\)/g)) {
      if (match[1] !== undefined) names.add(match[1])
    }
    names.add("inputArgs")
    cached = names
  }
  return cached
}
