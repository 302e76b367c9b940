/**
 * Images of the reference Django app, built by test/fixtures/images/django-app.sh: the app's own
 * Dockerfile (production target) on a Python base made from Debian's packages, with wheels from
 * PyPI (see the script). A variant is a copy of the app with some files changed (a migration, a
 * setting), built under its own tag, so each variant has its own image ID; Docker's layer cache
 * makes the rebuild of an unchanged variant quick. Specs that need them fail, never skip, when
 * the build cannot run.
 */
import { execFile } from "node:child_process"
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { dirname, join } from "node:path"
import { promisify } from "node:util"
import { requireDocker } from "./docker-images.js"
import { FIXTURES } from "./paths.js"

const execFileAsync = promisify(execFile)

export const DJANGO_APP_DIR = join(FIXTURES, "django-app")
export const DJANGO_IMAGE_SCRIPT = join(FIXTURES, "images", "django-app.sh")
export const WEBAPP_REPOSITORY = "deploy-pipeline-test/webapp"

export interface AppVariant {
  /** The image tag under WEBAPP_REPOSITORY. */
  tag: string
  /** The image's VERSION build arg. */
  version: string
  /** Files to change in the copy of the app: new content, or an edit of the current content. */
  files?: Record<string, string | ((text: string) => string)>
}

export interface AppImage {
  tag: string
  /** The image ID (sha256:…), what a deploy pins. */
  id: string
  seconds: number
}

/** Copies the app, applies the variant's edits (each must change its file), builds it. */
export async function buildAppImage(variant: AppVariant): Promise<AppImage> {
  requireDocker()
  const source = mkdtempSync(join(tmpdir(), `webapp-${variant.tag}-`))
  try {
    cpSync(DJANGO_APP_DIR, source, { recursive: true })
    for (const [file, change] of Object.entries(variant.files ?? {})) {
      const path = join(source, file)
      const before = typeof change === "string" ? null : readFileSync(path, "utf8")
      const after = typeof change === "string" ? change : change(before!)
      if (after === before) throw new Error(`the ${variant.tag} variant's edit of ${file} changed nothing`)
      mkdirSync(dirname(path), { recursive: true })
      writeFileSync(path, after)
    }
    const tag = `${WEBAPP_REPOSITORY}:${variant.tag}`
    const started = performance.now()
    let stdout: string
    try {
      ;({ stdout } = await execFileAsync(
        "bash",
        [DJANGO_IMAGE_SCRIPT, "--source", source, "--tag", tag, "--version", variant.version],
        { encoding: "utf8", timeout: 600_000, maxBuffer: 16 * 1024 * 1024 },
      ))
    } catch (err) {
      const e = err as { stderr?: string; message: string }
      throw new Error(`test/fixtures/images/django-app.sh failed for ${tag}: ${e.stderr?.trim() || e.message}`)
    }
    const [printedTag, id] = stdout.trim().split("\n").at(-1)!.split(" ")
    if (printedTag !== tag || !id?.startsWith("sha256:"))
      throw new Error(`django-app.sh printed no image ID for ${tag}:\n${stdout}`)
    return { tag, id, seconds: (performance.now() - started) / 1000 }
  } finally {
    rmSync(source, { recursive: true, force: true })
  }
}
