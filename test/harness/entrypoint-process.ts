/**
 * Runs a module's real runtime entrypoint in a child process, as the Dagger engine does.
 *
 * Why: inside the engine, the TypeScript runtime runs `tsx --tsconfig <mod>/tsconfig.json
 * <mod>/src/__dagger.entrypoint.ts`; that file lists src/**\/*.ts plus the core API types and
 * calls the SDK's `entrypoint(files)`. We run exactly that in the replica of the module directory
 * the engine builds (test/harness/replica: the engine's SDK bundle, package.json and tsconfig
 * rewritten, `npm install --omit=dev`, the runtime's tsx), against a recording-engine session, so
 * registration, argument decoding, `returnValue`/`returnError` and the exit code are the real ones.
 */
import { spawn } from "node:child_process"
import * as path from "node:path"

import { ensureReplica } from "./replica/build-replica.js"
import type { Invocation, RecordingEngine, ReturnedError } from "./recording-engine.js"

export interface ProcessRun {
  exitCode: number | null
  stdout: string
  stderr: string
  /** The parsed JSON the runtime sent with `returnValue`, if any. */
  returnValue: unknown
  returned: boolean
  returnError: ReturnedError | undefined
  /** With `timed`: the module process's wall time and CPU time (user + system, its reaped children included), in ms. */
  time?: { wallMs: number; cpuMs: number }
}

export interface EntrypointRunOptions {
  moduleRoot: string
  invocation: Invocation
  timeoutMs?: number
  /** Run under /usr/bin/time and report the process's wall and CPU time. */
  timed?: boolean
}

const TIME_MARK = "__entrypoint_time__"

/** The figures /usr/bin/time printed as the last line of stderr, and stderr without that line. */
function splitTime(stderr: string): { stderr: string; time: { wallMs: number; cpuMs: number } } {
  const lines = stderr.trimEnd().split("\n")
  const match = new RegExp(`^${TIME_MARK} ([\\d.]+) ([\\d.]+) ([\\d.]+)$`).exec(lines.at(-1) ?? "")
  if (!match) throw new Error(`/usr/bin/time printed no figures; stderr ends with: ${lines.slice(-3).join("\n")}`)
  const [wall, user, system] = match.slice(1).map(Number) as [number, number, number]
  return { stderr: `${lines.slice(0, -1).join("\n")}\n`, time: { wallMs: wall * 1000, cpuMs: (user + system) * 1000 } }
}

/** The parent environment minus OpenTelemetry and any real session, plus the given session. */
function childEnv(session: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {}
  for (const [key, value] of Object.entries(process.env)) {
    if (
      key.startsWith("OTEL_") ||
      key === "TRACEPARENT" ||
      key.startsWith("DAGGER_SESSION_") ||
      key === "TSX_TSCONFIG_PATH"
    )
      continue
    env[key] = value
  }
  return { ...env, ...session }
}

/** Runs the entrypoint once for `invocation` in its own engine session. */
export async function runEntrypoint(engine: RecordingEngine, opts: EntrypointRunOptions): Promise<ProcessRun> {
  const moduleRoot = path.resolve(opts.moduleRoot)
  const replica = await ensureReplica(moduleRoot)
  const session = engine.newSession(opts.invocation)
  const [command, args] = opts.timed
    ? ["/usr/bin/time", ["-f", `${TIME_MARK} %e %U %S`, process.execPath, ...replica.argv]]
    : [process.execPath, replica.argv]
  const child = spawn(command, args, {
    cwd: replica.moduleDir,
    env: childEnv(engine.sessionEnv(session)),
    stdio: ["ignore", "pipe", "pipe"],
  })
  let stdout = ""
  let stderr = ""
  child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk))
  child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk))
  const timeoutMs = opts.timeoutMs ?? 60_000
  const exitCode = await new Promise<number | null>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill("SIGKILL")
      reject(new Error(`entrypoint timed out after ${timeoutMs} ms\nstdout:\n${stdout}\nstderr:\n${stderr}`))
    }, timeoutMs)
    child.once("error", (err) => {
      clearTimeout(timer)
      reject(err)
    })
    child.once("close", (code) => {
      clearTimeout(timer)
      resolve(code)
    })
  })
  const timing = opts.timed ? splitTime(stderr) : undefined
  return {
    exitCode,
    stdout,
    stderr: timing ? timing.stderr : stderr,
    ...(timing ? { time: timing.time } : {}),
    returnValue: session.returnValue?.value,
    returned: session.returnValue !== undefined,
    returnError: session.returnError,
  }
}
