/**
 * Finds every `dagger call …` in the wrappers and vendor configs and checks it against the
 * module's registered functions: function names, flags (constructor flags before the function,
 * the function's own after it), required flags, and chained calls on what the function returns
 * (the module's objects such as ScanReport, or core Directory/File/Container functions).
 *
 * Why: the configs are text that nothing compiles. A renamed function or flag would only show up
 * as a red pipeline on some vendor, after merge. Pure: text in, problems out; the module's
 * description and the core API are passed in.
 */
import { LineCounter, Scalar, parseDocument, visit } from "yaml"

import type { ArgDescription, FunctionDescription, ModuleDescription } from "../../harness/introspect.js"
import type { CoreApi, CoreArg, CoreFunction } from "./core-api.js"

/** One shell word. `dynamic` words contain an expansion ($VAR, $(…), ${…}) whose value is unknown statically. */
export interface Word {
  text: string
  dynamic: boolean
}

/** One `dagger call` found in a file: where, and the words after `call`. */
export interface FoundCall {
  /** `file:line` of the line `dagger` is on. */
  where: string
  words: Word[]
}

const TERMINATORS = new Set([";", "&", "|", ")", "<", ">", "`", "\n"])

/** The index just after the `close` that balances the `open` at `start` (or -1). */
function balanced(text: string, start: number, open: string, close: string): number {
  let depth = 0
  for (let i = start; i < text.length; i++) {
    const c = text[i]
    if (c === "\\") {
      i++
      continue
    }
    if (c === open) depth++
    else if (c === close && --depth === 0) return i + 1
  }
  return -1
}

/**
 * Shell-like words from `start` to the end of the command: stops at an unquoted operator
 * (`;`, `&&`, `|`, `)`, redirections, a backtick), a comment, or a quote that does not close on
 * this line (the closing quote of an enclosing string, as in Groovy's `sh 'dagger call lint'`).
 */
export function shellWords(text: string, start = 0): Word[] {
  const words: Word[] = []
  let i = start
  for (;;) {
    while (i < text.length && (text[i] === " " || text[i] === "\t")) i++
    if (i >= text.length || TERMINATORS.has(text[i]!) || text[i] === "#") return words
    let word = ""
    let dynamic = false
    while (i < text.length && text[i] !== " " && text[i] !== "\t" && !TERMINATORS.has(text[i]!)) {
      const c = text[i]!
      if (c === "'") {
        const end = text.indexOf("'", i + 1)
        if (end < 0) return word ? [...words, { text: word, dynamic }] : words
        word += text.slice(i + 1, end)
        i = end + 1
      } else if (c === '"') {
        let j = i + 1
        while (j < text.length && text[j] !== '"') {
          if (text[j] === "\\") j++
          else if (text[j] === "$" && text[j + 1] === "(") {
            const end = balanced(text, j + 1, "(", ")")
            if (end < 0) break
            j = end - 1
          }
          j++
        }
        if (j >= text.length) return word ? [...words, { text: word, dynamic }] : words
        const inner = text.slice(i + 1, j)
        if (inner.includes("$")) dynamic = true
        word += inner
        i = j + 1
      } else if (c === "$" && (text[i + 1] === "(" || text[i + 1] === "{")) {
        const end = text[i + 1] === "(" ? balanced(text, i + 1, "(", ")") : balanced(text, i + 1, "{", "}")
        if (end < 0) return words
        word += text.slice(i, end)
        dynamic = true
        i = end
      } else if (c === "$") {
        word += c
        dynamic = true
        i++
      } else if (c === "\\") {
        word += text[i + 1] ?? ""
        i += 2
      } else {
        word += c
        i++
      }
    }
    words.push({ text: word, dynamic })
  }
}

/** Joins `\`-newline continuations, keeping each logical line's first physical line number. */
export function logicalLines(text: string): Array<{ line: number; text: string }> {
  const out: Array<{ line: number; text: string }> = []
  const physical = text.split("\n")
  for (let n = 0; n < physical.length; n++) {
    const first = n
    let line = physical[n]!
    while (line.endsWith("\\") && n + 1 < physical.length) line = line.slice(0, -1) + " " + physical[++n]!.trimStart()
    out.push({ line: first + 1, text: line })
  }
  return out
}

