/**
 * Pending migrations as SQL, from the app itself: Django lists what the target database has not
 * applied (showmigrations --plan) and prints each one's SQL (sqlmigrate), in the app's own
 * container, against the environment's database. The SQL comes back as a Directory of files the
 * analyzer reads.
 */
import { type Container, type Directory, dag } from "@dagger.io/dagger"
import type { EnvironmentConfig } from "../config/schema.js"
import { STAGE_INPUTS } from "../constants.js"
import { secretUri } from "../exec/dagger-target.js"
import { APP_DIR } from "./commands.js"
import { dependencyLayer } from "./test.js"

export const PENDING_DIR = "/pending"

/** Lists unapplied migrations, then writes NNNN_<app>_<name>.sql for each, in plan order. */
export function pendingSqlScript(): string {
  return [
    "set -eu",
    `mkdir -p ${PENDING_DIR}`,
    "python manage.py showmigrations --plan --no-color | awk '/^\\[ \\]/ {print $3}' > /tmp/pending",
    "n=0",
    "while read -r migration; do",
    '  app="${migration%%.*}"; name="${migration#*.}"; n=$((n + 1))',
    `  python manage.py sqlmigrate "$app" "$name" > "${PENDING_DIR}/$(printf '%04d' "$n")_\${app}_\${name}.sql"`,
    "done < /tmp/pending",
    `echo "$n pending migration(s)"`,
  ].join("\n")
}

export function pendingMigrationSql(source: Directory, config: EnvironmentConfig, runId: string): Directory {
  const { postgres, memcached, rabbitmq } = config.services
  let container: Container = dependencyLayer(source)
    .withDirectory(APP_DIR, source.filter({ exclude: [...STAGE_INPUTS.appExclude] }))
    .withEnvVariable("DJANGO_SETTINGS_MODULE", config.app.settings_module)
    .withEnvVariable("POSTGRES_HOST", postgres.host)
    .withEnvVariable("POSTGRES_PORT", String(postgres.port))
    .withEnvVariable("POSTGRES_DB", postgres.database)
    .withEnvVariable("POSTGRES_USER", postgres.user)
    .withEnvVariable("MEMCACHED_LOCATION", `${memcached.host}:${memcached.port}`)
    .withEnvVariable("RABBITMQ_HOST", rabbitmq.host)
  for (const [name, ref] of Object.entries(config.secrets))
    container = container.withSecretVariable(name, dag.secret(secretUri(ref)))
  // The database's state is the input Dagger cannot see: never answer this from the cache.
  return container
    .withEnvVariable("DEPLOY_PIPELINE_RUN", runId)
    .withExec(["sh", "-c", pendingSqlScript()])
    .directory(PENDING_DIR)
}
