/**
 * Loads `environments/`: every `<name>.yaml` is one environment, overlaid on `base.yaml` when
 * that exists. Validation happens here, once; what comes out is typed, and what does not is a
 * complete, located list of problems.
 */
import { createHash } from "node:crypto"
import { withManagedServices } from "./managed-environment.js"
import { EnvironmentSchema, type EnvironmentConfig, TIERS } from "./schema.js"
import { locate } from "./locate.js"
import { deepMerge, isPlainObject } from "./merge.js"
import { explainIssue } from "./messages.js"
import { type ConfigProblem, WHOLE_FILE, formatPath, formatProblem } from "./problem.js"
import { LIMITS, type ParsedYaml, readYamlFile } from "./yaml-document.js"

export interface EnvironmentFile {
  /** The path shown in messages, e.g. "environments/staging.yaml". */
  path: string
  content: string | Uint8Array
  /** Size in bytes when known without reading it all (an oversized file is refused unread). */
  size?: number
}

export interface Environment {
  name: string
  file: string
  config: EnvironmentConfig
  /** sha256 of the resolved config: recorded with every deploy, so drift is visible. */
  hash: string
}

export interface LoadResult {
  environments: Environment[]
  problems: ConfigProblem[]
}

export const BASE_NAMES = ["base.yaml", "base.yml"]
const ENVIRONMENT_FILE = /\.ya?ml$/
const ENVIRONMENT_NAME = /^[a-z][a-z0-9-]{0,39}$/

export function baseName(path: string): string {
  return path.slice(path.lastIndexOf("/") + 1)
}

export function isEnvironmentFile(path: string): boolean {
  return ENVIRONMENT_FILE.test(path)
}

export function loadEnvironments(files: readonly EnvironmentFile[]): LoadResult {
  const problems: ConfigProblem[] = []
  const baseFile = files.find((f) => BASE_NAMES.includes(baseName(f.path)))
  let base: ParsedYaml | undefined
  if (baseFile) {
    const read = readYamlFile(baseFile.path, baseFile.content, baseFile.size)
    if (read.ok) base = read.parsed
    else problems.push(...read.problems)
  }
  const environments: Environment[] = []
  const envFiles = files
    .filter((f) => f !== baseFile && isEnvironmentFile(f.path))
    .sort((a, b) => a.path.localeCompare(b.path))
  for (const file of envFiles) {
    const name = baseName(file.path).replace(ENVIRONMENT_FILE, "")
    if (!ENVIRONMENT_NAME.test(name)) {
      problems.push({
        file: file.path,
        line: 1,
        col: 1,
        path: WHOLE_FILE,
        message: `"${name}" is not a valid environment name; rename the file to lowercase letters, digits and "-", such as staging.yaml`,
      })
      continue
    }
    const read = readYamlFile(file.path, file.content, file.size)
    if (!read.ok) {
      problems.push(...read.problems)
      continue
    }
    if (baseFile && !base) continue
    const result = validateEnvironment(name, read.parsed, base)
    if ("config" in result) {
      const config = withManagedServices(result.config)
      environments.push({ name, file: file.path, config, hash: configHash(config) })
    } else problems.push(...result.problems)
  }
  return { environments, problems: tidy(problems) }
}

function validateEnvironment(
  name: string,
  own: ParsedYaml,
  base: ParsedYaml | undefined,
): { config: EnvironmentConfig } | { problems: ConfigProblem[] } {
  const merged = base ? deepMerge(base.data, own.data) : { ...own.data }
  if (merged.tier === undefined && (TIERS as readonly string[]).includes(name)) merged.tier = name
  const result = EnvironmentSchema.safeParse(merged, { reportInput: true })
  if (result.success) return { config: result.data }
  const sources = base ? [own, base] : [own]
  const problems = result.error.issues.flatMap((issue) =>
    explainIssue(EnvironmentSchema, issue, merged).map((explained) => {
      const message =
        explained.path[0] === "tier" && explained.anchor === "parent"
          ? `required key is missing; add tier: with one of ${TIERS.join(", ")} (only files named after a tier may leave it out)`
          : explained.message
      return { ...locate(sources, explained.path, explained.anchor), path: formatPath(explained.path), message }
    }),
  )
  return { problems }
}

/** Sorted by place, deduplicated (a base problem shows once, not once per environment), capped per file. */
function tidy(problems: ConfigProblem[]): ConfigProblem[] {
  const unique = [...new Map(problems.map((p) => [formatProblem(p), p])).values()]
  unique.sort(
    (a, b) => a.file.localeCompare(b.file) || a.line - b.line || a.col - b.col || a.path.localeCompare(b.path),
  )
  const perFile = new Map<string, number>()
  const kept: ConfigProblem[] = []
  for (const problem of unique) {
    const count = (perFile.get(problem.file) ?? 0) + 1
    perFile.set(problem.file, count)
    if (count <= LIMITS.maxProblems) kept.push(problem)
  }
  for (const [file, count] of perFile) {
    if (count > LIMITS.maxProblems)
      kept.push({
        file,
        line: 1,
        col: 1,
        path: WHOLE_FILE,
        message: `…and ${count - LIMITS.maxProblems} more problems in this file`,
      })
  }
  return kept
}

export function configHash(config: EnvironmentConfig): string {
  return createHash("sha256").update(canonicalJson(config)).digest("hex")
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`
  if (isPlainObject(value)) {
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonicalJson(value[k])}`)
      .join(",")}}`
  }
  return JSON.stringify(value)
}
