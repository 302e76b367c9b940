/**
 * Reads one environment file defensively: size, encoding, YAML syntax, duplicate keys, alias
 * bombs and key counts are checked before any schema runs, and every problem is located.
 * Hostile input (random bytes, a 60,000-key file, an alias bomb) fails in milliseconds.
 */
import { Document, LineCounter, Pair, Scalar, YAMLMap, YAMLSeq, isMap, isScalar, isSeq, parseDocument } from "yaml"
import { type ConfigProblem, WHOLE_FILE, formatPath } from "./problem.js"

export const LIMITS = {
  /** Environment files are a few KiB; anything larger is the wrong file or an attack. */
  maxBytes: 256 * 1024,
  maxKeys: 5_000,
  maxAliases: 100,
  /** Flow brackets or indentation this deep only come from generated or hostile input. */
  maxDepth: 64,
  /** Problems printed per file; the rest are counted. */
  maxProblems: 50,
}

export interface ParsedYaml {
  file: string
  doc: Document.Parsed
  lines: LineCounter
  data: Record<string, unknown>
}

export type ReadResult = { ok: true; parsed: ParsedYaml } | { ok: false; problems: ConfigProblem[] }

export function readYamlFile(file: string, content: string | Uint8Array, size?: number): ReadResult {
  const text = decode(file, content, size)
  if (typeof text !== "string") return { ok: false, problems: [text] }
  const lines = new LineCounter()
  const at = (offset: number, path: string, message: string): ConfigProblem => {
    const { line, col } = lines.linePos(offset)
    return { file, line, col, path, message }
  }
  const deep = tooDeepAt(text, LIMITS.maxDepth)
  if (deep !== undefined) {
    const message = `values nest more than ${LIMITS.maxDepth} levels deep; environment files nest a few levels. Is this the right file?`
    return { ok: false, problems: [{ file, ...positionOf(text, deep), path: WHOLE_FILE, message }] }
  }
  let doc: Document.Parsed
  try {
    doc = parseDocument(text, { lineCounter: lines, uniqueKeys: false, prettyErrors: false, strict: true })
  } catch (error) {
    return {
      ok: false,
      problems: [
        {
          file,
          line: 1,
          col: 1,
          path: WHOLE_FILE,
          message: `could not be parsed as YAML (${(error as Error).message}); check the file is YAML`,
        },
      ],
    }
  }
  const problems: ConfigProblem[] = doc.errors.map((e) =>
    at(e.pos[0], WHOLE_FILE, `YAML syntax error: ${firstLine(e.message)}`),
  )
  if (problems.length > 0) return { ok: false, problems }
  if (doc.contents === null || (isScalar(doc.contents) && doc.contents.value === null)) {
    return {
      ok: false,
      problems: [
        {
          file,
          line: 1,
          col: 1,
          path: WHOLE_FILE,
          message: "the file is empty; an environment file is a mapping of keys such as tier, app, deploy and runtime",
        },
      ],
    }
  }
  if (!isMap(doc.contents)) {
    const kind = isSeq(doc.contents) ? "a list" : "a single value"
    return {
      ok: false,
      problems: [
        at(
          doc.contents.range?.[0] ?? 0,
          WHOLE_FILE,
          `the top level is ${kind}; an environment file is a mapping of keys such as tier, app, deploy and runtime`,
        ),
      ],
    }
  }
  const structure = checkStructure(doc.contents, at)
  if (structure.length > 0) return { ok: false, problems: structure }
  let data: unknown
  try {
    data = doc.toJS({ maxAliasCount: LIMITS.maxAliases })
  } catch (error) {
    const message = (error as Error).message
    const hint = /alias/i.test(message)
      ? `aliases expand to too many nodes (a YAML alias bomb?); environment files need at most ${LIMITS.maxAliases} alias expansions`
      : `could not be read (${firstLine(message)})`
    return { ok: false, problems: [{ file, line: 1, col: 1, path: WHOLE_FILE, message: hint }] }
  }
  return { ok: true, parsed: { file, doc, lines, data: data as Record<string, unknown> } }
}

/**
 * A cheap scan, before the YAML parser sees the text: where flow brackets or block indentation
 * first go deeper than `limit`. The parser recurses per level, so a 250 KiB run of "[" must
 * never reach it.
 */
