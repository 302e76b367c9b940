/**
 * The HTTP face of the recording engine: `POST /query` with the session's Basic token.
 *
 * Why: the SDK talks to `http://127.0.0.1:$DAGGER_SESSION_PORT/query` with
 * `Authorization: Basic base64("<token>:")` and graphql-request's JSON body. Keeping the
 * transport here leaves recording-engine.ts about GraphQL only.
 */
import * as http from "node:http"
import type { AddressInfo } from "node:net"

/** A parsed GraphQL request body; `body` is the raw text as received. */
export interface GraphQLRequest {
  query: string
  variables: Record<string, unknown>
  body: string
}

export interface GraphQLResponse {
  data: unknown
  errors?: { message: string; path?: (string | number)[]; extensions?: Record<string, unknown> }[]
}

/** Answers one request for the session owning `token`. */
export type QueryHandler = (token: string, request: GraphQLRequest) => Promise<GraphQLResponse>

/** Token from `Authorization: Basic base64("<token>:")`, or undefined. */
export function tokenFromAuthorization(header: string | undefined): string | undefined {
  const match = /^Basic\s+(.+)$/i.exec(header ?? "")
  if (match?.[1] === undefined) return undefined
  const decoded = Buffer.from(match[1], "base64").toString("utf8")
  const colon = decoded.indexOf(":")
  return colon < 0 ? undefined : decoded.slice(0, colon)
}

function send(res: http.ServerResponse, status: number, payload: unknown): void {
  const text = JSON.stringify(payload)
  res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(text) })
  res.end(text)
}

async function readBody(req: http.IncomingMessage): Promise<string> {
  const chunks: Buffer[] = []
  for await (const chunk of req) chunks.push(chunk as Buffer)
  return Buffer.concat(chunks).toString("utf8")
}

function parseRequest(body: string): GraphQLRequest {
  const parsed: unknown = JSON.parse(body)
  if (typeof parsed !== "object" || parsed === null || typeof (parsed as { query?: unknown }).query !== "string") {
    throw new Error("body must be a JSON object with a string `query`")
  }
  const { query, variables } = parsed as { query: string; variables?: unknown }
  const vars = typeof variables === "object" && variables !== null ? (variables as Record<string, unknown>) : {}
  return { query, variables: vars, body }
}

export interface HttpListener {
  port: number
  close(): Promise<void>
}

/** Listens on 127.0.0.1 at a free port; `isKnownToken` gates every request. */
export async function listen(isKnownToken: (token: string) => boolean, handle: QueryHandler): Promise<HttpListener> {
  const server = http.createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? "/", "http://127.0.0.1")
      if (req.method !== "POST" || url.pathname !== "/query") {
        send(res, 404, { errors: [{ message: `no route for ${req.method ?? "?"} ${url.pathname}` }] })
        return
      }
      const token = tokenFromAuthorization(req.headers.authorization)
      if (token === undefined || !isKnownToken(token)) {
        send(res, 401, { errors: [{ message: "unauthorized: bad session token" }] })
        return
      }
      let request: GraphQLRequest
      try {
        request = parseRequest(await readBody(req))
      } catch (e) {
        send(res, 400, { errors: [{ message: `bad request: ${(e as Error).message}` }] })
        return
      }
      try {
        send(res, 200, await handle(token, request))
      } catch (e) {
        send(res, 500, { errors: [{ message: `recording engine failure: ${(e as Error).stack ?? String(e)}` }] })
      }
    })()
  })
  // The SDK client keeps connections alive across queries, and a child process may sit idle for
  // seconds while the module is introspected. Node's default 5 s keep-alive timeout then closes
  // a socket the client is about to reuse ("socket hang up"). Sockets close with the server.
  server.keepAliveTimeout = 0
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject)
    server.listen(0, "127.0.0.1", () => resolve())
  })
  const { port } = server.address() as AddressInfo
  return {
    port,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()))
        server.closeAllConnections()
      }),
  }
}
