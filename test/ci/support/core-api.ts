/**
 * The Dagger core types a `dagger call` chain can continue on (Directory, File, Container), read
 * from the installed SDK's client.gen.d.ts: each function's kebab-case name, its flags, which are
 * required, and what it returns.
 *
 * Why: `dagger call test export --path reports` chains a core function onto the module's
 * Directory. Reading the SDK's own declarations (with the TypeScript parser, no engine) keeps the
 * checker honest about core flags too, and follows SDK upgrades without a hand-kept table.
 */
import * as fs from "node:fs"

import ts from "typescript"

import { toKebab } from "../../harness/naming.js"
import { sdkFile } from "../../harness/paths.js"

export interface CoreArg {
  cliName: string
  /** GraphQL-ish name of the TS type: String, Boolean, Int, [String], or the TS text. */
  type: string
  optional: boolean
}

export interface CoreFunction {
  cliName: string
  args: CoreArg[]
  /** A core class name (the chain can go on) or a scalar such as String. */
  returnType: string
}

export type CoreApi = Record<string, CoreFunction[]>

/** The core types the checker follows; everything else a function returns ends the chain. */
export const CORE_TYPES = ["Directory", "File", "Container"] as const

function scalarName(node: ts.TypeNode, classes: Set<string>): string {
  switch (node.kind) {
    case ts.SyntaxKind.StringKeyword:
      return "String"
    case ts.SyntaxKind.BooleanKeyword:
      return "Boolean"
    case ts.SyntaxKind.NumberKeyword:
      return "Int"
    case ts.SyntaxKind.VoidKeyword:
      return "Void"
    case ts.SyntaxKind.ArrayType:
      return `[${scalarName((node as ts.ArrayTypeNode).elementType, classes)}]`
    case ts.SyntaxKind.TypeReference: {
      const ref = node as ts.TypeReferenceNode
      const name = ref.typeName.getText()
      if (name === "Promise" && ref.typeArguments?.[0]) return scalarName(ref.typeArguments[0], classes)
      return name
    }
    default:
      return node.getText()
  }
}

/** Parses client.gen.d.ts (or another declaration text) into the functions of CORE_TYPES. */
export function readCoreApi(declarations: string = fs.readFileSync(sdkFile("api/client.gen.d.ts"), "utf8")): CoreApi {
  const file = ts.createSourceFile("client.gen.d.ts", declarations, ts.ScriptTarget.ES2022, true)
  const aliases = new Map<string, ts.TypeLiteralNode>()
  const classDecls = new Map<string, ts.ClassDeclaration>()
  for (const statement of file.statements) {
    if (ts.isTypeAliasDeclaration(statement) && ts.isTypeLiteralNode(statement.type))
      aliases.set(statement.name.text, statement.type)
    if (ts.isClassDeclaration(statement) && statement.name) classDecls.set(statement.name.text, statement)
  }
  const classes = new Set(classDecls.keys())
  const api: CoreApi = {}
  for (const type of CORE_TYPES) {
    const decl = classDecls.get(type)
    if (!decl) throw new Error(`client.gen.d.ts has no class ${type}`)
    const functions: CoreFunction[] = []
    for (const member of decl.members) {
      if (
        !ts.isPropertyDeclaration(member) ||
        !member.type ||
        !ts.isFunctionTypeNode(member.type) ||
        !ts.isIdentifier(member.name)
      )
        continue
      const name = member.name.text
      if (name.startsWith("_")) continue
      const args: CoreArg[] = []
      for (const param of member.type.parameters) {
        const paramName = param.name.getText()
        const paramType = param.type
        if (paramName === "opts" && paramType && ts.isTypeReferenceNode(paramType)) {
          const literal = aliases.get(paramType.typeName.getText())
          for (const field of literal?.members ?? []) {
            if (ts.isPropertySignature(field) && field.type)
              args.push({
                cliName: toKebab(field.name.getText()),
                type: scalarName(field.type, classes),
                optional: true,
              })
          }
          continue
        }
        args.push({
          cliName: toKebab(paramName),
          type: paramType ? scalarName(paramType, classes) : "unknown",
          optional: param.questionToken !== undefined,
        })
      }
      functions.push({ cliName: toKebab(name), args, returnType: scalarName(member.type.type, classes) })
    }
    api[type] = functions
  }
  return api
}
