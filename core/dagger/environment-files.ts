/** Reads environment files out of a Dagger Directory (the Dagger edge of core/config). */
import type { Directory } from "@dagger.io/dagger"
import { type EnvironmentFile, isEnvironmentFile } from "../config/load.js"
import { LIMITS } from "../config/yaml-document.js"

export async function readEnvironmentFiles(dir: Directory, label: string): Promise<EnvironmentFile[]> {
  const names = (await dir.entries()).filter((name) => isEnvironmentFile(name)).sort()
  return Promise.all(
    names.map(async (name) => {
      const file = dir.file(name)
      const size = await file.size()
      const content = size > LIMITS.maxBytes ? "" : await file.contents()
      return { path: `${label}/${name}`, content, size }
    }),
  )
}
