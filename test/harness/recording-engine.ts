/**
 * A fake Dagger engine that records pipelines instead of running them.
 *
 * Why: no engine can run here (nor in CI unit tests), yet the SDK client and the real module
 * entrypoint only need a GraphQL endpoint. This server parses each query, turns selection
 * paths into chains (`[{field, args}]`), hands out synthetic IDs, answers the module-runtime
 * protocol (`currentModule`, `currentFunctionCall`, `returnValue`, `returnError`) from a
 * configured invocation, and records everything so tests can assert on the graph.
 * How it fits the proof strategy: docs/architecture.md, "Proving it".
 */
import { randomBytes } from "node:crypto"
import {
  type FieldNode,
  type FragmentDefinitionNode,
  Kind,
  type SelectionNode,
  parse,
  valueFromASTUntyped,
} from "graphql"

import { type ArgValue, type Call, type Chain, chainKey, findCalls, isRef, sha256Hex } from "./chain.js"
import { EngineError } from "./engine-errors.js"
import { type GraphQLRequest, type GraphQLResponse, listen } from "./engine-http.js"
import { listOfObjectFields } from "./list-fields.js"
import { syntheticValue } from "./synthetic-values.js"

/** What `dagger call` is currently asking the module runtime to do. */
export interface Invocation {
  moduleName: string
  /** "" means registration (the runtime must describe the module). */
  parentName: string
  /** "" means the constructor. */
  name?: string
  /** The parent object's state (the constructor's return value), as a JSON value. */
  parent?: unknown
  /** Argument values as JSON values, in the order the engine sends them. Object args are IDs. */
  inputArgs?: Record<string, unknown>
}

/** `returnError`'s argument, resolved: the `dag.error(message)` chain and its `withValue`s. */
export interface ReturnedError {
  id: string
  chain: Chain
  message: string | undefined
  values: Record<string, unknown>
}

/** One client of the engine (one token): its invocation and what it returned. */
export interface Session {
  readonly name: string
  readonly token: string
  invocation: Invocation | undefined
  returnValue: { json: string; value: unknown } | undefined
  returnError: ReturnedError | undefined
}

export interface HookEvent {
  chain: Chain
  leaf: Call
  session: Session
  /** True when `leaf` is a list-of-objects field: return an array, one entry per element. */
  list: boolean
}

/** Return `undefined` to keep the default, anything else to override; throw EngineError to fail. */
export type Hook = (event: HookEvent) => unknown

export interface Evaluation {
  session: string
  chain: Chain
  leaf: Call
  result: unknown
  error?: { message: string; extensions?: Record<string, unknown> }
  /** Milliseconds since the engine started. */
  startedAt: number
  endedAt: number
}

export interface RecordedQuery {
  session: string
  query: string
  variables: Record<string, unknown>
  at: number
}

export interface RecordingEngineOptions {
  token?: string
  invocation?: Invocation
  hook?: Hook
  /**
   * Delay before answering each evaluation. A number applies to every leaf except `id` and the
   * runtime protocol (currentModule, currentFunctionCall, version); a function decides per leaf.
   */
  latencyMs?: number | ((event: HookEvent) => number)
}

const PROTOCOL_ROOTS = new Set(["currentModule", "currentFunctionCall"])

/** Raised while resolving; becomes the response's `errors[0]`. */
class FieldFailure extends Error {
  constructor(
    message: string,
    readonly path: (string | number)[],
    readonly extensions: Record<string, unknown> | undefined,
  ) {
    super(message)
  }
}

interface QueryContext {
  session: Session
  variables: Record<string, unknown>
  fragments: Map<string, FragmentDefinitionNode>
}

type Row = Record<string, unknown>

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms))
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    return text
  }
}

export class RecordingEngine {
  hook: Hook | undefined
  latencyMs: RecordingEngineOptions["latencyMs"]
  readonly evaluations: Evaluation[] = []
  readonly queries: RecordedQuery[] = []
  /** Every request body exactly as received (query text and variables). */
  readonly rawQueries: string[] = []

  private readonly ids = new Map<string, Chain>()
  private readonly sessions = new Map<string, Session>()
  private readonly defaultSession: Session
  private readonly startTime = performance.now()
  private sessionCount = 0
  private closeServer: (() => Promise<void>) | undefined
  private listeningPort: number | undefined

