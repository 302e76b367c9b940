/**
 * The development secret key: a development deploy should not need a hand-made Django
 * SECRET_KEY. When the development environment takes SECRET_KEY from a variable (env:NAME) that
 * is unset, a key is generated once (crypto random, 50 characters of Django's own alphabet) and
 * kept in a git-ignored local file, `.deploy-pipeline/<env>.env` (mode 0600), so sessions and
 * cookies survive the next deploy. The value is returned for the secret resolver's environment
 * only: never logged, never put in argv.
 *
 * Tiers above development never do this: a generated key there would silently log every user
 * out on another machine, and a production key belongs to the secret store. Asked anyway, it
 * refuses with a typed error.
 *
 * The decisions (which variable, whether a key is needed, the file's text) are pure; only
 * `ensureDevSecretKey` touches the file system.
 */
import { randomInt } from "node:crypto"
import { chmod, mkdir, readFile, rename, writeFile } from "node:fs/promises"
import { dirname, join } from "node:path"
import type { Tier } from "../config/tier.js"
import { PipelineError } from "../errors/pipeline-error.js"

/** Django's get_random_secret_key() alphabet and length. */
export const SECRET_KEY_ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789!@#$%^&*(-_=+)"
export const SECRET_KEY_LENGTH = 50

/** Where the keys live, relative to the project's root; .gitignore lists it. */
export const DEV_SECRETS_DIR = ".deploy-pipeline"
export const devSecretsFile = (root: string, envName: string): string => join(root, DEV_SECRETS_DIR, `${envName}.env`)

export class DevSecretKeyError extends PipelineError {
  override readonly name = "DevSecretKeyError"
  readonly code = "dev-secret-key"
}

/** What a deploy needs to know about its SECRET_KEY source. */
export type SecretKeyNeed =
  /** SECRET_KEY is set, or comes from somewhere other than a variable (file:, op://, …): nothing to do. */
  | { kind: "none" }
  /** A development key for this variable must come from the local file (read or generated). */
  | { kind: "generate"; variable: string }

export interface SecretKeyInput {
  envName: string
  tier: Tier
  secrets: Readonly<Record<string, string>>
}

/** Pure: whether a key must be generated. Throws DevSecretKeyError above development when the variable is unset. */
export function secretKeyNeed(
  config: SecretKeyInput,
  env: Readonly<Record<string, string | undefined>>,
): SecretKeyNeed {
  const ref = config.secrets.SECRET_KEY
  const variable = ref === undefined ? undefined : /^env:(?:\/\/)?([A-Za-z_][A-Za-z0-9_]*)$/.exec(ref)?.[1]
  if (variable === undefined || env[variable] !== undefined) return { kind: "none" }
  if (config.tier !== "development") {
    throw new DevSecretKeyError(
      `${config.envName} is a ${config.tier} environment, and only development generates its SECRET_KEY; ` +
        `export ${variable} (the key from your secret store) or change secrets.SECRET_KEY`,
    )
  }
  return { kind: "generate", variable }
}

/** A new key: SECRET_KEY_LENGTH characters drawn uniformly from the alphabet by `pick(n)` ∈ [0, n). */
export function generateSecretKey(pick: (n: number) => number = (n) => randomInt(n)): string {
  let key = ""
  for (let i = 0; i < SECRET_KEY_LENGTH; i++) key += SECRET_KEY_ALPHABET[pick(SECRET_KEY_ALPHABET.length)]
  return key
}

/** NAME=value lines; blank lines and # comments are skipped. Values are kept verbatim (no quotes). */
export function parseEnvFile(text: string): Record<string, string> {
  const values: Record<string, string> = {}
  for (const line of text.split("\n")) {
    const match = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/.exec(line.replace(/\r$/, ""))
    if (match) values[match[1]!] = match[2]!
  }
  return values
}

export function renderEnvFile(envName: string, values: Readonly<Record<string, string>>): string {
  return (
    [
      `# Local secrets of the ${envName} deploy, made by deploy-pipeline; never commit this file.`,
      "# Delete a line to have it generated again (a new SECRET_KEY logs everyone out).",
      ...Object.entries(values).map(([name, value]) => `${name}=${value}`),
    ].join("\n") + "\n"
  )
}

export interface DevSecretKey {
  variable: string
  value: string
  /** Where it came from this time. */
  origin: "file" | "generated"
  file: string
}

export interface EnsureSecretKeyOptions {
  /** The project's root, where `.deploy-pipeline/` is kept. */
  root: string
  /** The process environment the secrets are resolved from (default process.env). */
  env?: Readonly<Record<string, string | undefined>>
  /** For tests: the random source of generateSecretKey. */
  pick?: (n: number) => number
}

/**
 * The development key when SECRET_KEY's variable is unset: read from the local file, or
 * generated and written there (0600, in a 0700 folder). Undefined when nothing is needed.
 * Merge `{ [variable]: value }` into the environment the secrets are resolved from.
 */
export async function ensureDevSecretKey(
  config: SecretKeyInput,
  options: EnsureSecretKeyOptions,
): Promise<DevSecretKey | undefined> {
  const need = secretKeyNeed(config, options.env ?? process.env)
  if (need.kind === "none") return undefined
  const file = devSecretsFile(options.root, config.envName)
  const existing = await readExisting(file)
  const kept = existing[need.variable]
  if (kept !== undefined && kept !== "") return { variable: need.variable, value: kept, origin: "file", file }
  const value = generateSecretKey(options.pick)
  await mkdir(dirname(file), { recursive: true, mode: 0o700 })
  const partial = `${file}.${process.pid}.partial`
  await writeFile(partial, renderEnvFile(config.envName, { ...existing, [need.variable]: value }), { mode: 0o600 })
  await chmod(partial, 0o600) // the umask may have narrowed it further, never widened; make it exact
  await rename(partial, file)
  return { variable: need.variable, value, origin: "generated", file }
}

async function readExisting(file: string): Promise<Record<string, string>> {
  try {
    return parseEnvFile(await readFile(file, "utf8"))
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return {}
    throw new DevSecretKeyError(
      `cannot read ${file} (${(error as NodeJS.ErrnoException).code ?? "error"}); check its owner and mode (0600), or delete it to have the key generated again`,
      { cause: error },
    )
  }
}
