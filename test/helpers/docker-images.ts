/**
 * The real Docker engine for integration specs: a check that it runs, and the fixture images that
 * test/fixtures/images/build.sh makes with `docker import` (see the top of that script for the app
 * image's env-var contract). Specs that need Docker FAIL without it, they never skip.
 *
 * The client is `docker` from PATH unless DOCKER names another binary. On the test machines PATH
 * finds /usr/local/bin/docker (28.x) first; it negotiates the API down to Debian's daemon (20.10,
 * API 1.41) by itself. Debian's own client is /usr/bin/docker.
 */
import { execFile, spawnSync } from "node:child_process"
import { join } from "node:path"
import { promisify } from "node:util"
import { ROOT } from "./paths.js"

const execFileAsync = promisify(execFile)

export const DOCKER = process.env.DOCKER ?? "docker"
export const BUILD_SCRIPT = join(ROOT, "test", "fixtures", "images", "build.sh")

export const APP_REPOSITORY = "deploy-pipeline-test/app"
export const APP_VERSIONS = ["v1", "v2", "v3", "v4"] as const
export type AppVersion = (typeof APP_VERSIONS)[number]
export const CADDY_IMAGE = "deploy-pipeline-test/caddy:local"
/** The app image's HTTP port inside the container. */
export const APP_PORT = 8000
/** The Caddy image's admin API port inside the container (it listens on 0.0.0.0). */
export const CADDY_ADMIN_PORT = 2019

export interface TestImages {
  /** Image IDs (sha256:…) by version: v1, v2 healthy; v3 health always fails; v4 fails 10 s after start. */
  app: Record<string, string>
  /** Image ID of deploy-pipeline-test/caddy:local. */
  caddy: string
}

export interface DockerVersions {
  client: string
  server: string
  apiVersion: string
}

const NOT_RUNNING = "docker engine not running: run ci/setup/docker.sh"

/** Throws when the Docker engine does not answer; returns the client and server versions. */
export function requireDocker(): DockerVersions {
  const result = spawnSync(
    DOCKER,
    ["version", "--format", "{{.Client.Version}}|{{.Server.Version}}|{{.Server.APIVersion}}"],
    { encoding: "utf8", timeout: 20_000 },
  )
  if (result.error || result.status !== 0) {
    const why = result.error ? result.error.message : (result.stderr || result.stdout).trim()
    throw new Error(`${NOT_RUNNING} (${DOCKER} version: ${why})`)
  }
  const [client = "", server = "", apiVersion = ""] = result.stdout.trim().split("|")
  if (!server) throw new Error(`${NOT_RUNNING} (${DOCKER} version printed no server version)`)
  return { client, server, apiVersion }
}

let images: Promise<TestImages> | undefined

/** Runs build.sh once per process (it is quick when the images are current) and returns the image IDs. */
export function ensureTestImages(): Promise<TestImages> {
  images ??= buildImages()
  // A failed build is not cached: the next caller runs the script again.
  images.catch(() => (images = undefined))
  return images
}

async function buildImages(): Promise<TestImages> {
  requireDocker()
  let stdout: string
  try {
    ;({ stdout } = await execFileAsync("bash", [BUILD_SCRIPT], {
      encoding: "utf8",
      timeout: 300_000,
      maxBuffer: 16 * 1024 * 1024,
      env: { ...process.env, PATH: pathWithDocker() },
    }))
  } catch (err) {
    const e = err as { stderr?: string; message: string }
    throw new Error(`test/fixtures/images/build.sh failed: ${e.stderr?.trim() || e.message}`)
  }
  const ids = new Map<string, string>()
  for (const line of stdout.trim().split("\n")) {
    const [tag, id] = line.split(" ")
    if (tag && id?.startsWith("sha256:")) ids.set(tag, id)
  }
  const app: Record<string, string> = {}
  for (const version of APP_VERSIONS) {
    const id = ids.get(`${APP_REPOSITORY}:${version}`)
    if (!id) throw new Error(`build.sh printed no image ID for ${APP_REPOSITORY}:${version}:\n${stdout}`)
    app[version] = id
  }
  const caddy = ids.get(CADDY_IMAGE)
  if (!caddy) throw new Error(`build.sh printed no image ID for ${CADDY_IMAGE}:\n${stdout}`)
  return { app, caddy }
}

/** build.sh calls `docker`; when DOCKER names a binary elsewhere, put its folder first on PATH. */
function pathWithDocker(): string {
  const path = process.env.PATH ?? ""
  const slash = DOCKER.lastIndexOf("/")
  return slash > 0 ? `${DOCKER.slice(0, slash)}:${path}` : path
}
