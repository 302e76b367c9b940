/**
 * The stable codes of failed outcomes. Under --json (or --format json) the CLI prints a failure
 * as {"error": {"code": CODE, "message": TEXT}} on stdout, so a program branches on the code and a
 * person reads the message. Kebab-case throughout: typed errors that bring their own codes keep
 * them (DeployError, LoadTestError), and the ledger's and backups' LOCK_HELD style reads lock-held.
 */
import type { DeployErrorCode } from "../deploy/errors.js"
import type { LoadTestErrorCode } from "../loadtest/errors.js"
import type { DevServiceFailureCode } from "../deploy/dev-service-error.js"

export type FailureCode =
  /** The arguments are wrong: an unknown command or option, a missing --env. The CLI exits 2; every other failure exits 1. */
  | "usage"
  /** A command's own option is missing (deploy --image, scale --replicas, backup restore --id, migrations trace --database). */
  | "missing-option"
  /** An option's value is wrong (--pg-version 9.6, --schema with --database). */
  | "invalid-option"
  /** The environments folder (--dir) is missing or cannot be read. */
  | "environments-dir"
  /** The environments folder holds no environment file. */
  | "no-environments"
  /** --env names no environment file; the message lists the ones there are. */
  | "unknown-environment"
  /** The environment files have problems; the error's `problems` lists each as {file, line, col, path, message}. */
  | "config-invalid"
  /** A FILE|DIR or --schema FILE that is not there, or a folder with no .sql files. */
  | "input-missing"
  /** The --schema file is not SQL that PostgreSQL can parse. */
  | "schema-invalid"
  /** The schema could not be read from --database. */
  | "database-unreadable"
  /** migrations trace could not run (the scratch copy, the connection). */
  | "trace-failed"
  /** migrations check found an error (text output; under --format json the findings are the document). */
  | "migration-errors"
  /** A traced statement failed, or --in-place changed the database (text output; JSON is the trace). */
  | "trace-errors"
  /** migrations rehearse could not run (no image, no copy of the data, a command that is not manage.py migrate). */
  | "rehearsal-failed"
  /** A migration failed on the rehearsal's copy, or the release could not list them there (text output; JSON is the report). */
  | "rehearsal-errors"
  /** The load test ran and requests failed, or none completed (text output; JSON is the report). */
  | "load-test-errors"
  /** The deploy failed after the switch and was rolled back (text output; JSON is the deploy record). */
  | "rolled-back"
  /** A secret reference could not be resolved on this machine. */
  | "secret-unresolved"
  /** --image is a tag, not a digest. */
  | "image-not-pinned"
  /** A development deploy's own Postgres, Memcached or RabbitMQ could not be made ready (the message names which, where and what next). */
  | DevServiceFailureCode
  /** An error the CLI did not anticipate (a bug, or a failure with no typed error yet). */
  | "unexpected"
  | DeployErrorCode
  | LoadTestErrorCode

/** A typed error's own code in the CLI's kebab-case: LOCK_HELD → lock-held. */
export function kebabCode(code: string): string {
  return code.toLowerCase().replaceAll("_", "-")
}
