/**
 * The modules a TypeScript entry loads, read from the sources with the compiler's parser: the
 * files it reaches and the packages they import. Type-only imports are left out (they are erased
 * at compile time); dynamic import() edges are followed only when asked, so a test can tell what
 * loads at start from what loads when a command runs.
 */
import { readFileSync } from "node:fs"
import { dirname, resolve } from "node:path"
import ts from "typescript"

export interface ImportGraph {
  /** Absolute paths of the .ts files reached, the entry included. */
  files: string[]
  /** Package names imported by those files (node: builtins left out), sorted. */
  packages: string[]
}

export function importGraph(entry: string, { dynamic }: { dynamic: boolean }): ImportGraph {
  const files = new Set<string>()
  const packages = new Set<string>()
  const visit = (file: string) => {
    if (files.has(file)) return
    files.add(file)
    for (const specifier of moduleSpecifiers(file, dynamic)) {
      if (specifier.startsWith(".")) visit(resolve(dirname(file), specifier.replace(/\.js$/, ".ts")))
      else if (!specifier.startsWith("node:")) packages.add(packageName(specifier))
    }
  }
  visit(resolve(entry))
  return { files: [...files], packages: [...packages].sort() }
}

function packageName(specifier: string): string {
  const parts = specifier.split("/")
  return (specifier.startsWith("@") ? parts.slice(0, 2) : parts.slice(0, 1)).join("/")
}

function moduleSpecifiers(file: string, dynamic: boolean): string[] {
  const source = ts.createSourceFile(file, readFileSync(file, "utf8"), ts.ScriptTarget.ES2022, true)
  const found: string[] = []
  const visit = (node: ts.Node) => {
    if (ts.isImportDeclaration(node) && !isTypeOnly(node.importClause) && ts.isStringLiteral(node.moduleSpecifier))
      found.push(node.moduleSpecifier.text)
    else if (
      ts.isExportDeclaration(node) &&
      !node.isTypeOnly &&
      node.moduleSpecifier &&
      ts.isStringLiteral(node.moduleSpecifier)
    )
      found.push(node.moduleSpecifier.text)
    else if (dynamic && ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) {
      const [argument] = node.arguments
      if (!argument || !ts.isStringLiteral(argument))
        throw new Error(`${file}: import() of a computed name; the graph cannot follow it`)
      found.push(argument.text)
    }
    ts.forEachChild(node, visit)
  }
  visit(source)
  return found
}

/** `import type …`, or named imports that are all `type`: nothing of it is loaded at run time. */
function isTypeOnly(clause: ts.ImportClause | undefined): boolean {
  if (!clause) return false
  if (clause.isTypeOnly) return true
  const bindings = clause.namedBindings
  return (
    !clause.name &&
    bindings !== undefined &&
    ts.isNamedImports(bindings) &&
    bindings.elements.length > 0 &&
    bindings.elements.every((e) => e.isTypeOnly)
  )
}
