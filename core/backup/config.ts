/**
 * From an environment's validated config to backup options: the app database is the source,
 * deploy.backup gives location, keep and verify. The password stays out: the caller adds it
 * (resolved from the POSTGRES_PASSWORD secret) as `password` or as a `passfile` path.
 */
import type { EnvironmentConfig } from "../config/schema.js"
import type { BackupOptions } from "./backup.js"

export type BackupSettings = Pick<BackupOptions, "env" | "source" | "location" | "keep" | "verify">

export function backupSettings(env: string, config: EnvironmentConfig): BackupSettings {
  const { host, port, user, database } = config.services.postgres
  const { location, keep, verify } = config.deploy.backup
  return { env, source: { host, port, user, database }, location, keep, verify }
}
