/**
 * The CI vendors' published JSON schemas, compiled with ajv 8, and a validator that renders each
 * problem as `file:line:col path: message`.
 *
 * Why: a vendor config that its vendor would reject is worse than none. The schemas are vendored
 * in test/fixtures/schemas (see its SOURCES.md for which file is which, where it came from, its
 * licence, and the three quirks handled here: azure's non-unicode patterns, compose's `$schema`
 * spelling, circleci's wrapper that `$ref`s the language-server schema by URL).
 */
import * as fs from "node:fs"
import { createRequire } from "node:module"
import * as path from "node:path"

import { Ajv, type ErrorObject, type Options, type ValidateFunction } from "ajv"
import addFormatsModule from "ajv-formats"
import { LineCounter, parseDocument } from "yaml"

import { FIXTURES, ROOT } from "../../helpers/paths.js"

// ajv-formats is CommonJS: under NodeNext the default import is module.exports, whose `default` is the plugin.
const addFormats = addFormatsModule.default

/** The vendored schemas, inside the repository. */
export const SCHEMAS_DIR = path.join(FIXTURES, "schemas")

/** The URL circleciconfig.json's `$ref` names; the language-server schema is registered under it. */
export const CIRCLECI_LANGUAGE_SERVER_URL =
  "https://raw.githubusercontent.com/CircleCI-Public/circleci-yaml-language-server/refs/heads/main/schema.json"

export type Vendor = "github" | "gitlab" | "circleci" | "azure" | "bitbucket"

/** Each YAML vendor config (relative to the repository root) and its schema file. */
export const VENDOR_CONFIGS: ReadonlyArray<{ vendor: Vendor; config: string; schema: string }> = [
  { vendor: "github", config: "ci/vendors/github/workflow.yml", schema: "github-workflow.json" },
  { vendor: "gitlab", config: "ci/vendors/gitlab/.gitlab-ci.yml", schema: "gitlab-ci.json" },
  { vendor: "circleci", config: "ci/vendors/circleci/config.yml", schema: "circleciconfig.json" },
  { vendor: "azure", config: "ci/vendors/azure/azure-pipelines.yml", schema: "azure-pipelines.json" },
  { vendor: "bitbucket", config: "ci/vendors/bitbucket/bitbucket-pipelines.yml", schema: "bitbucket-pipelines.json" },
]

/** Fails with a message that says what to do when the vendored schemas are not there. */
export function requireSchemasDir(dir: string = SCHEMAS_DIR): string {
  if (!fs.existsSync(path.join(dir, "SOURCES.md"))) {
    throw new Error(
      `the CI schemas are missing: expected ${dir} (the vendored schemas, with SOURCES.md); restore test/fixtures/schemas from git`,
    )
  }
  return dir
}

function readJson(file: string): Record<string, unknown> {
  return JSON.parse(fs.readFileSync(file, "utf8")) as Record<string, unknown>
}

/** Compiles one vendor's schema with the options SOURCES.md prescribes. */
export function compileVendorSchema(vendor: Vendor, dir: string = requireSchemasDir()): ValidateFunction {
  const entry = VENDOR_CONFIGS.find((c) => c.vendor === vendor)!
  const options: Options = { strict: false, allErrors: true, ...(vendor === "azure" ? { unicodeRegExp: false } : {}) }
  const ajv = new Ajv(options)
  addFormats(ajv)
  if (vendor === "circleci") {
    ajv.addSchema(readJson(path.join(dir, "circleci-yaml-language-server-schema.json")), CIRCLECI_LANGUAGE_SERVER_URL)
  }
  return ajv.compile(readJson(path.join(dir, entry.schema)))
}

/** Compose's schema, for completeness of SOURCES.md's notes (its `$schema` has no trailing `#`). */
export function compileComposeSchema(dir: string = requireSchemasDir()): ValidateFunction {
  const require = createRequire(import.meta.url)
  const draft07 = require("ajv/dist/refs/json-schema-draft-07.json") as Record<string, unknown>
  const ajv = new Ajv({ strict: false, allErrors: true })
  addFormats(ajv)
  ajv.addMetaSchema({ ...draft07, $id: "https://json-schema.org/draft-07/schema" })
  return ajv.compile(readJson(path.join(dir, "compose-spec.json")))
}

export interface ParsedConfig {
  file: string
  text: string
  data: unknown
  /** `file:line:col` of a JSON-pointer path (`/jobs/ci/steps/0`), or of its nearest existing parent. */
  locate: (pointer: string) => string
}

/** Parses a YAML config, keeping the document so problems can name a line. */
export function parseYamlConfig(relative: string, root: string = ROOT): ParsedConfig {
  const text = fs.readFileSync(path.join(root, relative), "utf8")
  const lineCounter = new LineCounter()
  const doc = parseDocument(text, { lineCounter, prettyErrors: true })
  if (doc.errors.length > 0) throw new Error(`${relative}: ${doc.errors.map((e) => e.message).join("; ")}`)
  const locate = (pointer: string): string => {
    const keys = pointer
      .split("/")
      .slice(1)
      .map((k) => k.replace(/~1/g, "/").replace(/~0/g, "~"))
      .map((k) => (/^\d+$/.test(k) ? Number(k) : k))
    for (let n = keys.length; n >= 0; n--) {
      const node = doc.getIn(keys.slice(0, n), true) as { range?: [number, number, number] } | undefined
      if (node?.range) {
        const { line, col } = lineCounter.linePos(node.range[0])
        return `${relative}:${line}:${col}`
      }
    }
    return `${relative}:1:1`
  }
  return { file: relative, text, data: doc.toJS(), locate }
}

/** Every schema error as `file:line:col /path: message {params}`, in ajv's order. */
export function schemaProblems(validate: ValidateFunction, config: ParsedConfig): string[] {
  if (validate(config.data)) return []
  return (validate.errors ?? []).map(
    (e: ErrorObject) =>
      `${config.locate(e.instancePath)} ${e.instancePath || "/"}: ${e.message ?? "invalid"} ${JSON.stringify(e.params)}`,
  )
}
