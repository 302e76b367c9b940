/** Shared inputs for the ledger specs: digests, an owner, and a start() input with overridable fields. */
import type pg from "pg"
import type { LockSession, StartInput } from "../../core/ledger/record.js"

export const SCHEMA = "deploy_pipeline"

export function digest(char: string): string {
  return `sha256:${char.repeat(64)}`
}

export const ALICE = { who: "alice", host: "laptop", pid: 4242 }
export const BOB = { who: "bob", host: "ci-runner-7", pid: 77 }

/** This connection's identity, for records whose liveness a spec does not care about. */
export async function sessionOf(client: pg.ClientBase): Promise<LockSession> {
  const { rows } = await client.query<{ backend_pid: number; backend_start: Date }>(
    "SELECT pg_backend_pid() AS backend_pid, date_trunc('milliseconds', backend_start) AS backend_start FROM pg_stat_activity WHERE pid = pg_backend_pid()",
  )
  const row = rows[0]
  if (!row) throw new Error("no pg_stat_activity row for this session")
  return { backendPid: row.backend_pid, backendStart: row.backend_start }
}

export function startInput(
  env: string,
  digestChar: string,
  lock: LockSession,
  overrides: Partial<StartInput> = {},
): StartInput {
  return {
    env,
    action: "deploy",
    requestedBy: "alice",
    approval: null,
    image: { ref: `registry.example.com/acme/webapp@${digest(digestChar)}`, digest: digest(digestChar) },
    commit: "0123456789abcdef0123456789abcdef01234567",
    configHash: "c0ffee",
    previousDigest: null,
    colorFrom: "blue",
    colorTo: "green",
    owner: ALICE,
    lock,
    ...overrides,
  }
}