  constructor(opts: RecordingEngineOptions = {}) {
    this.hook = opts.hook
    this.latencyMs = opts.latencyMs
    this.defaultSession = this.newSession(opts.invocation, "default", opts.token)
  }

  async start(): Promise<this> {
    if (this.closeServer !== undefined) return this
    const server = await listen(
      (token) => this.sessions.has(token),
      (token, request) => this.answer(token, request),
    )
    this.listeningPort = server.port
    this.closeServer = server.close
    return this
  }

  async stop(): Promise<void> {
    const close = this.closeServer
    this.closeServer = undefined
    if (close !== undefined) await close()
  }

  get port(): number {
    if (this.listeningPort === undefined) throw new Error("recording engine not started")
    return this.listeningPort
  }

  get token(): string {
    return this.defaultSession.token
  }

  /** The default session's invocation (what `currentFunctionCall` answers). */
  get invocation(): Invocation | undefined {
    return this.defaultSession.invocation
  }

  set invocation(value: Invocation | undefined) {
    this.defaultSession.invocation = value
  }

  get returnValue(): Session["returnValue"] {
    return this.defaultSession.returnValue
  }

  get returnError(): ReturnedError | undefined {
    return this.defaultSession.returnError
  }

  /** Environment that makes the SDK (in this process or a child) use the default session. */
  env(): { DAGGER_SESSION_PORT: string; DAGGER_SESSION_TOKEN: string } {
    return this.sessionEnv(this.defaultSession)
  }

  sessionEnv(session: Session): { DAGGER_SESSION_PORT: string; DAGGER_SESSION_TOKEN: string } {
    return { DAGGER_SESSION_PORT: String(this.port), DAGGER_SESSION_TOKEN: session.token }
  }

  /** A separate client with its own token, invocation and captured return (e.g. one per child process). */
  newSession(invocation?: Invocation, name?: string, token?: string): Session {
    this.sessionCount += 1
    const session: Session = {
      name: name ?? `session-${this.sessionCount}`,
      token: token ?? randomBytes(16).toString("hex"),
      invocation,
      returnValue: undefined,
      returnError: undefined,
    }
    this.sessions.set(session.token, session)
    return session
  }

  /** The (deterministic) ID of a chain, registered so queries can load it. Known ID strings in args become refs. */
  makeId(chain: Chain): string {
    const normalized = chain.map((c) => ({ ...c, args: this.toArgs(c.args) as Record<string, ArgValue> }))
    const id = `rec:${sha256Hex(chainKey(normalized)).slice(0, 40)}`
    if (!this.ids.has(id)) this.ids.set(id, normalized)
    return id
  }

  /** The chain behind an ID; throws for unknown IDs. */
  resolve(id: string): Chain {
    const chain = this.ids.get(id)
    if (chain === undefined) throw new Error(`unknown ID ${JSON.stringify(id)}`)
    return chain
  }

  isId(value: unknown): value is string {
    return typeof value === "string" && this.ids.has(value)
  }

  findCalls(chain: Chain, field: string): Call[] {
    return findCalls(chain, field)
  }

  /** Evaluations whose leaf is `field` (e.g. "stdout", "publish"), in order. */
  evaluationsOf(field: string): Evaluation[] {
    return this.evaluations.filter((e) => e.leaf.field === field)
  }

  /** Forgets recorded queries, evaluations, captured returns and extra sessions; IDs stay valid. */
  reset(): void {
    this.evaluations.length = 0
    this.queries.length = 0
    this.rawQueries.length = 0
    for (const [token, session] of this.sessions) {
      if (session !== this.defaultSession) this.sessions.delete(token)
    }
    this.defaultSession.returnValue = undefined
    this.defaultSession.returnError = undefined
  }

  private now(): number {
    return Math.round((performance.now() - this.startTime) * 1000) / 1000
  }

