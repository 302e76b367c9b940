/**
 * Splits a SQL file into statements with the real PostgreSQL parser (libpg-query, WASM) and gives
 * each statement the line it starts on, skipping the comments Django's sqlmigrate puts before it.
 * libpg-query reports byte offsets, so lines are counted on the UTF-8 bytes, not on JS characters.
 */
import { type Node, hasSqlDetails, loadModule, parseSync } from "libpg-query"
import type { SqlFile } from "./sql-file.js"

export interface Statement {
  /** 1-based line of the statement's first token. */
  line: number
  /** The statement's text without the trailing semicolon. */
  sql: string
  node: Node
}

export interface ParsedFile {
  path: string
  statements: Statement[]
  /** Set when the file is not valid SQL; `statements` is then empty. */
  syntaxError?: { line: number; message: string }
}

let loaded: Promise<void> | undefined

/** Loads the WASM parser once per process; later calls return at once. */
export function loadParser(): Promise<void> {
  loaded ??= loadModule()
  return loaded
}

export async function parseFile(file: SqlFile): Promise<ParsedFile> {
  await loadParser()
  return parseFileSync(file)
}

/** Needs `loadParser()` to have resolved (the benchmark calls this warm). */
export function parseFileSync(file: SqlFile): ParsedFile {
  const text = blankMetaCommands(file.content)
  // sqlmigrate prints nothing for a migration with no operations (auth 0006); libpg-query refuses "".
  if (text === "") return { path: file.path, statements: [] }
  const bytes = Buffer.from(text, "utf8")
  const lineAt = lineIndex(bytes)
  let tree
  try {
    tree = parseSync(text)
  } catch (error) {
    const position = hasSqlDetails(error) ? (error.sqlDetails?.cursorPosition ?? 0) : 0
    return {
      path: file.path,
      statements: [],
      syntaxError: { line: lineAt(position), message: (error as Error).message },
    }
  }
  const statements: Statement[] = []
  for (const raw of tree.stmts ?? []) {
    if (!raw.stmt) continue
    const from = raw.stmt_location ?? 0
    const to = raw.stmt_len ? from + raw.stmt_len : bytes.length
    const start = skipSpaceAndComments(bytes, from, to)
    statements.push({ line: lineAt(start), sql: bytes.subarray(start, to).toString("utf8").trimEnd(), node: raw.stmt })
  }
  return { path: file.path, statements }
}

/**
 * psql meta-commands are not SQL: pg_dump 15.14+ writes `\restrict KEY` lines. They are blanked
 * with spaces so that every byte offset and line stays where it was.
 */
export function blankMetaCommands(text: string): string {
  return text.replace(/^\\[^\n]*/gm, (line) => " ".repeat(Buffer.byteLength(line, "utf8")))
}

/** Maps a byte offset to its 1-based line. */
function lineIndex(bytes: Buffer): (offset: number) => number {
  const starts = [0]
  for (let i = 0; i < bytes.length; i++) if (bytes[i] === 0x0a) starts.push(i + 1)
  return (offset) => {
    let lo = 0
    let hi = starts.length - 1
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1
      if (starts[mid]! <= offset) lo = mid
      else hi = mid - 1
    }
    return lo + 1
  }
}

const SPACE = new Set([0x20, 0x09, 0x0a, 0x0d, 0x0b, 0x0c])

/** The offset of the first byte in [from, to) that is not whitespace or a comment. */
function skipSpaceAndComments(bytes: Buffer, from: number, to: number): number {
  let i = from
  while (i < to) {
    if (SPACE.has(bytes[i]!)) i++
    else if (bytes[i] === 0x2d && bytes[i + 1] === 0x2d) {
      while (i < to && bytes[i] !== 0x0a) i++
    } else if (bytes[i] === 0x2f && bytes[i + 1] === 0x2a) {
      let depth = 1
      i += 2
      while (i < to && depth > 0) {
        if (bytes[i] === 0x2f && bytes[i + 1] === 0x2a) (depth++, (i += 2))
        else if (bytes[i] === 0x2a && bytes[i + 1] === 0x2f) (depth--, (i += 2))
        else i++
      }
    } else break
  }
  return i
}
