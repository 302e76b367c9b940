/**
 * Builds a replica of the SDK library the engine generates for a module (sdk/ and
 * node_modules/@dagger.io/dagger inside the module container).
 *
 * The engine's library (lib_generator.go `GenerateBundleLibrary`) is:
 * - core.js: the whole SDK bundled for node, TypeScript left external
 *   (toolchains/engine-dev/build/sdk.go: `bun build ./src/index.ts --external=typescript --target=node`);
 *   we bundle the npm package's compiled index.js of the same version with esbuild, the same way;
 * - core.d.ts: the SDK's declarations; we point at the npm package's;
 * - client.gen.ts: the generated client, bundle mode, whose only import is `Context` from ./core.js;
 *   we take the npm package's generated core client (its compiled code plus the type aliases from
 *   its declarations) and give it the bundle's header;
 * - index.ts and telemetry.ts: the runtime's fixed files, whose export list runtime-rules.ts holds.
 * Nothing here is copied from the runtime; the npm package is this repository's own dependency.
 */
import * as fs from "node:fs"
import * as path from "node:path"

import * as esbuild from "esbuild"
import ts from "typescript"

import { SDK_DIST } from "../paths.js"
import { BUNDLE_CLIENT_CONTEXT_IMPORT, bundleIndexSource, bundleTelemetrySource } from "./runtime-rules.js"

/** The npm SDK's compiled sources (the repository's dev dependency). */
export function npmSdkDist(): string {
  return SDK_DIST
}

const NPM_CONTEXT_IMPORT = /^import \{ Context \} from "\.\.\/common\/context\.js";$/m

/** The exported type aliases and interfaces of a declaration file, as source text. */
export function exportedTypeDeclarations(declarations: string): string[] {
  const file = ts.createSourceFile("client.gen.d.ts", declarations, ts.ScriptTarget.ES2022, true)
  return file.statements
    .filter((node) => ts.isTypeAliasDeclaration(node) || ts.isInterfaceDeclaration(node))
    .filter((node) =>
      ts.getModifiers(node as ts.TypeAliasDeclaration)?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword),
    )
    .map((node) => node.getText(file))
}

/** The bundle-mode client.gen.ts made from the npm package's generated client. */
export function bundleClientSource(compiled: string, declarations: string): string {
  if (!NPM_CONTEXT_IMPORT.test(compiled)) {
    throw new Error(
      "the npm SDK's api/client.gen.js no longer imports Context from ../common/context.js; update test/harness/replica/sdk-bundle.ts",
    )
  }
  return [
    "// @ts-nocheck",
    "// Replica of the engine-generated bundle client (see test/harness/replica/sdk-bundle.ts). Do not edit.",
    compiled.replace(NPM_CONTEXT_IMPORT, BUNDLE_CLIENT_CONTEXT_IMPORT),
    "// Type aliases and interfaces of the generated client (the compiled code has none).",
    ...exportedTypeDeclarations(declarations),
    "",
  ].join("\n")
}

/**
 * The generated client's types as `dagger develop` leaves them in sdk/client.gen.ts, for a
 * typecheck: the npm package's declarations of the same client, with the bundle's header. (The
 * module's run time needs the compiled code instead; see bundleClientSource.)
 */
export function typedClientSource(declarations: string): string {
  if (!NPM_CONTEXT_IMPORT.test(declarations)) {
    throw new Error(
      "the npm SDK's api/client.gen.d.ts no longer imports Context from ../common/context.js; update test/harness/replica/sdk-bundle.ts",
    )
  }
  return declarations.replace(NPM_CONTEXT_IMPORT, BUNDLE_CLIENT_CONTEXT_IMPORT)
}

/** Writes the library into `dir` (created); returns `dir`. */
export async function writeSdkBundle(dir: string): Promise<string> {
  const dist = npmSdkDist()
  fs.mkdirSync(dir, { recursive: true })
  await esbuild.build({
    entryPoints: [path.join(dist, "index.js")],
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    external: ["typescript"],
    outfile: path.join(dir, "core.js"),
    logLevel: "error",
    // CommonJS dependencies inside an ESM bundle need a `require` for node's built-ins.
    banner: {
      js: 'import { createRequire as __replicaRequire } from "node:module"; const require = __replicaRequire(import.meta.url);',
    },
  })
  fs.writeFileSync(path.join(dir, "core.d.ts"), `export * from ${JSON.stringify(path.join(dist, "index.js"))}\n`)
  const compiled = fs.readFileSync(path.join(dist, "api", "client.gen.js"), "utf8")
  const declarations = fs.readFileSync(path.join(dist, "api", "client.gen.d.ts"), "utf8")
  fs.writeFileSync(path.join(dir, "client.gen.ts"), bundleClientSource(compiled, declarations))
  fs.writeFileSync(path.join(dir, "index.ts"), bundleIndexSource())
  fs.writeFileSync(path.join(dir, "telemetry.ts"), bundleTelemetrySource())
  return dir
}
