/**
 * The rules by which the Dagger engine's TypeScript runtime (v0.21.9) turns a module's files into
 * the container that runs it, as pure functions and facts. Written from the runtime's source
 * (github.com/dagger/dagger, branch backport-0.21, under sdk/typescript/runtime/; each rule names
 * its file), never copied from it. test/harness/replica/build-replica.ts applies them.
 */

/** tsdistconsts/consts.go `DefaultTypeScriptVersion`. */
export const RUNTIME_TYPESCRIPT_VERSION = "5.9.3"
/** toolchains/engine-dev/build/sdk.go `TypescriptSDKTSXVersion`: the tsx the engine image bundles. */
export const RUNTIME_TSX_VERSION = "4.15.6"
/** config.go `NpmDefaultVersion`: the npm the runtime installs when the module names none. */
export const RUNTIME_NPM_VERSION = "11.8.0"
/** tsdistconsts/consts.go `DefaultNodeVersion` (the node:…-alpine image the module runs in). */
export const RUNTIME_NODE_VERSION = "24.13.1"

/** main.go: `SrcDir`, `GenDir`, `EntrypointExecutableFile`. */
export const SRC_DIR = "src"
export const GEN_DIR = "sdk"
export const ENTRYPOINT_FILE = "__dagger.entrypoint.ts"

/**
 * tsutils/module/index.ts: the only names the engine's SDK bundle exports besides the generated
 * client (`export * from "./client.gen.js"`). Anything else the npm package exports (ExecError,
 * GraphQLRequestError, the telemetry helpers, …) does not exist for a module under the engine.
 */
export const BUNDLE_CORE_EXPORTS = [
  "connection",
  "connect",
  "Context",
  "func",
  "check",
  "generate",
  "argument",
  "object",
  "field",
  "enumType",
  "entrypoint",
] as const
/** tsutils/module/index.ts: the type-only exports. */
export const BUNDLE_CORE_TYPE_EXPORTS = ["ConnectOpts", "CallbackFct"] as const

/** The bundle's index.ts (lib_generator.go `GenerateBundleLibrary` writes tsutils/module/index.ts). */
export function bundleIndexSource(): string {
  return [
    `export {\n${BUNDLE_CORE_EXPORTS.map((name) => `  ${name},`).join("\n")}\n} from "./core.js"`,
    `export type { ${BUNDLE_CORE_TYPE_EXPORTS.join(", ")} } from "./core.js"`,
    `export * from "./client.gen.js"`,
    "",
  ].join("\n\n")
}

/** The bundle's telemetry.ts (tsutils/module/telemetry.ts). */
export function bundleTelemetrySource(): string {
  return `import { getTracer } from "./core.js"\n\nexport { getTracer }\n`
}

/**
 * The header the code generator writes at the top of a bundled module's client.gen.ts
 * (cmd/codegen/generator/typescript/templates/src/header.ts.gtpl, `IsBundle`): the generated
 * client takes its `Context` from the bundle's core, so both share one connection.
 */
export const BUNDLE_CLIENT_CONTEXT_IMPORT = `import { Context } from "./core.js"`

type PackageJson = Record<string, unknown> & {
  dependencies?: Record<string, string>
  devDependencies?: Record<string, string>
}

/**
 * tsutils/package_json_updator.go `UpdatePackageJSONForModule`: `type: module`; `typescript` added
 * to dependencies at the runtime's version when absent; `@dagger.io/dagger` deleted from both
 * dependencies and devDependencies (the bundle replaces it).
 */
export function rewritePackageJson(pkg: PackageJson): PackageJson {
  const dependencies = { ...(pkg.dependencies ?? {}) }
  if (!("typescript" in dependencies)) dependencies.typescript = RUNTIME_TYPESCRIPT_VERSION
  delete dependencies["@dagger.io/dagger"]
  const out: PackageJson = { ...pkg, type: "module", dependencies }
  if (pkg.devDependencies) {
    const devDependencies = { ...pkg.devDependencies }
    delete devDependencies["@dagger.io/dagger"]
    out.devDependencies = devDependencies
  }
  return out
}

