/**
 * Builds, and caches by content, the module directory the engine's TypeScript runtime would run a
 * module from (runtime_node.go `SetupContainer`), following runtime-rules.ts:
 * package.json and tsconfig.json rewritten, dependencies installed with the runtime's npm
 * (`npm install --omit=dev` from the lock file, with the runtime's TypeScript mounted first when
 * the module pins exactly its version), the SDK bundle at sdk/ and node_modules/@dagger.io/dagger,
 * the sources copied over, and our entrypoint at src/__dagger.entrypoint.ts.
 *
 * Differences we cannot remove here: the process runs on this machine's node (20.x), not the
 * node 24 alpine image; the runtime's TypeScript mount is a real read-only bind mount only when
 * we run as root (otherwise a copy, which cannot reproduce a failure to replace it).
 */
import { execFileSync, spawnSync } from "node:child_process"
import { createHash } from "node:crypto"
import * as fs from "node:fs"
import { createRequire } from "node:module"
import * as path from "node:path"

import { listTsFiles } from "../module-files.js"
import { REPO_ROOT } from "../paths.js"
import {
  ENTRYPOINT_FILE,
  GEN_DIR,
  INSTALL_INPUT_FILES,
  RUNTIME_NPM_VERSION,
  RUNTIME_TSX_VERSION,
  SRC_DIR,
  entrypointArgv,
  entrypointSource,
  installPlan,
  rewritePackageJson,
  rewriteTsconfig,
} from "./runtime-rules.js"
import { npmSdkDist, writeSdkBundle } from "./sdk-bundle.js"

/** Gitignored cache of built replicas. */
/** The module's core, outside what the runtime imports and scans (this module's layout, not a runtime rule). */
const CORE_DIR = "core"

export const REPLICA_CACHE = path.join(REPO_ROOT, ".tmp", "runtime-replica")

export interface Replica {
  /** The module path inside the replica (the engine's /src). */
  moduleDir: string
  /** node + these args start the module process. */
  argv: string[]
  /** What the entrypoint hands to the SDK's `entrypoint`: every src/ file (itself included) and the bundle's client.gen.ts. */
  scannedFiles: string[]
}

const require = createRequire(import.meta.url)

/** A package of this repository's own node_modules. */
function packageDir(name: string): string {
  return path.dirname(require.resolve(`${name}/package.json`))
}

/**
 * The tsx and npm the runtime uses, installed once into the cache from the npm registry (the
 * engine image installs tsx the same way; see runtime-rules.ts for the versions). Not dev
 * dependencies: their `tsx` and `npm` bins would shadow the repository's own.
 */
async function runtimeTool(name: string, version: string): Promise<string> {
  const prefix = path.join(REPLICA_CACHE, `tool-${name}-${version}`)
  await buildOnce(prefix, (tmp) => {
    fs.writeFileSync(path.join(tmp, "package.json"), "{}\n")
    const run = spawnSync(
      "npm",
      ["install", "--no-save", "--no-audit", "--no-fund", "--prefer-offline", `${name}@${version}`],
      { cwd: tmp, encoding: "utf8" },
    )
    if (run.status !== 0)
      throw new Error(
        `could not install ${name}@${version} for the runtime replica (npm exit ${String(run.status)}):\n${run.stderr}`,
      )
  })
  return path.join(prefix, "node_modules", name)
}

function hash(...parts: string[]): string {
  const h = createHash("sha256")
  for (const part of parts) h.update(part).update("\0")
  return h.digest("hex").slice(0, 16)
}

function readIfExists(file: string): string | undefined {
  return fs.existsSync(file) ? fs.readFileSync(file, "utf8") : undefined
}

/**
 * The module's code: src/, which the runtime imports and scans, and core/ when there is one, which
 * src/ loads when a function runs (src/functions.ts).
 */
function codeDirs(root: string): string[] {
  return [SRC_DIR, CORE_DIR].filter((dir) => fs.existsSync(path.join(root, dir)))
}