  private async answer(token: string, request: GraphQLRequest): Promise<GraphQLResponse> {
    const session = this.sessions.get(token)
    if (session === undefined) throw new Error("unknown session")
    this.rawQueries.push(request.body)
    this.queries.push({ session: session.name, query: request.query, variables: request.variables, at: this.now() })
    try {
      const document = parse(request.query)
      const fragments = new Map<string, FragmentDefinitionNode>()
      for (const def of document.definitions) {
        if (def.kind === Kind.FRAGMENT_DEFINITION) fragments.set(def.name.value, def)
      }
      const ctx: QueryContext = { session, variables: request.variables, fragments }
      const data: Row = {}
      for (const def of document.definitions) {
        if (def.kind === Kind.OPERATION_DEFINITION) {
          Object.assign(data, await this.selectInto(def.selectionSet.selections, [], ctx, []))
        }
      }
      return { data }
    } catch (e) {
      if (e instanceof FieldFailure) {
        return {
          data: null,
          errors: [{ message: e.message, path: e.path, ...(e.extensions ? { extensions: e.extensions } : {}) }],
        }
      }
      return { data: null, errors: [{ message: (e as Error).message ?? String(e) }] }
    }
  }

  private async selectInto(
    selections: readonly SelectionNode[],
    chain: Chain,
    ctx: QueryContext,
    path: (string | number)[],
  ): Promise<Row> {
    const row: Row = {}
    for (const selection of selections) {
      if (selection.kind === Kind.FIELD) {
        const key = selection.alias?.value ?? selection.name.value
        row[key] = await this.resolveField(selection, chain, ctx, [...path, key])
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        Object.assign(row, await this.selectInto(selection.selectionSet.selections, chain, ctx, path))
      } else {
        const fragment = ctx.fragments.get(selection.name.value)
        if (fragment === undefined) throw new FieldFailure(`unknown fragment ${selection.name.value}`, path, undefined)
        Object.assign(row, await this.selectInto(fragment.selectionSet.selections, chain, ctx, path))
      }
    }
    return row
  }

  private async resolveField(
    node: FieldNode,
    chain: Chain,
    ctx: QueryContext,
    path: (string | number)[],
  ): Promise<unknown> {
    const field = node.name.value
    const rawArgs: Record<string, unknown> = {}
    for (const arg of node.arguments ?? []) rawArgs[arg.name.value] = valueFromASTUntyped(arg.value, ctx.variables)
    const call: Call = { field, args: this.toArgs(rawArgs) as Record<string, ArgValue> }
    if (node.selectionSet === undefined) return this.evaluate(chain, call, ctx.session, path)

    const subSelections = node.selectionSet.selections
    if (field === "node" || /^load[A-Z]\w*FromID$/.test(field)) {
      const id = rawArgs.id
      const loaded = typeof id === "string" ? this.ids.get(id) : undefined
      if (loaded === undefined)
        throw new FieldFailure(
          `failed to load ID ${JSON.stringify(id)}: unknown to the recording engine`,
          path,
          undefined,
        )
      return this.selectInto(subSelections, loaded, ctx, path)
    }
    if (listOfObjectFields().has(field)) {
      const count = await this.listLength(chain, call, ctx.session, path)
      const rows: Row[] = []
      for (let index = 0; index < count; index++) {
        rows.push(await this.selectInto(subSelections, [...chain, { ...call, index }], ctx, [...path, index]))
      }
      return rows
    }
    return this.selectInto(subSelections, [...chain, call], ctx, path)
  }

