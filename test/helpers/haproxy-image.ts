/**
 * The proxy image for specs: test/fixtures/images/haproxy.sh builds Debian's HAProxy (with
 * busybox's nc for the runtime API) on the debootstrapped base, and the debootstrapped base
 * itself runs test/fixtures/proxy/backend.py as an upstream. Specs FAIL without Docker.
 */
import { execFile } from "node:child_process"
import { join } from "node:path"
import { promisify } from "node:util"
import { requireDocker } from "./docker-images.js"
import { ROOT } from "./paths.js"

const execFileAsync = promisify(execFile)

export const HAPROXY_IMAGE = "deploy-pipeline-test/haproxy:local"
export const PYTHON_BASE_IMAGE = "deploy-pipeline-test/python:3.11-bookworm"
export const BACKEND_SCRIPT = join(ROOT, "test", "fixtures", "proxy", "backend.py")

let built: Promise<string> | undefined

/** Runs haproxy.sh once per process (instant when the image is current) and returns the image ID. */
export function ensureHaproxyImage(): Promise<string> {
  built ??= build()
  built.catch(() => (built = undefined))
  return built
}

async function build(): Promise<string> {
  requireDocker()
  const script = join(ROOT, "test", "fixtures", "images", "haproxy.sh")
  try {
    const { stdout } = await execFileAsync("bash", [script], { encoding: "utf8", timeout: 600_000 })
    const [tag, id] = stdout.trim().split(" ")
    if (tag !== HAPROXY_IMAGE || !id?.startsWith("sha256:"))
      throw new Error(`haproxy.sh printed no image ID:\n${stdout}`)
    return id
  } catch (err) {
    const e = err as { stderr?: string; message: string }
    throw new Error(`test/fixtures/images/haproxy.sh failed: ${e.stderr?.trim() || e.message}`)
  }
}
