/**
 * Whether a column DEFAULT is volatile. Since PostgreSQL 11, ADD COLUMN with a non-volatile default
 * only writes the catalog; a volatile one (clock_timestamp(), gen_random_uuid()) rewrites the table.
 * Without facts from the target server a function we do not know is treated as volatile.
 */
import type { Node } from "libpg-query"
import { strings, walk } from "./ast.js"

/** Volatility as pg_proc.provolatile says, read from the target with --database. */
export interface FunctionFacts {
  /** Names with at least one volatile overload. */
  volatile: ReadonlySet<string>
  /** Every function name the server has. */
  known: ReadonlySet<string>
}

const VOLATILE = new Set([
  "random",
  "random_normal",
  "clock_timestamp",
  "timeofday",
  "gen_random_uuid",
  "gen_random_bytes",
  "uuidv4",
  "uuidv7",
  "uuid_generate_v1",
  "uuid_generate_v1mc",
  "uuid_generate_v4",
  "nextval",
  "setval",
  "txid_current",
  "pg_current_xact_id",
])

/** Functions Django apps put in defaults that are stable or immutable (now() is fixed per transaction). */
const NON_VOLATILE = new Set([
  "now",
  "statement_timestamp",
  "transaction_timestamp",
  "current_date",
  "lower",
  "upper",
  "concat",
  "md5",
  "to_jsonb",
  "jsonb_build_object",
  "jsonb_build_array",
  "json_build_object",
  "make_interval",
  "date_trunc",
  "btrim",
  "trim",
  "length",
  "abs",
])

export interface Volatility {
  volatile: boolean
  /** The functions that make it volatile, for the message. */
  culprits: string[]
}

export function defaultVolatility(expr: Node | undefined, facts?: FunctionFacts): Volatility {
  const culprits: string[] = []
  walk(expr, (kind, payload) => {
    if (kind !== "FuncCall") return
    const names = strings(payload["funcname"] as Node[] | undefined)
    const name = (names[names.length - 1] ?? "").toLowerCase()
    const volatile = facts
      ? facts.volatile.has(name) || !facts.known.has(name)
      : VOLATILE.has(name) || !NON_VOLATILE.has(name)
    if (volatile && !culprits.includes(`${name}()`)) culprits.push(`${name}()`)
  })
  return { volatile: culprits.length > 0, culprits }
}