  /** Converts GraphQL argument values, replacing known ID strings with `{$ref, chain}`. */
  private toArgs(value: unknown): ArgValue {
    if (isRef(value)) return value
    if (typeof value === "string") return this.ids.has(value) ? { $ref: value, chain: this.resolve(value) } : value
    if (Array.isArray(value)) return value.map((v) => this.toArgs(v))
    if (typeof value === "object" && value !== null) {
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, this.toArgs(v)]))
    }
    if (typeof value === "number" || typeof value === "boolean" || value === null) return value
    return null
  }

  private async listLength(chain: Chain, call: Call, session: Session, path: (string | number)[]): Promise<number> {
    if (call.field === "inputArgs" && chain.length === 1 && chain[0]?.field === "currentFunctionCall") {
      return Object.keys(this.requireInvocation(session, path).inputArgs ?? {}).length
    }
    const hooked: unknown = await this.callHook({ chain, leaf: call, session, list: true }, path)
    return Array.isArray(hooked) ? hooked.length : 0
  }

  private async callHook(event: HookEvent, path: (string | number)[]): Promise<unknown> {
    try {
      return await this.hook?.(event)
    } catch (e) {
      throw this.toFailure(e, path)
    }
  }

  private toFailure(e: unknown, path: (string | number)[]): FieldFailure {
    if (e instanceof FieldFailure) return e
    if (e instanceof EngineError) return new FieldFailure(e.message, path, e.extensions)
    return new FieldFailure(e instanceof Error ? e.message : String(e), path, undefined)
  }

  private latencyFor(event: HookEvent): number {
    const latency = this.latencyMs
    if (typeof latency === "function") return latency(event)
    if (latency === undefined || event.leaf.field === "id" || event.leaf.field === "version") return 0
    if (event.chain[0] !== undefined && PROTOCOL_ROOTS.has(event.chain[0].field)) return 0
    return latency
  }

  private async evaluate(chain: Chain, leaf: Call, session: Session, path: (string | number)[]): Promise<unknown> {
    const event: HookEvent = { chain, leaf, session, list: false }
    const startedAt = this.now()
    const record = (result: unknown, error?: Evaluation["error"]): void => {
      this.evaluations.push({
        session: session.name,
        chain,
        leaf,
        result,
        ...(error ? { error } : {}),
        startedAt,
        endedAt: this.now(),
      })
    }
    try {
      const delay = this.latencyFor(event)
      if (delay > 0) await sleep(delay)
      this.capture(chain, leaf, session)
      const hooked = await this.callHook(event, path)
      const result = hooked !== undefined ? hooked : this.builtin(chain, leaf, session, path)
      record(result)
      return result
    } catch (e) {
      const failure = this.toFailure(e, path)
      record(undefined, { message: failure.message, ...(failure.extensions ? { extensions: failure.extensions } : {}) })
      throw failure
    }
  }

  /** Captures `returnValue` / `returnError` of the module runtime. */
  private capture(chain: Chain, leaf: Call, session: Session): void {
    if (chain.length !== 1 || chain[0]?.field !== "currentFunctionCall") return
    if (leaf.field === "returnValue") {
      const json = leaf.args.value
      if (typeof json === "string") session.returnValue = { json, value: parseJson(json) }
    } else if (leaf.field === "returnError") {
      const ref = leaf.args.error
      const errChain = isRef(ref) ? ref.chain : []
      const message = findCalls(errChain, "error")[0]?.args.message
      const values: Record<string, unknown> = {}
      for (const withValue of findCalls(errChain, "withValue")) {
        const { name, value } = withValue.args
        if (typeof name === "string") values[name] = typeof value === "string" ? parseJson(value) : value
      }
      session.returnError = {
        id: isRef(ref) ? ref.$ref : String(ref),
        chain: errChain,
        message: typeof message === "string" ? message : undefined,
        values,
      }
    }
  }

  private requireInvocation(session: Session, path: (string | number)[]): Invocation {
    if (session.invocation === undefined) {
      throw new FieldFailure(
        "no function call in progress: set engine.invocation (or use a session with one)",
        path,
        undefined,
      )
    }
    return session.invocation
  }

  /** Protocol answers, then synthetic values. */
  private builtin(chain: Chain, leaf: Call, session: Session, path: (string | number)[]): unknown {
    const root = chain[0]?.field
    if (root === "currentModule" && chain.length === 1 && leaf.field === "name") {
      return this.requireInvocation(session, path).moduleName
    }
    if (root === "currentFunctionCall") {
      const inv = this.requireInvocation(session, path)
      const second = chain[1]
      if (chain.length === 1) {
        switch (leaf.field) {
          case "parentName":
            return inv.parentName
          case "name":
            return inv.name ?? ""
          case "parent":
            return JSON.stringify(inv.parent ?? {})
          case "returnValue":
          case "returnError":
            return null
        }
      } else if (chain.length === 2 && second?.field === "inputArgs" && second.index !== undefined) {
        const entry = Object.entries(inv.inputArgs ?? {})[second.index]
        if (entry !== undefined && leaf.field === "name") return entry[0]
        if (entry !== undefined && leaf.field === "value") return JSON.stringify(entry[1])
      }
    }
    return syntheticValue(chain, leaf, (c) => this.makeId(c))
  }
}

/** Starts a recording engine on 127.0.0.1 at a free port. */
export async function startRecordingEngine(opts: RecordingEngineOptions = {}): Promise<RecordingEngine> {
  return new RecordingEngine(opts).start()
}
