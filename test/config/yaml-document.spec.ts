/** Hostile and broken input fails fast, located, and never as an exception. */
import { expect } from "chai"
import { LIMITS, readYamlFile } from "../../core/config/yaml-document.js"
import { formatProblem } from "../../core/config/problem.js"

const problems = (content: string | Uint8Array, size?: number) => {
  const result = readYamlFile("env.yaml", content, size)
  return result.ok ? [] : result.problems.map(formatProblem)
}

/** A small deterministic PRNG (mulberry32), so "random bytes" are the same on every run. */
function randomBytes(seed: number, length: number): Uint8Array {
  let state = seed
  const bytes = new Uint8Array(length)
  for (let i = 0; i < length; i++) {
    state = (state + 0x6d2b79f5) | 0
    let t = Math.imul(state ^ (state >>> 15), 1 | state)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    bytes[i] = ((t ^ (t >>> 14)) >>> 0) & 0xff
  }
  return bytes
}

describe("config/yaml-document", () => {
  it("parses a mapping and keeps its document for locating problems", () => {
    const result = readYamlFile("env.yaml", "tier: staging\nruntime:\n  replicas: 2\n")
    expect(result.ok).to.equal(true)
    if (result.ok) expect(result.parsed.data).to.deep.equal({ tier: "staging", runtime: { replicas: 2 } })
  })

  it("refuses random bytes as binary, for 20 seeds", () => {
    for (let seed = 1; seed <= 20; seed++) {
      const lines = problems(randomBytes(seed, 4096))
      expect(lines, `seed ${seed}`).to.have.length(1)
      expect(lines[0], `seed ${seed}`).to.match(
        /^env\.yaml:1:1 \(file\): the file is not UTF-8 text; environment files are YAML\. Is this the right file\?$|^env\.yaml:\d+:\d+ \(file\): the file holds a control character \(0x[0-9a-f]{2}\), so it is binary, not YAML\. Is this the right file\?$/,
      )
    }
  })

  it("locates a control character in otherwise valid text", () => {
    expect(problems("tier: staging\nrun\u0000time: {}\n")).to.deep.equal([
      "env.yaml:2:4 (file): the file holds a control character (0x00), so it is binary, not YAML. Is this the right file?",
    ])
  })

  it("refuses invalid UTF-8", () => {
    expect(problems(new Uint8Array([0x74, 0x69, 0x65, 0x72, 0x3a, 0x20, 0xff, 0xfe, 0x0a]))).to.deep.equal([
      "env.yaml:1:1 (file): the file is not UTF-8 text; environment files are YAML. Is this the right file?",
    ])
  })

  it("refuses a 60,000-key file without validating it", () => {
    const text = Array.from({ length: 60_000 }, (_, i) => `k${i}: ${i}`).join("\n")
    expect(problems(text)).to.deep.equal([
      "env.yaml:1:1 (file): the file is 799 KiB; environment files are at most 256 KiB. Is this the right file?",
    ])
  })

  it("refuses a file with more keys than any environment needs, even when it is small", () => {
    const text = `a: {${Array.from({ length: 6_000 }, (_, i) => `${i.toString(36)}: 1`).join(", ")}}`
    expect(Buffer.byteLength(text)).to.be.below(LIMITS.maxBytes)
    expect(problems(text)).to.deep.equal([
      "env.yaml:1:1 (file): the file has more than 5,000 keys; environment files have a few hundred at most. Is this the right file?",
    ])
  })

  it("refuses an oversized file from its size alone, unread", () => {
    expect(problems("", 50 * 1024 * 1024)).to.deep.equal([
      "env.yaml:1:1 (file): the file is 50.0 MiB; environment files are at most 256 KiB. Is this the right file?",
    ])
  })

  it("stops an alias bomb", () => {
    const levels = ["a: &a [x, x, x, x, x, x, x, x, x]"]
    for (let i = 1; i < 9; i++)
      levels.push(
        `${"abcdefghi"[i]}: &${"abcdefghi"[i]} [${Array(9)
          .fill(`*${"abcdefghi"[i - 1]}`)
          .join(", ")}]`,
      )
    expect(problems(levels.join("\n"))).to.deep.equal([
      "env.yaml:1:1 (file): aliases expand to too many nodes (a YAML alias bomb?); environment files need at most 100 alias expansions",
    ])
  })

  it("refuses nesting deep enough to exhaust the parser, before parsing", () => {
    expect(problems(`a: ${"[".repeat(250_000)}`)).to.deep.equal([
      "env.yaml:1:68 (file): values nest more than 64 levels deep; environment files nest a few levels. Is this the right file?",
    ])
    const indented = ["a:", ...Array.from({ length: 200 }, (_, i) => `${" ".repeat(i + 1)}b${i}:`)].join("\n")
    expect(problems(indented)).to.deep.equal([
      "env.yaml:130:129 (file): values nest more than 64 levels deep; environment files nest a few levels. Is this the right file?",
    ])
  })

  it("accepts brackets and hashes inside quotes and comments", () => {
    expect(problems(`a: "${"[".repeat(100)}" # ${"{".repeat(100)}\nb: '${"{".repeat(100)}'\n`)).to.deep.equal([])
  })

  it("reports every duplicate key at every depth", () => {
    expect(problems("a: 1\nb:\n  c: 1\n  c: 2\na: 3\n")).to.deep.equal([
      'env.yaml:4:3 b.c: duplicate key "c" (first set at line 3); keep one of them',
      'env.yaml:5:1 a: duplicate key "a" (first set at line 1); keep one of them',
    ])
  })
})
