/** The CLI's help text. */
export const USAGE = `deploy-pipeline: lint, test, build, scan, deploy and roll back a Django app (the engine-free part).

Usage:
  deploy-pipeline config check [--dir DIR] [--env NAME] [--json]
      Validate environments/*.yaml; exit 1 listing every problem as file:line:col path: message.
  deploy-pipeline plan --env NAME [--dir DIR] [--image REF] [--json]
      Print the resolved configuration and the steps a deploy would take, touching nothing.
  deploy-pipeline migrations check FILE|DIR... [--schema FILE | --database URL] [--pg-version N] [--format text|json]
      Analyse migration SQL (manage.py sqlmigrate output) with PostgreSQL's parser; exit 1 on error findings.
  deploy-pipeline migrations trace FILE|DIR... --database URL [--in-place] [--format json]
      Run the SQL on a scratch copy in rolled-back transactions; report locks, rewrites and times.
  deploy-pipeline migrations rehearse --env NAME --image REF [--json]
      Apply the release's pending migrations, one at a time, to a scratch restore of the latest verified backup
      (else a fresh pg_dump); report wall time, locks held, rewrites and rows per migration; record it in the ledger.
  deploy-pipeline deploy --env NAME --image REF [--approve ENV@DIGEST12] [--version V] [--lock-wait SECONDS]
                         [--migrations DIR] [--allow-unsafe-migrations REASON] [--json]
      Blue-green deploy behind the health gate; switches back by itself if health fails after the switch.
      Development also takes no --image: it builds the Dockerfile in --source DIR (default .), with any
      --build-arg NAME=VALUE, and runs its own Postgres, Memcached and RabbitMQ beside the app.
  deploy-pipeline rollback --env NAME [--to REF] [--json]
      Back to the previous stable release (or --to a digest from history), through the same gate.
  deploy-pipeline scale --env NAME --service web --replicas N [--json]
      Start or stop web replicas of the live release; new ones must pass the health gate, or the count stays.
  deploy-pipeline status --env NAME [--json]
  deploy-pipeline history --env NAME [--json]
  deploy-pipeline lock status|release --env NAME [--force --reason TEXT] [--json]
      release frees a stale lock; --force also ends a live holder's session (recorded), and prints the record as JSON.
  deploy-pipeline backup restore --env NAME --id ID --confirm-restore ID [--json]
      Restore a deploy's backup (history's backup column) over the app database, under the deploy lock;
      every write since it was taken is lost, so the id must be repeated. The ledger keeps its history.
  deploy-pipeline load-test --url URL [--users N] [--duration SECONDS] [--json]
      wrk against URL only (defaults: 10 users, 10 s; at most 1000 users, 300 s): rps, latency p50/p95/p99, errors.
  deploy-pipeline alerts --env NAME
      Print Prometheus alert rules (p95 latency, 5xx rate, database connection failures) for the environment.
  deploy-pipeline help

Options:
  --dir DIR     the environments folder (default: ./environments)
  --env NAME    an environment: the name of a file in that folder, such as staging
  --image REF   the image, pinned as repo@sha256:… (or a local image ID sha256:…)
  --json        print one JSON document on stdout, whatever the exit code (--format json is the same);
                a failure is {"error": {"code": "…", "message": "…"}}, and config problems add "problems"
  --quiet       no progress lines on stderr

The same operations are Dagger functions: dagger call config-check, dagger call plan --env staging.`
