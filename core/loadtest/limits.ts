/**
 * The defaults and bounds of a load test, in one place: defaults stay small (10 connections for
 * 10 s) and every run is bounded in time and size, whatever the caller asks for.
 */
export const LOAD_TEST_DEFAULTS = {
  /** Concurrent connections ("users"). */
  users: 10,
  durationSeconds: 10,
  /** wrk threads; never more than the connections (wrk needs one connection per thread). */
  threads: 2,
  /** Per-request timeout: a reply slower than this counts as a timeout error. */
  timeoutSeconds: 2,
} as const

export const LOAD_TEST_LIMITS = {
  durationSeconds: 300,
  connections: 1000,
  threads: 64,
  timeoutSeconds: 60,
} as const
