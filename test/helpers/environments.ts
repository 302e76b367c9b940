/** The shipped environments, loaded once per call, for specs that need valid configs. */
import { readFileSync, readdirSync } from "node:fs"
import { join } from "node:path"
import { type Environment, type EnvironmentFile, loadEnvironments } from "../../core/config/load.js"
import { ENVIRONMENTS } from "./paths.js"

export function shippedFiles(): EnvironmentFile[] {
  return readdirSync(ENVIRONMENTS)
    .sort()
    .map((name) => ({ path: `environments/${name}`, content: readFileSync(join(ENVIRONMENTS, name), "utf8") }))
}

export function shippedEnvironment(name: string): Environment {
  const found = loadEnvironments(shippedFiles()).environments.find((e) => e.name === name)
  if (!found) throw new Error(`no shipped environment ${name}`)
  return found
}

export const DIGEST = `sha256:${"0123456789abcdef".repeat(4)}`
export const IMAGE = `registry.example.com/acme/webapp@${DIGEST}`
