/**
 * Real rows for the scratch copy: up to a few hundred of each table of the target, read in one
 * REPEATABLE READ, READ ONLY transaction, so that a statement that fails on data (ADD COLUMN … NOT
 * NULL without a default on a table with rows, a CHECK an old row breaks) fails in the trace too,
 * with PostgreSQL's own message, and scans read rows. Rows are copied before the target's indexes,
 * constraints and triggers exist (pg_dump's pre-data section is loaded first, post-data after), and
 * rows whose foreign key points at a row left out of the sample are dropped, so the keys hold.
 */
import type { Queryable } from "../pg-client.js"

/** Rows copied per table; enough to make data-dependent failures and scans show, small enough to copy in seconds. */
export const SAMPLE_ROWS = 200
/** Rows larger than this (big TOASTed values) are left out of the sample. */
const MAX_ROW_BYTES = 256 * 1024

const USER =
  "n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg_toast%' AND n.nspname NOT LIKE 'pg_temp%'"

/** Leaf tables (a partitioned table's rows live in its partitions) with the columns an INSERT can set. */
const TABLES_SQL = `SELECT format('%I.%I', n.nspname, c.relname) AS name,
    array_agg(format('%I', a.attname) ORDER BY a.attnum) AS columns
  FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
  JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped AND a.attgenerated = ''
  WHERE c.relkind = 'r' AND ${USER}
  GROUP BY n.nspname, c.relname ORDER BY 1`

/** One DELETE per foreign key: rows whose key is set and matches no row of the referenced table. */
const DANGLING_SQL = `SELECT format('DELETE FROM %I.%I c WHERE %s AND NOT EXISTS (SELECT FROM %I.%I p WHERE %s)',
    cn.nspname, cc.relname, string_agg(format('c.%I IS NOT NULL', ca.attname), ' AND '),
    pn.nspname, pc.relname, string_agg(format('p.%I = c.%I', pa.attname, ca.attname), ' AND ')) AS sql
  FROM pg_constraint con
  CROSS JOIN LATERAL unnest(con.conkey, con.confkey) AS k(child, parent)
  JOIN pg_class cc ON cc.oid = con.conrelid JOIN pg_namespace cn ON cn.oid = cc.relnamespace
  JOIN pg_class pc ON pc.oid = con.confrelid JOIN pg_namespace pn ON pn.oid = pc.relnamespace
  JOIN pg_attribute ca ON ca.attrelid = con.conrelid AND ca.attnum = k.child
  JOIN pg_attribute pa ON pa.attrelid = con.confrelid AND pa.attnum = k.parent
  WHERE con.contype = 'f' AND con.conparentid = 0 AND ${USER.replaceAll("n.nspname", "cn.nspname")}
  GROUP BY con.oid, cn.nspname, cc.relname, pn.nspname, pc.relname ORDER BY 1`

const SEQUENCES_SQL = `SELECT format('SELECT setval(%L, %s, true)', format('%I.%I', schemaname, sequencename), last_value) AS sql
  FROM pg_sequences WHERE last_value IS NOT NULL ORDER BY 1`

export interface SampleResult {
  /** Rows kept per table, tables with none left out. */
  rows: { table: string; rows: number }[]
  /** Tables whose rows could not be copied, with PostgreSQL's reason. */
  skipped: { table: string; reason: string }[]
}

/** Copies a sample of `source`'s rows into `scratch`, which has the same tables and no constraints or triggers yet. */
export async function copySample(source: Queryable, scratch: Queryable, perTable = SAMPLE_ROWS): Promise<SampleResult> {
  const skipped: SampleResult["skipped"] = []
  await source.query("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
  try {
    const tables = (await source.query<{ name: string; columns: string[] }>(TABLES_SQL)).rows
    for (const { name, columns } of tables) {
      const list = columns.join(", ")
      const [row] = (
        await source.query<{ rows: string }>(
          `SELECT coalesce(json_agg(s), '[]')::text AS rows FROM (SELECT ${list} FROM ONLY ${name} t WHERE pg_column_size(t.*) <= ${MAX_ROW_BYTES} LIMIT ${perTable}) s`,
        )
      ).rows
      if (!row || row.rows === "[]") continue
      try {
        await scratch.query(
          `INSERT INTO ${name} (${list}) OVERRIDING SYSTEM VALUE SELECT ${list} FROM json_populate_recordset(NULL::${name}, $1::json)`,
          [row.rows],
        )
      } catch (error) {
        skipped.push({ table: name, reason: (error as Error).message })
      }
    }
    const dangling = (await source.query<{ sql: string }>(DANGLING_SQL)).rows.map((r) => r.sql)
    // Each pass can orphan rows one level further down; a chain is never longer than the keys.
    for (let pass = 0; pass <= dangling.length; pass++) {
      let deleted = 0
      for (const sql of dangling) deleted += (await scratch.query(sql)).rowCount ?? 0
      if (deleted === 0) break
    }
    for (const { sql } of (await source.query<{ sql: string }>(SEQUENCES_SQL)).rows) await scratch.query(sql)
    const rows: SampleResult["rows"] = []
    for (const { name } of tables) {
      const n = Number(
        (await scratch.query<{ n: string }>(`SELECT count(*)::text AS n FROM ONLY ${name}`)).rows[0]?.n ?? 0,
      )
      if (n > 0) rows.push({ table: name, rows: n })
    }
    return { rows, skipped }
  } finally {
    await source.query("ROLLBACK")
  }
}
