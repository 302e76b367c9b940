/**
 * The metrics the alert rules read, and the exporters that must be scraped for them to exist.
 * Named here once so the rules, their tests and the docs agree on what is assumed:
 *
 * - django-prometheus (`django_prometheus` in INSTALLED_APPS, its Before/After middlewares, and
 *   its `/metrics` view) for the two HTTP metrics;
 * - django-prometheus's database engine (`ENGINE: django_prometheus.db.backends.postgresql`) for
 *   the connection-failure counter. It counts failures as the app sees them, which is what the
 *   alert is about; postgres_exporter's `pg_up` only says whether the exporter reaches the server.
 *
 * Prometheus must scrape the app as job `<app.name>` and attach the target label
 * `env: <environment name>`; every selector filters on both.
 */

/** Histogram (le, view, method): request latency in seconds, without middleware time. */
export const LATENCY_BUCKET = "django_http_requests_latency_seconds_by_view_method_bucket"

/** Counter (status): responses by HTTP status code. */
export const RESPONSES_BY_STATUS = "django_http_responses_total_by_status_total"

/** Counter (alias, vendor): failed attempts to open a database connection. */
export const DB_CONNECTION_ERRORS = "django_db_new_connection_errors_total"

/** The label matchers that pick one app in one environment: `job="webapp",env="staging"`. */
export function selector(job: string, env: string): string {
  return `job=${JSON.stringify(job)},env=${JSON.stringify(env)}`
}
