/**
 * The core behind the Dagger functions, loaded when a function runs.
 *
 * The runtime imports every file under src/ and type-scans them (with all they import) on each of
 * a call's two processes, the constructor's and the function's. src/ therefore holds only the
 * documented surface, and reaches the core through this one import, whose path is computed: the
 * scan follows only literal import paths, so it never walks the core, and the constructor's
 * process never loads it (docs/architecture.md, "What a call loads").
 */
import type { ModuleFunctions } from "../core/dagger/functions-contract.js"

const CORE = new URL("../core/dagger/functions.js", import.meta.url).href

let loaded: Promise<ModuleFunctions> | undefined

/** The functions' bodies (core/dagger/functions.ts), loaded once per process. */
export function functions(): Promise<ModuleFunctions> {
  loaded ??= (import(CORE) as Promise<{ functions: ModuleFunctions }>).then((core) => core.functions)
  return loaded
}
