/**
 * A hard time limit around one probe attempt. Client libraries have their own timeouts, but not
 * for every phase (memjs can drop a request without ever calling back; see probes/memcached.ts),
 * so each probe also races this limit and then tears its client down. This is an edge: it uses
 * the real setTimeout.
 */
import { PipelineError } from "../errors/pipeline-error.js"

export class TimeLimitExceeded extends PipelineError {
  override readonly name = "TimeLimitExceeded"
  readonly code = "time-limit"
  constructor(readonly ms: number) {
    super(`no answer within ${ms}ms`)
  }
}

export async function withTimeLimit<T>(ms: number, work: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  const limit = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new TimeLimitExceeded(ms)), Math.max(0, ms))
  })
  try {
    return await Promise.race([work, limit])
  } finally {
    clearTimeout(timer)
  }
}
