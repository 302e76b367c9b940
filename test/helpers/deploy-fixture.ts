/**
 * Shared setup of the deploy engine's real-engine specs: Docker and the test images, a scratch
 * ledger database, a throwaway environment, the engine the CLI builds, and cleanup of every
 * container and network the project made.
 */
import { execFileSync } from "node:child_process"
import { mkdtempSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { stringify } from "yaml"
import type { Environment } from "../../core/config/load.js"
import { localEngine } from "../../core/cli/engine.js"
import type { EngineDeps } from "../../core/deploy/session.js"
import { LABEL, projectNames } from "../../core/deploy/names.js"
import { type TestImages, ensureTestImages, requireDocker } from "./docker-images.js"
import { ensureHaproxyImage } from "./haproxy-image.js"
import { TEST_SECRET_VALUES, type TestEnvironmentOptions, testEnvironment } from "./deploy-env.js"
import { type ScratchDatabase, createScratchDatabase } from "./postgres.js"

export interface DeployFixture {
  images: TestImages
  db: ScratchDatabase
  env: Environment & { raw: Record<string, unknown> }
  logs: string[]
  engine(env?: Environment): Promise<EngineDeps>
  /** Writes the environment as YAML files (base-free) so the CLI process can load it; returns the folder. */
  writeEnvironments(): string
  /** GET / through the live proxy port: the version serving. */
  serving(): Promise<string>
  cleanup(): Promise<void>
}

export async function deployFixture(
  label: string,
  options: Partial<TestEnvironmentOptions> = {},
): Promise<DeployFixture> {
  requireDocker()
  Object.assign(process.env, TEST_SECRET_VALUES, { DEPLOY_PIPELINE_USER: "spec" })
  const images = await ensureTestImages()
  const db = await createScratchDatabase(label)
  const app = `dp${label}${process.pid % 10000}`
  // Both drivers' proxy, HAProxy, by image ID (a rebuild elsewhere that moves a tag does not change it).
  const proxyImage = await ensureHaproxyImage()
  const env = await testEnvironment({
    name: options.name ?? "dev",
    app,
    ledgerDatabase: db.name,
    proxyImage,
    ...options,
  })
  const logs: string[] = []
  return {
    images,
    db,
    env,
    logs,
    engine: (e = env) => localEngine(e, (line) => logs.push(line)),
    writeEnvironments() {
      const dir = mkdtempSync(join(tmpdir(), "dp-envs-"))
      writeFileSync(join(dir, `${env.name}.yaml`), stringify(env.raw))
      return dir
    },
    async serving() {
      const response = await fetch(`http://127.0.0.1:${env.config.deploy.proxy.http_port}/`)
      return (await response.text()).trim()
    },
    async cleanup() {
      removeProject(env)
      await db.drop()
    },
  }
}

/** Removes every container of the environment's project, and its network if there is one. */
export function removeProject(env: Environment): void {
  const { project, network } = projectNames(env.config.app.name, env.name)
  const ids = execFileSync("docker", ["ps", "-aq", "--filter", `label=${LABEL.project}=${project}`], {
    encoding: "utf8",
  }).trim()
  if (ids) execFileSync("docker", ["rm", "-f", ...ids.split("\n")], { stdio: "ignore" })
  try {
    execFileSync("docker", ["network", "rm", network], { stdio: "ignore" })
  } catch {
    // never created
  }
}
