/**
 * The ledger's own schema, as numbered migrations. They only ever get appended: a released
 * migration is never edited, because ledgers in the field have already applied it. Each one is
 * SQL text over the (quoted) schema name, applied by migrate.ts inside one transaction.
 */

export interface LedgerMigration {
  version: number
  name: string
  sql(schema: string): string
}

const DIGEST = `'^sha256:[0-9a-f]{64}$'`

export const LEDGER_MIGRATIONS: readonly LedgerMigration[] = [
  {
    version: 1,
    name: "deploys",
    sql: (s) => `
CREATE TABLE ${s}.deploys (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  env text NOT NULL,
  action text NOT NULL CHECK (action IN ('deploy', 'rollback', 'scale')),
  requested_by text NOT NULL,
  approval text,
  image_ref text NOT NULL,
  image_digest text NOT NULL CHECK (image_digest ~ ${DIGEST}),
  git_commit text,
  config_hash text,
  previous_digest text CHECK (previous_digest ~ ${DIGEST}),
  color_from text,
  color_to text,
  migrations jsonb NOT NULL DEFAULT '[]' CHECK (jsonb_typeof(migrations) = 'array'),
  unsafe_override_reason text,
  backup_id text,
  backup_location text,
  backup_sha256 text CHECK (backup_sha256 ~ '^[0-9a-f]{64}$'),
  phases jsonb NOT NULL DEFAULT '[]' CHECK (jsonb_typeof(phases) = 'array'),
  started_at timestamptz NOT NULL,
  switched_at timestamptz,
  finished_at timestamptz,
  duration_ms integer,
  result text NOT NULL DEFAULT 'started' CHECK (result IN ('started', 'succeeded', 'failed', 'rolled_back', 'aborted')),
  error text,
  rolled_back_from bigint REFERENCES ${s}.deploys (id),
  owner_who text NOT NULL,
  owner_host text NOT NULL,
  owner_pid integer NOT NULL,
  lock_backend_pid integer NOT NULL,
  lock_backend_start timestamptz NOT NULL,
  CHECK (num_nulls(backup_id, backup_location, backup_sha256) IN (0, 3)),
  CHECK ((result = 'started') = (finished_at IS NULL))
);
CREATE INDEX deploys_env_id ON ${s}.deploys (env, id DESC);
CREATE INDEX deploys_env_in_progress ON ${s}.deploys (env) WHERE result = 'started';
`,
  },
  {
    version: 2,
    name: "locks",
    sql: (s) => `
CREATE TABLE ${s}.locks (
  env text PRIMARY KEY,
  owner_who text,
  owner_host text,
  owner_pid integer,
  since timestamptz,
  message text,
  backend_pid integer,
  backend_start timestamptz,
  CHECK (num_nulls(owner_who, owner_host, owner_pid, since, message, backend_pid, backend_start) IN (0, 7))
);
CREATE TABLE ${s}.lock_events (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  env text NOT NULL,
  event text NOT NULL CHECK (event IN ('force_released', 'cleared_stale')),
  at timestamptz NOT NULL,
  actor_who text NOT NULL,
  actor_host text NOT NULL,
  actor_pid integer NOT NULL,
  reason text NOT NULL,
  holder jsonb NOT NULL,
  terminated_backend_pid integer
);
`,
  },
  {
    version: 3,
    name: "restore action",
    sql: (s) => `
ALTER TABLE ${s}.deploys DROP CONSTRAINT deploys_action_check;
ALTER TABLE ${s}.deploys ADD CONSTRAINT deploys_action_check CHECK (action IN ('deploy', 'rollback', 'scale', 'restore'));
`,
  },
  {
    version: 4,
    name: "rehearsals",
    sql: (s) => `
CREATE TABLE ${s}.rehearsals (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  env text NOT NULL,
  image_ref text NOT NULL,
  image_digest text NOT NULL CHECK (image_digest ~ ${DIGEST}),
  source text NOT NULL,
  result text NOT NULL CHECK (result IN ('passed', 'failed')),
  migrations jsonb NOT NULL DEFAULT '[]' CHECK (jsonb_typeof(migrations) = 'array'),
  error text,
  requested_by text NOT NULL,
  started_at timestamptz NOT NULL,
  finished_at timestamptz NOT NULL
);
CREATE INDEX rehearsals_env_digest ON ${s}.rehearsals (env, image_digest, id DESC);
`,
  },
]
