/** The environments reference (docs/environments.md, linked from the README) documents every key of the schema, and only those. */
import { expect } from "chai"
import { readFileSync } from "node:fs"
import { join } from "node:path"
import { z } from "zod"
import { schemaAt } from "../core/config/expectation.js"
import { EnvironmentSchema, REQUIRED_SECRETS, TIERS } from "../core/config/schema.js"
import { ROOT } from "./helpers/paths.js"

const readme = readFileSync(join(ROOT, "README.md"), "utf8")
/** The environments reference, which the README links. */
const reference = readFileSync(join(ROOT, "docs", "environments.md"), "utf8")

function leafPaths(path: string[] = []): string[] {
  const node = schemaAt(EnvironmentSchema, path)
  if (node instanceof z.ZodObject) return Object.keys(node.shape as object).flatMap((key) => leafPaths([...path, key]))
  return [path.join(".")]
}

describe("README and docs/environments.md", () => {
  it("documents every environment key, and no key the schema lacks", () => {
    const table = reference.slice(reference.indexOf("| key | value | meaning |")).split("\n\n")[0]!
    const documented = [...table.matchAll(/^\| `([a-z0-9_.]+)` \|/gm)].map((m) => m[1])
    expect(documented).to.deep.equal(leafPaths())
  })

  it("lists the secrets each tier requires, as the schema enforces them", () => {
    for (const tier of TIERS) {
      const names = REQUIRED_SECRETS[tier].length ? REQUIRED_SECRETS[tier].join(", ") : "(none)"
      expect(reference).to.include(`| ${tier} | ${names} |`)
    }
  })

  it("names the test command that .ci/run runs", () => {
    expect(readme).to.include("npm test ")
    expect(readFileSync(join(ROOT, ".ci", "run"), "utf8")).to.match(/^npm test$/m)
  })
})