/** What runtime_node.go `NpmPkgManager.withInstalledDependencies` does with a rewritten package.json. */
export interface InstallPlan {
  /** The runtime mounts its own TypeScript at node_modules/typescript (read-only mount). */
  mountRuntimeTypescript: boolean
  /** `npm install --omit=dev` runs (after package-lock.json and .npmrc are copied in). */
  npmInstall: boolean
}

/**
 * runtime_node.go (NpmPkgManager.withInstalledDependencies): the TypeScript mount happens only when
 * the dependency is exactly the runtime's version string; the install is skipped only when
 * TypeScript is then the sole dependency.
 */
export function installPlan(rewritten: PackageJson): InstallPlan {
  const dependencies = rewritten.dependencies ?? {}
  const mountRuntimeTypescript = dependencies.typescript === RUNTIME_TYPESCRIPT_VERSION
  const npmInstall = !(mountRuntimeTypescript && Object.keys(dependencies).length <= 1)
  return { mountRuntimeTypescript, npmInstall }
}

/** The files runtime_node.go copies from the module before `npm install` (lockFileName + .npmrc). */
export const INSTALL_INPUT_FILES = ["package-lock.json", ".npmrc"] as const

/**
 * tsutils/tsconfig_updator.go `UpdateTSConfigForModule`: `@dagger.io/dagger` and its telemetry
 * entry point at the bundle in ./sdk, and experimentalDecorators on. Other settings are kept.
 */
export function rewriteTsconfig(tsconfig: Record<string, unknown>): Record<string, unknown> {
  const compilerOptions = { ...((tsconfig.compilerOptions as Record<string, unknown> | undefined) ?? {}) }
  const paths = { ...((compilerOptions.paths as Record<string, string[]> | undefined) ?? {}) }
  paths["@dagger.io/dagger"] = ["./sdk/index.ts"]
  paths["@dagger.io/dagger/telemetry"] = ["./sdk/telemetry.ts"]
  return { ...tsconfig, compilerOptions: { ...compilerOptions, paths, experimentalDecorators: true } }
}

/**
 * config.go `wrappedSourceCodeDirectory` + `moduleConfigFiles`: the module's files that are copied
 * over the installed dependencies; config files, sdk/ and node_modules/ are not.
 */
export const NOT_COPIED_FROM_SOURCE = [
  "package.json",
  "package-lock.json",
  "tsconfig.json",
  "sdk",
  "node_modules",
] as const

/**
 * Our equivalent of tsutils/bin/__dagger.entrypoint.ts (mounted at src/__dagger.entrypoint.ts):
 * on every call it lists every .ts/.mts file under src/, itself included, adds the bundle's
 * client.gen.ts (no sdk/package.json means a bundle), and hands them to the SDK's `entrypoint`.
 * Not awaited, as in the runtime's file: the SDK's `load` imports every listed file, this one too,
 * and a top-level await would make that import wait for itself (node exits 13).
 */
export function entrypointSource(): string {
  return `// Written by test/harness/replica (the engine mounts its own file here). Do not edit.
import { entrypoint } from "@dagger.io/dagger"
import * as fs from "fs"
import * as path from "path"

function list(dir: string): string[] {
  return fs.readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name)
    if (fs.statSync(full).isDirectory()) return list(full)
    return [".ts", ".mts"].includes(path.extname(full)) ? [full] : []
  })
}

entrypoint([...list(import.meta.dirname), \`\${import.meta.dirname}/../sdk/client.gen.ts\`])
`
}

/** runtime_node.go `SetupContainer`: the module process's argv, relative to the module path. */
export function entrypointArgv(tsxCli: string, modulePath: string): string[] {
  return [
    tsxCli,
    "--no-deprecation",
    "--tsconfig",
    `${modulePath}/tsconfig.json`,
    `${modulePath}/${SRC_DIR}/${ENTRYPOINT_FILE}`,
  ]
}
