/**
 * Name conversions the Dagger CLI and SDK apply.
 *
 * Why: `dagger call` shows functions and flags in kebab-case (Go `strcase.ToKebab`:
 * `buildMultiArch` → `build-multi-arch`, `registryPassword` → `--registry-password`), and the
 * runtime addresses the main object by PascalCase(module name) (`deploy-pipeline` →
 * `DeployPipeline`). Tests and the functions table must use the same spelling.
 */
import { convertToPascalCase } from "../../node_modules/@dagger.io/dagger-npm/dist/src/module/introspector/case_convertor.js"

function words(input: string): string[] {
  return input
    .replace(/([a-z])([A-Z])/g, "$1 $2")
    .replace(/([A-Z]+)([A-Z][a-z])/g, "$1 $2")
    .replace(/([A-Za-z])([0-9])/g, "$1 $2")
    .replace(/([0-9])([A-Za-z])/g, "$1 $2")
    .split(/[^A-Za-z0-9]+/)
    .filter((w) => w.length > 0)
}

/** `buildMultiArch` → `build-multi-arch`, `HTTPServer` → `http-server`. */
export function toKebab(name: string): string {
  return words(name)
    .map((w) => w.toLowerCase())
    .join("-")
}

/** `deploy-pipeline` → `DeployPipeline`: the SDK's own conversion, so the main object name always matches. */
export function toPascal(name: string): string {
  return convertToPascalCase(name)
}
