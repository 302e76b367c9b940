/**
 * Each YAML vendor config parses and validates against its vendor's published JSON schema
 * (vendored in test/fixtures/schemas, compiled with ajv 8 as its SOURCES.md describes).
 * A broken copy of each config must fail, so a schema that accepts anything cannot pass silently.
 */
import { createHash } from "node:crypto"
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"

import { expect } from "chai"
import type { ValidateFunction } from "ajv"

import { ROOT } from "../helpers/paths.js"
import {
  type Vendor,
  SCHEMAS_DIR,
  VENDOR_CONFIGS,
  compileComposeSchema,
  compileVendorSchema,
  parseYamlConfig,
  requireSchemasDir,
  schemaProblems,
} from "./support/schemas.js"

/** One defect per vendor that its schema must reject: the config's text with one line changed. */
const DEFECTS: Record<Vendor, { from: string; to: string; problem: RegExp }> = {
  github: {
    from: "    concurrency:\n      group: deploy-staging\n",
    to: "    concurrency:\n      group: [deploy-staging]\n",
    problem: /^ci\/vendors\/github\/workflow\.yml:\d+:\d+ \/jobs\/deploy-staging/,
  },
  gitlab: {
    from: "  resource_group: deploy-staging\n",
    to: "  resource_group: [deploy-staging]\n",
    problem: /^ci\/vendors\/gitlab\/\.gitlab-ci\.yml:\d+:\d+ \/deploy-staging\/resource_group: must be string/,
  },
  circleci: {
    from: "          requires: [ci]\n          context: registry\n          filters:\n            branches:\n              only: main\n",
    to: "          requires: [ci]\n          context: registry\n          filters:\n            branches:\n              include: main\n",
    problem:
      /^ci\/vendors\/circleci\/config\.yml:\d+:\d+ \/workflows\/pipeline\/jobs\/1\/publish\/filters\/branches: must NOT have additional properties/,
  },
  azure: {
    from: "lockBehavior: sequential\n",
    to: "lockBehavior: whenever\n",
    problem: /^ci\/vendors\/azure\/azure-pipelines\.yml:\d+:\d+ \/lockBehavior/,
  },
  bitbucket: {
    from: "          trigger: manual\n          concurrency-group: deploy-staging\n",
    to: "          trigger: later\n          concurrency-group: deploy-staging\n",
    problem:
      /^ci\/vendors\/bitbucket\/bitbucket-pipelines\.yml:\d+:\d+ \/pipelines\/branches\/main\/\d+\/step\/trigger: must be equal to one of the allowed values/,
  },
}

describe("vendor configs against their JSON schemas", function () {
  // Compiling azure's 1.6 MB schema without unicode regexps takes about two seconds.
  this.timeout(60_000)

  it("finds the vendored schemas inside the repository", () => {
    expect(SCHEMAS_DIR).to.equal(path.join(ROOT, "test", "fixtures", "schemas"))
    expect(requireSchemasDir()).to.equal(SCHEMAS_DIR)
  })

  it("fails with a clear message when the schemas folder is missing", () => {
    const missing = path.join(os.tmpdir(), "no-such-fixtures", "schemas")
    expect(() => requireSchemasDir(missing)).to.throw(
      `the CI schemas are missing: expected ${missing} (the vendored schemas, with SOURCES.md); restore test/fixtures/schemas from git`,
    )
  })

  it("lists every vendored schema in SOURCES.md with its SHA-256, and ships each licence file it names", () => {
    const sources = fs.readFileSync(path.join(SCHEMAS_DIR, "SOURCES.md"), "utf8")
    const listed = [...sources.matchAll(/^\| `([\w.-]+\.json)` \| `([0-9a-f]{64})` \|$/gm)].map(([, file, sha]) => ({
      file,
      sha,
    }))
    const actual = fs
      .readdirSync(SCHEMAS_DIR)
      .filter((f) => f.endsWith(".json"))
      .sort()
      .map((file) => ({
        file,
        sha: createHash("sha256")
          .update(fs.readFileSync(path.join(SCHEMAS_DIR, file)))
          .digest("hex"),
      }))
    expect(listed).to.deep.equal(actual)
    // The last column of the Licences table names the files copied into licenses/.
    const licenceTable = sources.split("## Licences")[1]!.split("\n## ")[0]!
    const copied = [...licenceTable.matchAll(/\| ([^|]*) \|$/gm)]
      .slice(2)
      .flatMap(([, cell]) => [...cell!.matchAll(/`([^`]+)`/g)].map(([, name]) => name))
    const licences = [...new Set(copied)].sort()
    expect(licences).to.deep.equal(fs.readdirSync(path.join(SCHEMAS_DIR, "licenses")).sort())
  })

  it("covers every YAML config under ci/vendors", () => {
    const yamls = fs
      .readdirSync(path.join(ROOT, "ci", "vendors"), { recursive: true, encoding: "utf8" })
      .filter((f) => /\.ya?ml$/.test(f))
      .map((f) => path.posix.join("ci/vendors", f.split(path.sep).join("/")))
      .sort()
    expect(VENDOR_CONFIGS.map((c) => c.config).sort()).to.deep.equal(yamls)
  })

  for (const { vendor, config } of VENDOR_CONFIGS) {
    describe(vendor, () => {
      let validate: ValidateFunction
      before(() => {
        validate = compileVendorSchema(vendor)
      })

      it(`${config} is valid`, () => {
        expect(schemaProblems(validate, parseYamlConfig(config))).to.deep.equal([])
      })

      it("a broken copy is rejected, naming the file, line and path", () => {
        const { from, to, problem } = DEFECTS[vendor]
        const text = fs.readFileSync(path.join(ROOT, config), "utf8")
        expect(text.split(from)).to.have.length(2, `the defect's anchor text occurs exactly once in ${config}`)
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "vendor-defect-"))
        try {
          fs.mkdirSync(path.join(dir, path.dirname(config)), { recursive: true })
          fs.writeFileSync(path.join(dir, config), text.replace(from, to))
          const problems = schemaProblems(validate, parseYamlConfig(config, dir))
          expect(problems.length).to.be.greaterThan(0)
          expect(
            problems.some((p) => problem.test(p)),
            problems.join("\n"),
          ).to.equal(true)
        } finally {
          fs.rmSync(dir, { recursive: true, force: true })
        }
      })
    })
  }

  it("compose's schema compiles too, with the draft-07 meta-schema registered under its spelling", () => {
    const validate = compileComposeSchema()
    expect(
      validate({ services: { web: { image: "registry.example.com/acme/webapp@sha256:" + "0".repeat(64) } } }),
    ).to.equal(true)
    expect(validate({ services: { web: { image: 42 } } })).to.equal(false)
  })
})
