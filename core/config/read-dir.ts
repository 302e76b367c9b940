/** Reads an environments folder from the local filesystem (the CLI's edge). */
import { readFile, readdir } from "node:fs/promises"
import { join } from "node:path"
import { type EnvironmentFile, isEnvironmentFile } from "./load.js"

export async function readEnvironmentDir(dir: string): Promise<EnvironmentFile[]> {
  const names = (await readdir(dir, { withFileTypes: true }))
    .filter((e) => e.isFile() && isEnvironmentFile(e.name))
    .map((e) => e.name)
    .sort()
  return Promise.all(names.map(async (name) => ({ path: join(dir, name), content: await readFile(join(dir, name)) })))
}