function tooDeepAt(text: string, limit: number): number | undefined {
  let flow = 0
  let quote: string | null = null
  let lineStart = true
  let indent = 0
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!
    if (ch === "\n") {
      lineStart = true
      indent = 0
      continue
    }
    if (lineStart && (ch === " " || ch === "-")) {
      indent += 1
      if (indent / 2 > limit) return i
      continue
    }
    lineStart = false
    if (quote) {
      if (ch === quote) quote = null
    } else if (ch === '"' || ch === "'") {
      quote = ch
    } else if (ch === "#" && (i === 0 || /\s/.test(text[i - 1]!))) {
      const end = text.indexOf("\n", i)
      i = (end === -1 ? text.length : end) - 1
    } else if (ch === "[" || ch === "{") {
      flow += 1
      if (flow > limit) return i
    } else if (ch === "]" || ch === "}") {
      flow = Math.max(0, flow - 1)
    }
  }
  return undefined
}

/** Line and column of an offset, for problems found before the parser has counted lines. */
function positionOf(text: string, offset: number): { line: number; col: number } {
  const before = text.slice(0, offset)
  return { line: before.split("\n").length, col: offset - before.lastIndexOf("\n") }
}

function decode(file: string, content: string | Uint8Array, size?: number): string | ConfigProblem {
  const bytes = typeof content === "string" ? Buffer.from(content, "utf8") : content
  const length = Math.max(size ?? 0, bytes.length)
  if (length > LIMITS.maxBytes) {
    return {
      file,
      line: 1,
      col: 1,
      path: WHOLE_FILE,
      message: `the file is ${formatBytes(length)}; environment files are at most ${formatBytes(LIMITS.maxBytes)}. Is this the right file?`,
    }
  }
  let text: string
  try {
    text = typeof content === "string" ? content : new TextDecoder("utf-8", { fatal: true }).decode(bytes)
  } catch {
    return {
      file,
      line: 1,
      col: 1,
      path: WHOLE_FILE,
      message: "the file is not UTF-8 text; environment files are YAML. Is this the right file?",
    }
  }
  const control = /[\u0000-\u0008\u000e-\u001f\u007f]/.exec(text)
  if (control) {
    const code = control[0].charCodeAt(0).toString(16).padStart(2, "0")
    return {
      file,
      ...positionOf(text, control.index),
      path: WHOLE_FILE,
      message: `the file holds a control character (0x${code}), so it is binary, not YAML. Is this the right file?`,
    }
  }
  return text
}

/** Duplicate keys (with the first one's line), non-scalar keys and the key-count limit, in one walk. */
function checkStructure(
  root: YAMLMap,
  at: (offset: number, path: string, message: string) => ConfigProblem,
): ConfigProblem[] {
  const problems: ConfigProblem[] = []
  let keys = 0
  const walk = (node: unknown, path: PropertyKey[]): void => {
    if (problems.length > LIMITS.maxProblems || keys > LIMITS.maxKeys) return
    if (isMap(node)) {
      const seen = new Map<string, Scalar>()
      for (const pair of node.items as Pair[]) {
        keys += 1
        if (keys > LIMITS.maxKeys) return
        const key = pair.key
        if (!isScalar(key)) {
          problems.push(at(rangeStart(key), formatPath(path), "a key must be plain text, not a list or mapping"))
          continue
        }
        const name = String(key.value)
        const first = seen.get(name)
        if (first) {
          problems.push(
            at(
              rangeStart(key),
              formatPath([...path, name]),
              `duplicate key "${name}" (first set at line ${lineOf(first, at)}); keep one of them`,
            ),
          )
        } else {
          seen.set(name, key)
        }
        walk(pair.value, [...path, name])
      }
    } else if (isSeq(node)) {
      ;(node as YAMLSeq).items.forEach((item, index) => walk(item, [...path, index]))
    }
  }
  walk(root, [])
  if (keys > LIMITS.maxKeys) {
    return [
      at(
        0,
        WHOLE_FILE,
        `the file has more than ${LIMITS.maxKeys.toLocaleString("en-US")} keys; environment files have a few hundred at most. Is this the right file?`,
      ),
    ]
  }
  return problems
}

function rangeStart(node: unknown): number {
  return (node as { range?: [number, number, number] } | null)?.range?.[0] ?? 0
}

function lineOf(node: Scalar, at: (offset: number, path: string, message: string) => ConfigProblem): number {
  return at(rangeStart(node), "", "").line
}

function firstLine(message: string): string {
  return message.split("\n")[0]!.replace(/ at line \d+, column \d+:?$/, "")
}

function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${(bytes / 1024 / 1024).toFixed(1)} MiB`
  return `${Math.round(bytes / 1024)} KiB`
}
