/**
 * Every stable code the pipeline reports, with what it means: the codes of typed errors
 * (PipelineError subclasses) and of failed outcomes alike. Under --json the CLI prints a failure as
 * {"error": {"code": CODE, "message": TEXT}} on stdout, and a failed `dagger call` carries the same
 * message, so a program branches on the code and a person reads the message. Codes are kebab-case
 * and never change meaning; a new failure gets a new code here (test/errors/codes.spec.ts checks
 * that every error class's code is listed and that no two classes share one).
 */
export const ERROR_CODES = {
  // Arguments and inputs (the CLI exits 2 on usage, 1 on every other code).
  usage: "The arguments are wrong: an unknown command or option, a missing --env.",
  "missing-option":
    "A command's own option is missing (deploy --image, scale --replicas, backup restore --id, migrations trace --database).",
  "invalid-option": "An option's value is wrong (--pg-version 9.6, --schema with --database, --users 2.5).",
  "environments-dir": "The environments folder (--dir) is missing or cannot be read.",
  "no-environments": "The environments folder holds no environment file.",
  "unknown-environment": "--env names no environment file; the message lists the ones there are.",
  "config-invalid": "The environment files have problems; each is file:line:col path: message (JSON: `problems`).",
  "input-missing": "A FILE|DIR or --schema FILE that is not there, or a folder with no .sql files.",
  "secret-unresolved": "A secret reference (env:, file:, cmd:) could not be resolved on this machine.",
  "image-not-pinned": "--image is a tag, not a digest: deploy repo@sha256:… as publish prints it.",
  // Migrations analysis and tracing.
  "schema-invalid": "The --schema file is not SQL that PostgreSQL can parse.",
  "database-unreadable": "The schema could not be read from --database.",
  "trace-failed": "migrations trace could not run (the scratch copy, the connection).",
  "migration-errors":
    "migrations check found an error (text output; under --format json the findings are the document).",
  "trace-errors": "A traced statement failed, or --in-place changed the database (text output; JSON is the trace).",
  "rehearsal-failed":
    "migrations rehearse could not run: no backup or dump to restore, the scratch database, the release's containers.",
  "rehearsal-errors": "A rehearsed migration failed on the restored data (text output; JSON is the rehearsal report).",
  // Deploys (DeployError): each names the step that stopped it.
  refused:
    "Refused before anything changed: approval, the migrations gate, a digest already live, an unconfirmed restore.",
  build:
    "A development deploy without --image could not build the source's Dockerfile; docker build's last lines say why.",
  preflight: "The Docker host, the image or Postgres did not answer as a deploy needs; nothing was changed.",
  boot: "The new release's containers did not start; the live release was not touched.",
  "health-gate": "The new release never became healthy; it got no traffic and was removed.",
  switch: "Routing traffic to the new release failed.",
  backup: "The backup before the deploy failed; nothing was migrated.",
  migrate: "The migrate command failed; the message says which migrations stay applied.",
  "switched-back":
    "A rollback's target failed its watch window after the switch; it was switched back, and the release that served before serves again.",
  "rollback-target": "There is no release to roll back to (no previous stable one, or --to is not in history).",
  "rolled-back": "The deploy failed after the switch and was switched back (text output; JSON is the deploy record).",
  "environment-down":
    "status: nothing serves where releases were deployed (the proxy is missing or stopped, or routes no running release); the report says what to do.",
  "health-gate-failed":
    "A health gate's probes did not pass enough times in a row before its deadline (the deploy reports it as health-gate).",
  "time-limit": "One probe attempt got no answer within its time limit.",
  // A development deploy's own services (DevServiceError): each names the service, its container and address.
  "dev-secret-key":
    "SECRET_KEY's variable is unset where no key may be generated (above development), or the local key file cannot be read.",
  "dev-service-refused":
    "Managed services were asked for where they do not run: a tier above development, or under Dagger.",
  "dev-service-image-missing": "A managed service's image is not on the Docker host and could not be pulled.",
  "dev-service-docker": "A docker command about a managed service failed.",
  "dev-service-port-taken": "Docker could not publish a managed service's port on 127.0.0.1.",
  "dev-service-not-ready": "A managed service did not answer in time.",
  "dev-service-credentials":
    "A managed service answered but refused the configured login (its volume keeps an older password).",
  "dev-service-state": "A managed service's container is paused or dead, a state a deploy does not touch.",
  // The ledger and the lock.
  "ledger-unreachable":
    "The ledger's database did not accept a connection; the message names the database, its address and what to check.",
  "ledger-too-new": "The ledger's schema is newer than this version knows; upgrade deploy-pipeline.",
  "record-not-found": "There is no such deploy in the ledger.",
  "record-not-in-progress": "A finished ledger record cannot change.",
  "lock-held": "Another deploy holds the environment's lock; the message names the holder.",
  "lock-force-required": "The lock's holder is alive: releasing it needs --force, which ends its session.",
  "lock-lost": "The deploy lost its lock mid-way; it stopped before the next step.",
  "lock-release-timeout": "The holder's session did not end in time after --force.",
  // Backups and restores.
  "backup-command-failed": "pg_dump or pg_restore exited non-zero.",
  "backup-pg-dump-too-old": "pg_dump is older than the server it dumps.",
  "backup-lock-timeout": "The backup could not get the locks it needs in time.",
  "backup-verify-failed": "Restoring the dump into a scratch database gave other facts than the source.",
  "restore-not-confirmed": "A restore whose id was not repeated; nothing was restored.",
  "backup-not-found": "There is no backup with that id.",
  "backup-damaged": "The backup's checksum does not match its manifest.",
  "backup-not-kept": "A verified backup could not be copied to durable storage.",
  // Load tests (LoadTestError).
  "invalid-target": "--url is not an http:// or https:// address wrk can reach.",
  "over-limit": "--users, --duration, --threads or --timeout is over its bound.",
  "unreachable-under-dagger": "--url names localhost, which is the module's own container under Dagger.",
  "wrk-missing": "wrk is not installed on this machine.",
  "wrk-failed": "wrk exited non-zero; the message has what it said.",
  "wrk-output": "wrk's output could not be read.",
  "load-test-errors": "The load test ran and requests failed, or none completed (text output; JSON is the report).",
  // Build stages, and the rest.
  "stage-failed":
    "A build stage (lint, test, build, publish, scan, ci) failed; the message has its command and output.",
  unexpected: "A failure with no code of its own: a bug. DEPLOY_PIPELINE_DEBUG=1 prints its cause and stack.",
} as const satisfies Record<string, string>

export type ErrorCode = keyof typeof ERROR_CODES
