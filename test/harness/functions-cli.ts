/**
 * `npm run functions`: the module's functions as `dagger functions` would list them, no engine.
 *
 * Why: a quick look at the CLI surface (names in kebab-case, flags, first description line)
 * while editing src/, and `--json` for diffing or golden files. Options: `--json`,
 * `--markdown` (the README's function table), `--root <dir>` (default: the repository root).
 */
import * as path from "node:path"
import { fileURLToPath } from "node:url"

import { type ArgDescription, type ModuleDescription, introspectModule } from "./introspect.js"
import { readModuleName } from "./module-files.js"
import { REPO_ROOT } from "./paths.js"

function flag(arg: ArgDescription): string {
  const text = `--${arg.cliName} ${arg.type}`
  const extra =
    arg.defaultPath !== undefined
      ? ` = path ${arg.defaultPath}`
      : arg.defaultValue !== undefined
        ? ` = ${JSON.stringify(arg.defaultValue)}`
        : ""
  return arg.optional ? `[${text}${extra}]` : text
}

function firstLine(text: string): string {
  return text.split("\n")[0]?.trim() ?? ""
}

function table(rows: string[][]): string {
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? "").length))) ?? []
  return rows
    .map((r) => r.map((cell, i) => (i === r.length - 1 ? cell : cell.padEnd(widths[i] ?? 0))).join("  "))
    .join("\n")
}

/** The human-readable listing. */
export function formatFunctions(mod: ModuleDescription): string {
  const lines = [`Module ${mod.name} (${mod.mainObject})`]
  if (mod.description) lines.push(firstLine(mod.description))
  lines.push("", `Constructor: ${mod.constructor.args.map(flag).join(" ") || "(no arguments)"}`, "")
  const rows = [
    ["FUNCTION", "ARGUMENTS", "DESCRIPTION"],
    ...mod.functions.map((f) => [f.cliName, f.args.map(flag).join(" "), firstLine(f.description)]),
  ]
  lines.push(table(rows))
  for (const object of mod.objects) {
    lines.push(
      "",
      `Object ${object.name}:`,
      table(object.functions.map((f) => [f.cliName, f.args.map(flag).join(" "), firstLine(f.description)])),
    )
  }
  return lines.join("\n")
}

/** The README's function table (between its functions:start/end markers), kept in sync by a test. */
export function formatFunctionsMarkdown(mod: ModuleDescription): string {
  const cell = (text: string) => text.replace(/\|/g, "\\|")
  const row = (name: string, f: ModuleDescription["functions"][number]) => {
    const example = /Example usage:\s*(.+)/.exec(f.description)?.[1]?.trim() ?? ""
    const args = f.args.map((a) => `\`${flag(a)}\``).join(" ") || "(none)"
    return `| \`${name}\` | ${cell(args)} | ${cell(firstLine(f.description))} | \`${cell(example)}\` |`
  }
  // Functions that return one of the module's objects are followed by that object's functions,
  // as chained calls: `scan check`.
  const rows = mod.functions.flatMap((f) => [
    row(f.cliName, f),
    ...(mod.objects
      .find((o) => o.name === f.returnType)
      ?.functions.map((child) => row(`${f.cliName} ${child.cliName}`, child)) ?? []),
  ])
  return ["| function | arguments | what it does | example |", "|---|---|---|---|", ...rows].join("\n")
}

async function main(argv: string[]): Promise<void> {
  const rootIndex = argv.indexOf("--root")
  const root = path.resolve(
    rootIndex >= 0 && argv[rootIndex + 1] !== undefined ? (argv[rootIndex + 1] as string) : REPO_ROOT,
  )
  const description = await introspectModule(root, readModuleName(root))
  const format = argv.includes("--json")
    ? (d: ModuleDescription) => JSON.stringify(d, null, 2)
    : argv.includes("--markdown")
      ? formatFunctionsMarkdown
      : formatFunctions
  console.log(format(description))
}

// Only when run as a script: `mocha test/harness` loads every .ts file in the folder.
const invokedAsScript =
  process.argv[1] !== undefined && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)
if (invokedAsScript) {
  main(process.argv.slice(2)).catch((e: unknown) => {
    console.error(e instanceof Error ? e.message : e)
    process.exitCode = 1
  })
}
