/**
 * The `deploy-pipeline` process (from the sources: test/helpers/bin.ts runs the same runBin
 * as bin/deploy-pipeline.js) on broken copies of the shipped environments: each
 * exits 1 with file:line:col and no stack trace. The time bound is a hang guard (the
 * commands take well under a second), not a speed measurement.
 */
import { expect } from "chai"
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { cliProcess } from "../helpers/cli.js"
import { ENVIRONMENTS } from "../helpers/paths.js"

type Breakage = (text: string) => string | Uint8Array

const DEFECTS: { name: string; file: string; breakage: Breakage; line: RegExp }[] = [
  {
    name: "YAML syntax error",
    file: "staging.yaml",
    breakage: (t) => t.replace("  replicas: 2\n", "  replicas: [2\n"),
    line: /staging\.yaml:\d+:\d+ \(file\): YAML syntax error: /,
  },
  {
    name: "duplicate key",
    file: "staging.yaml",
    breakage: (t) => t.replace("  replicas: 2\n", "  replicas: 2\n  replicas: 3\n"),
    line: /staging\.yaml:18:3 runtime\.replicas: duplicate key "replicas" \(first set at line 17\)/,
  },
  {
    name: "wrong type",
    file: "production.yaml",
    breakage: (t) => t.replace("replicas: 3", "replicas: three"),
    line: /production\.yaml:23:13 runtime\.replicas: "three" is not allowed here; write a whole number from 1 to 50/,
  },
  {
    name: "unknown key",
    file: "production.yaml",
    breakage: (t) => t.replace("replicas: 3", "replicass: 3"),
    line: /production\.yaml:23:3 runtime\.replicass: unknown key "replicass"; did you mean "replicas"\?/,
  },
  {
    name: "missing required key",
    file: "base.yaml",
    breakage: (t) => t.replace("  healthy_threshold: 3\n", ""),
    line: /base\.yaml:55:1 health\.healthy_threshold: required key is missing; add it \(a whole number from 1 to 20\)/,
  },
  {
    name: "out-of-range value",
    file: "base.yaml",
    breakage: (t) => t.replace("  port: 8000", "  port: 80000"),
    line: /base\.yaml:9:9 app\.port: 80000 is out of range; write a whole number from 1 to 65535/,
  },
  {
    name: "empty file",
    file: "testing.yaml",
    breakage: () => "",
    line: /testing\.yaml:1:1 \(file\): the file is empty/,
  },
  {
    name: "not a mapping",
    file: "testing.yaml",
    breakage: () => "- tier: testing\n",
    line: /testing\.yaml:1:1 \(file\): the top level is a list/,
  },
  {
    name: "alias bomb",
    file: "testing.yaml",
    breakage: (t) =>
      `${t}x: &a [1,1,1,1,1,1,1,1,1,1]\n${"bcdefghij"
        .split("")
        .map((c, i) => `${c}: &${c} [${Array(10).fill(`*${"abcdefghij"[i]}`).join(",")}]`)
        .join("\n")}\n`,
    line: /testing\.yaml:1:1 \(file\): aliases expand to too many nodes/,
  },
  {
    name: "60,000-key file",
    file: "testing.yaml",
    breakage: () => Array.from({ length: 60_000 }, (_, i) => `key_${i}: ${i}`).join("\n"),
    line: /testing\.yaml:1:1 \(file\): the file is \d+ KiB; environment files are at most 256 KiB/,
  },
  {
    name: "random bytes",
    file: "development.yaml",
    breakage: () => new Uint8Array(Array.from({ length: 8192 }, (_, i) => (i * 2654435761) % 251)),
    line: /development\.yaml:\d+:\d+ \(file\): (the file holds a control character|the file is not UTF-8 text)/,
  },
]

function brokenCopy(file: string, breakage: Breakage): string {
  const copy = mkdtempSync(join(tmpdir(), "dp-bin-"))
  cpSync(ENVIRONMENTS, copy, { recursive: true })
  writeFileSync(join(copy, file), breakage(readFileSync(join(copy, file), "utf8")))
  return copy
}

describe("cli/bin: the deploy-pipeline process", () => {
  it("config check exits 0 on the shipped environments", () => {
    const result = cliProcess(["config", "check"])
    expect(result.stderr).to.equal("")
    expect(result.code).to.equal(0)
    expect(
      result.stdout
        .trim()
        .split("\n")
        .map((l) => l.split(":")[0]),
    ).to.deep.equal(["ok development", "ok production", "ok staging", "ok testing"])
  })

  for (const defect of DEFECTS) {
    it(`exits 1 on a ${defect.name}, located, with no stack trace`, () => {
      const copy = brokenCopy(defect.file, defect.breakage)
      const result = cliProcess(["config", "check", "--dir", copy])
      expect(result.code, result.stderr).to.equal(1)
      expect(result.stdout).to.equal("")
      const lines = result.stderr.trim().split("\n")
      expect(
        lines.some((l) => l.startsWith(`${copy}/`) && defect.line.test(l)),
        result.stderr,
      ).to.equal(true)
      expect(lines.at(-1)).to.match(/^\d+ problems? in .+; nothing was changed$/)
      expect(result.stderr).to.not.match(/^\s+at /m)
      expect(result.ms).to.be.below(10_000)
    })
  }

  it("exits 1 on an unknown --env, listing the names that exist", () => {
    const result = cliProcess(["config", "check", "--env", "qa"])
    expect(result).to.deep.include({
      code: 1,
      stdout: "",
      stderr: 'unknown environment "qa"; environments in environments: development, production, staging, testing\n',
    })
  })
})
