/**
 * Is a deployer still alive? Its dedicated lock connection is the proof: a session with that
 * backend pid and start time that still holds the environment's advisory lock. A dead process's
 * connection closes, the lock goes with it, and this turns false; no heartbeat is needed.
 *
 * backend_start is compared at millisecond precision (what a JavaScript Date keeps). pg_stat_activity
 * hides backend_start of other roles' sessions from roles without pg_read_all_stats; then the pid
 * and the lock decide alone, so a live deployer is never declared dead for lack of privileges.
 */

/** SQL boolean over expressions for the pid, backend start and the int4 key pair. */
export function sessionHoldsLockSql(pid: string, backendStart: string, classid: string, objid: string): string {
  return `EXISTS (
    SELECT 1 FROM pg_catalog.pg_locks l JOIN pg_catalog.pg_stat_activity a ON a.pid = l.pid
    WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 2
      AND l.database = (SELECT oid FROM pg_catalog.pg_database WHERE datname = current_database())
      AND l.classid = (${classid})::int4::oid AND l.objid = (${objid})::int4::oid
      AND l.pid = ${pid}
      AND (a.backend_start IS NULL OR date_trunc('milliseconds', a.backend_start) = ${backendStart}))`
}

/** SQL for the backend pid holding the int4 key pair in this database, or NULL. */
export function lockHolderPidSql(classid: string, objid: string): string {
  return `(SELECT l.pid FROM pg_catalog.pg_locks l
    WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 2
      AND l.database = (SELECT oid FROM pg_catalog.pg_database WHERE datname = current_database())
      AND l.classid = (${classid})::int4::oid AND l.objid = (${objid})::int4::oid
    LIMIT 1)`
}

/** SQL for this session's identity, as a LockSession row: backend_pid, backend_start (ms). */
export const OWN_SESSION_SQL = `SELECT pg_backend_pid() AS backend_pid,
  (SELECT date_trunc('milliseconds', backend_start) FROM pg_catalog.pg_stat_activity WHERE pid = pg_backend_pid()) AS backend_start`