function treeDigest(dir: string): string {
  const h = createHash("sha256")
  const walk = (d: string) => {
    for (const entry of fs.readdirSync(d, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const full = path.join(d, entry.name)
      h.update(path.relative(dir, full)).update("\0")
      if (entry.isDirectory()) walk(full)
      else h.update(fs.readFileSync(full)).update("\0")
    }
  }
  walk(dir)
  return h.digest("hex").slice(0, 16)
}

/** Builds in progress in this process, by final path: two replicas that share a part (a tool) build it once. */
const building = new Map<string, Promise<string>>()

/**
 * Builds `final` through a temporary sibling and a rename, so an interrupted build leaves nothing.
 * Concurrent calls for one path in this process share the build: each would otherwise delete the
 * other's temporary directory (its name carries only the pid).
 */
function buildOnce(final: string, build: (dir: string) => void | Promise<void>): Promise<string> {
  const pending = building.get(final) ?? buildAt(final, build).finally(() => building.delete(final))
  building.set(final, pending)
  return pending
}

async function buildAt(final: string, build: (dir: string) => void | Promise<void>): Promise<string> {
  if (fs.existsSync(final)) return final
  const tmp = `${final}.tmp-${process.pid}`
  fs.rmSync(tmp, { recursive: true, force: true })
  fs.mkdirSync(tmp, { recursive: true })
  try {
    await build(tmp)
    fs.renameSync(tmp, final)
  } catch (error) {
    fs.rmSync(tmp, { recursive: true, force: true })
    throw error
  }
  return final
}

const isRoot = typeof process.getuid === "function" && process.getuid() === 0

/** runtime_node.go: `WithMountedDirectory("node_modules/typescript", typescript-library)`. */
function mountRuntimeTypescript(target: string): () => void {
  const library = packageDir("typescript")
  fs.mkdirSync(target, { recursive: true })
  if (!isRoot) {
    fs.cpSync(library, target, { recursive: true })
    return () => {}
  }
  execFileSync("mount", ["--bind", library, target])
  execFileSync("mount", ["-o", "remount,bind,ro", target])
  return () => {
    execFileSync("umount", [target])
    fs.cpSync(library, target, { recursive: true })
  }
}

/** The failure of the runtime's install step, with npm's own words. */
export class ReplicaInstallError extends Error {
  override readonly name = "ReplicaInstallError"
}

/** Installs the rewritten package.json's dependencies the way the runtime does; returns node_modules. */
export async function installDependencies(
  packageJson: Record<string, unknown>,
  inputs: Record<string, string>,
): Promise<string> {
  const rewritten = rewritePackageJson(packageJson)
  const plan = installPlan(rewritten)
  const key = hash(JSON.stringify(rewritten), JSON.stringify(inputs), RUNTIME_NPM_VERSION, String(isRoot))
  const npm = path.join(await runtimeTool("npm", RUNTIME_NPM_VERSION), "bin", "npm-cli.js")
  const dir = await buildOnce(path.join(REPLICA_CACHE, `deps-${key}`), (tmp) => {
    fs.writeFileSync(path.join(tmp, "package.json"), `${JSON.stringify(rewritten, null, 2)}\n`)
    fs.mkdirSync(path.join(tmp, "node_modules"))
    const unmount = plan.mountRuntimeTypescript
      ? mountRuntimeTypescript(path.join(tmp, "node_modules", "typescript"))
      : () => {}
    try {
      if (!plan.npmInstall) return
      for (const [name, text] of Object.entries(inputs)) fs.writeFileSync(path.join(tmp, name), text)
      // The runtime's command is `npm install --omit=dev`; the flags after it only quiet npm and
      // let it use the cache that `npm ci` filled.
      const run = spawnSync(
        process.execPath,
        [npm, "install", "--omit=dev", "--prefer-offline", "--no-audit", "--no-fund"],
        { cwd: tmp, encoding: "utf8" },
      )
      if (run.status !== 0)
        throw new ReplicaInstallError(
          `npm install --omit=dev failed (exit ${String(run.status)}):\n${run.stderr}${run.stdout}`,
        )
    } finally {
      unmount()
    }
  })
  return path.join(dir, "node_modules")
}

function sdkBundleDir(): Promise<string> {
  const here = path.dirname(new URL(import.meta.url).pathname)
  const key = hash(
    treeDigest(npmSdkDist()),
    fs.readFileSync(path.join(here, "sdk-bundle.ts"), "utf8"),
    fs.readFileSync(path.join(here, "runtime-rules.ts"), "utf8"),
  )
  return buildOnce(path.join(REPLICA_CACHE, `sdk-${key}`), async (tmp) => {
    await writeSdkBundle(tmp)
  })
}

/** node_modules of the module: links to the installed packages, and the bundle as @dagger.io/dagger. */
function linkNodeModules(installed: string, target: string, sdk: string): void {
  fs.mkdirSync(target, { recursive: true })
  for (const entry of fs.readdirSync(installed, { withFileTypes: true })) {
    if (entry.name.startsWith(".")) continue
    if (entry.name.startsWith("@")) {
      fs.mkdirSync(path.join(target, entry.name), { recursive: true })
      for (const scoped of fs.readdirSync(path.join(installed, entry.name))) {
        fs.symlinkSync(path.join(installed, entry.name, scoped), path.join(target, entry.name, scoped))
      }
    } else {
      fs.symlinkSync(path.join(installed, entry.name), path.join(target, entry.name))
    }
  }
  fs.rmSync(path.join(target, "@dagger.io", "dagger"), { recursive: true, force: true })
  fs.cpSync(sdk, path.join(target, "@dagger.io", "dagger"), { recursive: true })
}

const DEFAULT_PACKAGE_JSON = { type: "module" } // tsutils/template/package.json

/** The replica of `moduleRoot` as the engine would run it (built on first use, then cached). */
export async function ensureReplica(moduleRoot: string): Promise<Replica> {
  const root = path.resolve(moduleRoot)
  const packageJsonText = readIfExists(path.join(root, "package.json"))
  const packageJson =
    packageJsonText === undefined ? DEFAULT_PACKAGE_JSON : (JSON.parse(packageJsonText) as Record<string, unknown>)
  const inputs: Record<string, string> = {}
  for (const name of INSTALL_INPUT_FILES) {
    const text = readIfExists(path.join(root, name))
    if (text !== undefined) inputs[name] = text
  }
  const installed = await installDependencies(packageJson, inputs)
  const sdk = await sdkBundleDir()
  const tsconfigText = readIfExists(path.join(root, "tsconfig.json")) ?? "{}"
  const daggerJson = fs.readFileSync(path.join(root, "dagger.json"), "utf8")
  const key = hash(
    installed,
    sdk,
    tsconfigText,
    daggerJson,
    JSON.stringify(packageJson),
    ...codeDirs(root).map((dir) => treeDigest(path.join(root, dir))),
  )
  const moduleDir = await buildOnce(path.join(REPLICA_CACHE, `mod-${path.basename(root)}-${key}`), (dir) => {
    linkNodeModules(installed, path.join(dir, "node_modules"), sdk)
    fs.cpSync(sdk, path.join(dir, GEN_DIR), { recursive: true })
    fs.writeFileSync(path.join(dir, "package.json"), `${JSON.stringify(rewritePackageJson(packageJson), null, 2)}\n`)
    fs.writeFileSync(
      path.join(dir, "tsconfig.json"),
      `${JSON.stringify(rewriteTsconfig(JSON.parse(tsconfigText) as Record<string, unknown>), null, 2)}\n`,
    )
    fs.writeFileSync(path.join(dir, "dagger.json"), daggerJson)
    // The engine copies the whole module tree but its config files, sdk/ and node_modules/
    // (config.go `wrappedSourceCodeDirectory`); of it, the replica takes the code the module runs.
    for (const code of codeDirs(root)) fs.cpSync(path.join(root, code), path.join(dir, code), { recursive: true })
    fs.writeFileSync(path.join(dir, SRC_DIR, ENTRYPOINT_FILE), entrypointSource())
  })
  const tsx = path.join(await runtimeTool("tsx", RUNTIME_TSX_VERSION), "dist", "cli.mjs")
  return {
    moduleDir,
    argv: entrypointArgv(tsx, moduleDir),
    scannedFiles: [...listTsFiles(path.join(moduleDir, SRC_DIR)), path.join(moduleDir, GEN_DIR, "client.gen.ts")],
  }
}
