/** Absolute paths the specs share: the repository root, its environments and the fixtures. */
import { dirname, join } from "node:path"
import { fileURLToPath } from "node:url"

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "..")
export const ENVIRONMENTS = join(ROOT, "environments")
export const FIXTURES = join(ROOT, "test", "fixtures")
