/**
 * The migration-safety gate of a deploy: the pending migrations' SQL (manage.py sqlmigrate output)
 * is analysed before anything changes. Staging and production refuse findings at or above
 * deploy.migrations.block_on unless the deploy carries a reason, which the ledger records.
 */
import type { EnvironmentConfig } from "../config/schema.js"
import { analyzeFiles } from "../migrations/analyze.js"
import type { SqlFile } from "../migrations/sql-file.js"

export interface GateVerdict {
  blocked: boolean
  /** What the deploy log and the refusal say. */
  summary: string
}

const RANK = { info: 0, warning: 1, error: 2 } as const

export async function migrationGate(env: string, config: EnvironmentConfig, files: readonly SqlFile[], override: string | undefined): Promise<GateVerdict> {
  if (files.length === 0) return { blocked: false, summary: "no pending migration SQL given" }
  const findings = await analyzeFiles(files, { version: { major: config.services.postgres.version, minor: 0 } })
  const threshold = config.deploy.migrations.block_on
  const over = threshold === "never" ? [] : findings.filter((f) => RANK[f.severity] >= RANK[threshold])
  const list = over.map((f) => `  ${f.file}:${f.line} ${f.severity} ${f.rule}${f.lock ? ` (${f.lock}${f.relation ? ` on ${f.relation}` : ""})` : ""}: ${f.fix}`).join("\n")
  const counts = `${findings.length} finding${findings.length === 1 ? "" : "s"} in ${files.length} file${files.length === 1 ? "" : "s"}`
  const enforced = config.tier === "staging" || config.tier === "production"
  if (over.length === 0) return { blocked: false, summary: `${counts}, none at ${threshold} or above` }
  if (!enforced) return { blocked: false, summary: `${counts}; ${over.length} at ${threshold} or above (not enforced for ${config.tier})\n${list}` }
  if (override) return { blocked: false, summary: `${counts}; ${over.length} at ${threshold} or above, allowed: ${override}\n${list}` }
  return {
    blocked: true,
    summary: `${env}: ${over.length} migration finding${over.length === 1 ? "" : "s"} at ${threshold} or above; fix them, or deploy with --allow-unsafe-migrations "<reason>" (recorded)\n${list}`,
  }
}