const DAGGER = /(^|[\s;&|('"`])dagger(?=\s)/g

/**
 * Every `dagger [global flags] call …` in a piece of shell text. Comment lines (`#`, `//`) are
 * skipped. `firstLine` is the file line of the text's first line; `file` names the source.
 */
export function findCalls(text: string, file: string, firstLine = 1): FoundCall[] {
  const calls: FoundCall[] = []
  for (const { line, text: logical } of logicalLines(text)) {
    const trimmed = logical.trimStart()
    if (trimmed.startsWith("#") || trimmed.startsWith("//")) continue
    for (const match of logical.matchAll(DAGGER)) {
      const words = shellWords(logical, match.index + match[1]!.length + "dagger".length)
      // Global flags (`--progress plain`, `-m mod`) may come before `call`; anything else is another verb.
      let k = 0
      while (k < words.length && words[k]!.text !== "call" && words[k]!.text.startsWith("-"))
        k += words[k]!.text.includes("=") ? 1 : 2
      if (words[k]?.text !== "call") continue
      calls.push({ where: `${file}:${firstLine + line - 1}`, words: words.slice(k + 1) })
    }
  }
  return calls
}

/** The same words as argv (from a recorded run: nothing is dynamic any more). */
export function argvWords(argv: readonly string[]): Word[] {
  return argv.map((text) => ({ text, dynamic: false }))
}

type AnyArg = Pick<ArgDescription, "cliName" | "type" | "optional"> | CoreArg
type AnyFunction = Pick<FunctionDescription, "cliName" | "returnType"> & { args: AnyArg[] }

interface Target {
  /** What the next word is looked up in: "the module", "ScanReport", "Directory". */
  label: string
  functions: AnyFunction[]
}

function targetFor(type: string, mod: ModuleDescription, core: CoreApi): Target | null {
  const object = mod.objects.find((o) => o.name === type)
  if (object) return { label: type, functions: object.functions }
  const coreFunctions: CoreFunction[] | undefined = core[type]
  if (coreFunctions) return { label: type, functions: coreFunctions }
  return null
}

const flagList = (args: readonly AnyArg[]): string =>
  args.length === 0 ? "no flags" : args.map((a) => `--${a.cliName}`).join(", ")

/**
 * Parses flags from `words[i]` on against `args`. Returns the index after them, the flags seen,
 * and problems. Dynamic words in flag position (`"${extra[@]}"`) are skipped: their flags are
 * checked on recorded argv instead.
 */
function parseFlags(
  words: readonly Word[],
  i: number,
  args: readonly AnyArg[],
  owner: string,
  problems: string[],
): { next: number; seen: Set<string>; ok: boolean } {
  const seen = new Set<string>()
  while (i < words.length) {
    const word = words[i]!
    if (word.dynamic && !word.text.startsWith("--")) {
      i++
      continue
    }
    if (!word.text.startsWith("--")) break
    const [name, inline] = [word.text.slice(2).split("=")[0]!, word.text.includes("=")]
    const arg = args.find((a) => a.cliName === name)
    if (!arg) {
      problems.push(`unknown flag --${name} for ${owner} (it takes ${flagList(args)})`)
      return { next: i, seen, ok: false }
    }
    seen.add(name)
    if (inline || arg.type === "Boolean") {
      i++
      continue
    }
    if (i + 1 >= words.length) {
      problems.push(`--${name} for ${owner} has no value`)
      return { next: i + 1, seen, ok: false }
    }
    i += 2
  }
  return { next: i, seen, ok: true }
}

/**
 * Problems with one call (the words after `call`), as `dagger call <chain>: <problem>`;
 * an empty list means every function, flag and chained call exists.
 */
export function checkCall(words: readonly Word[], mod: ModuleDescription, core: CoreApi): string[] {
  const problems: string[] = []
  const chain: string[] = []
  const report = (): string[] => problems.map((p) => `dagger call${chain.map((name) => ` ${name}`).join("")}: ${p}`)

  const ctor = parseFlags(words, 0, mod.constructor.args, "the constructor", problems)
  if (!ctor.ok) return report()
  let i = ctor.next
  let target: Target = { label: "the module", functions: mod.functions }
  let returnType = ""
  if (i >= words.length) {
    problems.push("no function named")
    return report()
  }
  while (i < words.length) {
    const word = words[i]!
    if (word.dynamic) {
      problems.push(`the function name is not literal: ${word.text}`)
      return report()
    }
    const fn = target.functions.find((f) => f.cliName === word.text)
    chain.push(word.text)
    if (!fn) {
      chain.pop()
      problems.push(
        `no function ${word.text} on ${target.label} (it has ${target.functions.map((f) => f.cliName).join(", ")})`,
      )
      return report()
    }
    const flags = parseFlags(words, i + 1, fn.args, fn.cliName, problems)
    if (!flags.ok) return report()
    for (const arg of fn.args)
      if (!arg.optional && !flags.seen.has(arg.cliName)) problems.push(`${fn.cliName} needs --${arg.cliName}`)
    i = flags.next
    returnType = fn.returnType
    if (i < words.length) {
      const next = targetFor(returnType, mod, core)
      if (!next) {
        problems.push(`${fn.cliName} returns ${returnType}; nothing can be chained on it (got ${words[i]!.text})`)
        return report()
      }
      target = next
    }
  }
  return report()
}

/** `file:line: problem` for every problem in every call. */
export function checkCalls(calls: readonly FoundCall[], mod: ModuleDescription, core: CoreApi): string[] {
  return calls.flatMap((call) => checkCall(call.words, mod, core).map((p) => `${call.where}: ${p}`))
}

/** A call's function chain without flags or values, e.g. `scan sarif export`, for summaries. */
export function chainOf(words: readonly Word[], mod: ModuleDescription, core: CoreApi): string {
  const names: string[] = []
  let i = parseFlags(words, 0, mod.constructor.args, "the constructor", []).next
  let functions: AnyFunction[] = mod.functions
  while (i < words.length) {
    const fn = functions.find((f) => f.cliName === words[i]!.text)
    if (!fn) break
    names.push(fn.cliName)
    i = parseFlags(words, i + 1, fn.args, fn.cliName, []).next
    functions = targetFor(fn.returnType, mod, core)?.functions ?? []
  }
  return names.join(" ")
}

/**
 * Every `dagger call` in one repository file, by kind: YAML configs through their parsed string
 * scalars (so YAML comments are not commands and line numbers point into the file), Markdown
 * through its fenced code blocks, anything else (shell, Jenkinsfile) as shell text.
 */
export function findCallsInFile(relative: string, text: string): FoundCall[] {
  if (/\.ya?ml$/.test(relative)) {
    const lineCounter = new LineCounter()
    const doc = parseDocument(text, { lineCounter })
    const calls: FoundCall[] = []
    visit(doc, {
      Scalar(_key, node) {
        if (typeof node.value !== "string" || !node.range) return
        const { line } = lineCounter.linePos(node.range[0])
        const block = node.type === Scalar.BLOCK_LITERAL || node.type === Scalar.BLOCK_FOLDED
        calls.push(...findCalls(node.value, relative, block ? line + 1 : line))
      },
    })
    return calls
  }
  if (relative.endsWith(".md")) {
    const calls: FoundCall[] = []
    const lines = text.split("\n")
    let fenceStart = -1
    lines.forEach((line, n) => {
      if (!line.trimStart().startsWith("```")) return
      if (fenceStart < 0) fenceStart = n
      else {
        calls.push(...findCalls(lines.slice(fenceStart + 1, n).join("\n"), relative, fenceStart + 2))
        fenceStart = -1
      }
    })
    return calls
  }
  return findCalls(text, relative)
}
