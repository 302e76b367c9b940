/**
 * The migration-safety gate of a deploy: the pending migrations' SQL (manage.py sqlmigrate output)
 * is analysed before anything changes, against the target database's schema when it can be read
 * (target-schema.ts), as `migrations check --database` does. Staging and production refuse
 * findings at or above deploy.migrations.block_on unless the deploy carries a reason, which the
 * ledger records.
 */
import type { EnvironmentConfig } from "../config/schema.js"
import { analyzeFiles } from "../migrations/analyze.js"
import type { SqlFile } from "../migrations/sql-file.js"
import type { TargetSchema } from "./target-schema.js"

export interface GateVerdict {
  blocked: boolean
  /** What the deploy log and the refusal say. */
  summary: string
  /** Why the analysis ran without the database's schema, when it could not be read. */
  warning?: string
}

const RANK = { info: 0, warning: 1, error: 2 } as const

/** `schema` reads the target's schema; it is asked only when there is SQL to analyse. */
export async function migrationGate(
  env: string,
  config: EnvironmentConfig,
  files: readonly SqlFile[],
  override: string | undefined,
  schema?: () => Promise<TargetSchema>,
): Promise<GateVerdict> {
  if (files.length === 0) return { blocked: false, summary: "no pending migration SQL given" }
  const target = schema ? await schema() : undefined
  const known = target?.schema
  const findings = await analyzeFiles(
    files,
    known ? { schema: known } : { version: { major: config.services.postgres.version, minor: 0 } },
  )
  const threshold = config.deploy.migrations.block_on
  const over = threshold === "never" ? [] : findings.filter((f) => RANK[f.severity] >= RANK[threshold])
  const list = over
    .map(
      (f) =>
        `  ${f.file}:${f.line} ${f.severity} ${f.rule}${f.lock ? ` (${f.lock}${f.relation ? ` on ${f.relation}` : ""})` : ""}: ${f.fix}`,
    )
    .join("\n")
  const against = !target ? "" : target.schema ? `, against the ${target.source}` : ", without the database's schema"
  const counts = `${findings.length} finding${findings.length === 1 ? "" : "s"} in ${files.length} file${files.length === 1 ? "" : "s"}${against}`
  const enforced = config.tier === "staging" || config.tier === "production"
  const warning = target && !target.schema ? { warning: target.warning } : {}
  if (over.length === 0) return { blocked: false, summary: `${counts}, none at ${threshold} or above`, ...warning }
  if (!enforced)
    return {
      blocked: false,
      summary: `${counts}; ${over.length} at ${threshold} or above (not enforced for ${config.tier})\n${list}`,
      ...warning,
    }
  if (override)
    return {
      blocked: false,
      summary: `${counts}; ${over.length} at ${threshold} or above, allowed: ${override}\n${list}`,
      ...warning,
    }
  const how = !target ? [] : [target.schema ? `analysed against the ${target.source}` : `warning: ${target.warning}`]
  return {
    blocked: true,
    summary: [
      `${env}: ${over.length} migration finding${over.length === 1 ? "" : "s"} at ${threshold} or above; fix them, or deploy with --allow-unsafe-migrations "<reason>" (recorded)`,
      list,
      ...how,
    ].join("\n"),
    ...warning,
  }
}
