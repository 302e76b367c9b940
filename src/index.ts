/**
 * deploy-pipeline: lint, test, build, scan, deploy and roll back a containerized Django 5 app
 * across development, testing, staging and production.
 *
 * Deploys go to Docker hosts, blue-green behind HAProxy on one host or across a swarm, with a
 * health gate, a watch window that switches back, a ledger and a lock in Postgres, and backups
 * before production's migrations. The same engine runs as the `deploy-pipeline` CLI.
 */
import { Container, Directory, File, Secret, Service, Socket, argument, func, object } from "@dagger.io/dagger"
import { ENVIRONMENTS_DIR, SOURCE_IGNORE } from "../core/constants.js"
import { functions } from "./functions.js"
import { ScanReport } from "./scan-report.js"

@object()
export class DeployPipeline {
  source: Directory
  environments: Directory

  /**
   * @param source The Django app's repository. Defaults to the directory `dagger` is called from.
   * @param environments The environments folder. Defaults to environments/ in the source.
   */
  constructor(
    @argument({ defaultPath: "/", ignore: SOURCE_IGNORE })
    source: Directory,
    environments?: Directory,
  ) {
    this.source = source
    this.environments = environments ?? source.directory(ENVIRONMENTS_DIR)
  }

  /**
   * Validate the environment files and summarise each environment, or fail listing every problem as file:line:col.
   *
   * Example usage: dagger call config-check --env production
   *
   * @param env Check only this environment (and the shared base.yaml). Default: all of them.
   */
  @func()
  async configCheck(env?: string): Promise<string> {
    return (await functions()).configCheck(this, env)
  }

  /**
   * Show the resolved configuration and the steps a deploy would take, touching nothing.
   *
   * Example usage: dagger call plan --env staging --image registry.example.com/acme/webapp@sha256:…
   *
   * @param env The environment to plan for: development, testing, staging or production.
   * @param image The image to deploy, pinned as repo@sha256:… (as publish prints it).
   * @param json Print one JSON document, with the resolved configuration, instead of text.
   */
  @func()
  async plan(env: string, image?: string, json = false): Promise<string> {
    return (await functions()).plan(this, { env, image, json })
  }

  /**
   * Lint the app: ruff check and format, hadolint on the Dockerfile, and the environments config; fail on any problem.
   *
   * Example usage: dagger call lint
   */
  @func()
  async lint(): Promise<string> {
    return (await functions()).lint(this)
  }

  /**
   * Run Django's tests against Postgres 17.2 on tmpfs, Memcached and RabbitMQ; return the JUnit XML and coverage reports.
   *
   * Example usage: dagger call test export --path reports
   *
   * @param env The environment whose settings module and test options to use.
   */
  @func()
  async test(env = "testing"): Promise<Directory> {
    return (await functions()).test(this, env)
  }

  /**
   * Build the app image for one platform and Dockerfile target, with OCI labels.
   *
   * Example usage: dagger call build --platform linux/arm64 export --path app.tar
   *
   * @param platform The platform to build for, such as linux/arm64. Default: the engine's.
   * @param target The Dockerfile target: development, testing or production.
   * @param version The version label (org.opencontainers.image.version), e.g. a tag or 1.4.2.
   * @param revision The commit the image is built from (org.opencontainers.image.revision).
   * @param sourceUrl The source repository URL (org.opencontainers.image.source).
   * @param created The build time, RFC 3339 (org.opencontainers.image.created). Default: the Unix epoch, so the same source gives the same digest; pass the commit time.
   */
  @func()
  async build(
    platform?: string,
    target = "production",
    version = "dev",
    revision = "unknown",
    sourceUrl = "unknown",
    created = "1970-01-01T00:00:00Z",
  ): Promise<Container> {
    return (await functions()).build(this, platform, { target, version, revision, sourceUrl, created })
  }

  /**
   * Build the app image for several platforms at once (linux/amd64 and linux/arm64 by default).
   *
   * Example usage: dagger call build-multi-arch --platforms linux/amd64,linux/arm64
   *
   * @param platforms The platforms to build.
   * @param target The Dockerfile target: development, testing or production.
   * @param version The version label.
   * @param revision The commit the image is built from.
   * @param sourceUrl The source repository URL.
   * @param created The build time, RFC 3339. Default: the Unix epoch (reproducible digests).
   */
  @func()
  async buildMultiArch(
    platforms: string[] = ["linux/amd64", "linux/arm64"],
    target = "production",
    version = "dev",
    revision = "unknown",
    sourceUrl = "unknown",
    created = "1970-01-01T00:00:00Z",
  ): Promise<Container[]> {
    return (await functions()).buildMultiArch(this, platforms, { target, version, revision, sourceUrl, created })
  }

  /**
   * Build for every platform and push one multi-platform image; print its ref@sha256:… for deploys.
   *
   * Example usage: dagger call publish --address registry.example.com/acme/webapp:1.4.2 --username ci --password env:REGISTRY_PASSWORD
   *
   * @param address Where to push, such as registry.example.com/acme/webapp:1.4.2.
   * @param username The registry user.
   * @param password The registry password or token.
   * @param platforms The platforms to include.
   * @param version The version label.
   * @param revision The commit the image is built from.
   * @param sourceUrl The source repository URL.
   * @param created The build time, RFC 3339. Default: the Unix epoch (reproducible digests).
   */
  @func({ cache: "never" })
  async publish(
    address: string,
    username: string,
    password: Secret,
    platforms: string[] = ["linux/amd64", "linux/arm64"],
    version = "dev",
    revision = "unknown",
    sourceUrl = "unknown",
    created = "1970-01-01T00:00:00Z",
  ): Promise<string> {
    return (await functions()).publish(
      this,
      { address, username, password, platforms },
      { target: "production", version, revision, sourceUrl, created },
    )
  }

  /**
   * Scan each platform image and the source with Trivy; the environment sets the failing severities.
   *
   * Example usage: dagger call scan --env production check
   *
   * @param env The environment whose security.scan settings apply.
   * @param platforms The image platforms to scan.
   */
  @func()
  async scan(env = "testing", platforms: string[] = ["linux/amd64", "linux/arm64"]): Promise<ScanReport> {
    const { scanner, targets, severity, ignoreUnfixed } = await (await functions()).scan(this, env, platforms)
    return new ScanReport(scanner, targets, severity, ignoreUnfixed)
  }

  /**
   * Run lint, test, scan and build concurrently; fail with a summary of every stage that failed.
   *
   * Example usage: dagger call ci --env testing
   *
   * @param env The environment whose test and scan settings apply.
   * @param platforms The platforms to build and scan.
   */
  @func()
  async ci(env = "testing", platforms: string[] = ["linux/amd64", "linux/arm64"]): Promise<string> {
    return (await functions()).ci(this, env, platforms)
  }

  /**
   * Run the development server with Postgres, Memcached, RabbitMQ, Adminer and Mailhog; publishes 8000 (app), 8080 (Adminer), 8025 (Mailhog).
   *
   * Example usage: dagger call dev up --ports 8000:8000
   *
   * @param env The environment whose development settings to use.
   */
  @func()
  async dev(env = "development"): Promise<Service> {
    return (await functions()).dev(this, env)
  }

  /**
   * Load-test one URL with wrk (bounded: at most 1000 users and 300 s): requests per second, latency p50/p95/p99, errors.
   *
   * Example usage: dagger call load-test --url https://staging.example.com/ --users 10 --duration 10
   *
   * @param url The only address requests are sent to (not the caller's localhost: it is the container's own).
   * @param users Concurrent connections. Default 10.
   * @param duration Seconds. Default 10.
   * @param json Print one JSON document.
   */
  @func({ cache: "never" })
  async loadTest(url: string, users?: number, duration?: number, json = false): Promise<string> {
    return (await functions()).loadTest({ url, users, duration, json })
  }

  /**
   * Generate the environment's Prometheus alert rules: HighResponseTime, HighErrorRate, DatabaseConnectionFailure.
   *
   * Example usage: dagger call alerts --env production export --path alerts.yml
   *
   * @param env The environment whose thresholds to use.
   */
  @func()
  async alerts(env: string): Promise<File> {
    return (await functions()).alerts(this, env)
  }

  /**
   * Check pending migrations for locks, rewrites and breaking changes; fail on error findings.
   *
   * Example usage: dagger call check-migrations --env production
   *
   * @param env The environment whose database (and Postgres version) to check against.
   * @param migrations A folder of the pending migrations' SQL (sqlmigrate output). Default: ask the app, against the environment's database.
   * @param json Print one JSON document: {"findings": [...]}.
   */
  @func({ cache: "never" })
  async checkMigrations(env = "staging", migrations?: Directory, json = false): Promise<string> {
    return (await functions()).checkMigrations(this, { env, migrations, json })
  }

  /**
   * Rehearse a release's pending migrations on a scratch restore of the environment's latest verified backup.
   *
   * With no verified backup in the ledger, a fresh pg_dump of the environment's database is used (it is only
   * read). The deploy's own migrate command and PGOPTIONS run in containers of the release, one migration at a
   * time; each migration's wall time, strongest lock per table and how long it was held, rewrites and rows are
   * reported. The scratch database is always dropped, and the rehearsal is recorded in the ledger, where
   * deploy.migrations.rehearse required looks for a passing one of the same digest.
   *
   * Example usage: dagger call rehearse-migrations --env production --image registry.example.com/acme/webapp@sha256:…
   *
   * @param env The environment whose data to rehearse on.
   * @param image The release, pinned as repo@sha256:… (as publish prints it).
   * @param json Print one JSON document: the per-migration report.
   * @param requestedBy Who is rehearsing, for the ledger.
   * @param sshKey The SSH key for an ssh:// Docker host. Default: deploy.ssh_key from the environment.
   * @param dockerSocket The Docker engine's socket, e.g. /var/run/docker.sock: use the Docker engine of the machine running dagger instead of deploy.docker_host.
   * @param postgres Postgres as this call reaches it, e.g. tcp://localhost:5432 for one on this machine; the release's containers keep services.postgres.
   */
  @func({ cache: "never" })
  async rehearseMigrations(
    env: string,
    image: string,
    json = false,
    requestedBy = "dagger",
    sshKey?: Secret,
    dockerSocket?: Socket,
    postgres?: Service,
  ): Promise<string> {
    return (await functions()).rehearseMigrations(this, {
      env,
      image,
      json,
      requestedBy,
      sshKey,
      dockerSocket,
      postgres,
    })
  }

  /**
   * Deploy an image blue-green behind the health gate; switch back by itself if health fails after the switch.
   *
   * Where deploy.backup is enabled (production), a verified pg_dump is taken first, in a Postgres client
   * container, and kept in deploy.backup.location on the Docker host. With deploy.migrations.run, the
   * release's migrate command runs once before it boots. deploy.driver compose runs the colours as
   * containers on one host; swarm runs each colour as a stack (docker stack deploy) across a swarm.
   *
   * Example usage: dagger call deploy --env staging --image registry.example.com/acme/webapp@sha256:… --approve staging@0123456789ab
   *
   * @param env The environment to deploy to.
   * @param image The image, pinned as repo@sha256:… (as publish prints it).
   * @param approve For staging and production: <env>@<first 12 hex of the digest>, bound to this deploy.
   * @param version The version the app must report on /health/. Default: the digest's first 12 hex.
   * @param lockWait Seconds to wait for another deploy's lock. Default: the environment's deploy.lock_wait.
   * @param sshKey The SSH key for an ssh:// Docker host. Default: deploy.ssh_key from the environment.
   * @param requestedBy Who is deploying, for the ledger.
   * @param migrations A folder of the pending migrations' SQL (sqlmigrate output), checked before anything changes. Default, in staging and production: read from the release (showmigrations --plan, then sqlmigrate) against the environment's database.
   * @param allowUnsafeMigrations Why unsafe migrations may go ahead anyway (staging, production); recorded in the ledger.
   * @param dockerSocket The Docker engine's socket, e.g. /var/run/docker.sock: use the Docker engine of the machine running dagger instead of deploy.docker_host.
   * @param postgres Postgres as this call reaches it, e.g. tcp://localhost:5432 for one on this machine; the app's containers keep services.postgres.
   * @param memcached Memcached as this call reaches it, e.g. tcp://localhost:11211; the app's containers keep services.memcached.
   * @param rabbitmq RabbitMQ as this call reaches it, e.g. tcp://localhost:5672; the app's containers keep services.rabbitmq.
   */
  @func({ cache: "never" })
  async deploy(
    env: string,
    image: string,
    approve?: string,
    version?: string,
    lockWait?: number,
    sshKey?: Secret,
    requestedBy = "dagger",
    migrations?: Directory,
    allowUnsafeMigrations?: string,
    dockerSocket?: Socket,
    postgres?: Service,
    memcached?: Service,
    rabbitmq?: Service,
  ): Promise<string> {
    return (await functions()).deploy(this, {
      env,
      image,
      approve,
      version,
      lockWait,
      sshKey,
      requestedBy,
      migrations,
      allowUnsafeMigrations,
      dockerSocket,
      postgres,
      memcached,
      rabbitmq,
    })
  }

  /**
   * Roll an environment back to its previous stable release, or to a digest, through the same health gate.
   *
   * Example usage: dagger call rollback --env production
   *
   * @param env The environment to roll back.
   * @param to A digest (sha256:…) from history. Default: the previous stable release.
   * @param lockWait Seconds to wait for another deploy's lock.
   * @param sshKey The SSH key for an ssh:// Docker host. Default: deploy.ssh_key from the environment.
   * @param requestedBy Who is rolling back, for the ledger.
   * @param dockerSocket The Docker engine's socket, e.g. /var/run/docker.sock: use the Docker engine of the machine running dagger instead of deploy.docker_host.
   * @param postgres Postgres as this call reaches it, e.g. tcp://localhost:5432 for one on this machine; the app's containers keep services.postgres.
   * @param memcached Memcached as this call reaches it, e.g. tcp://localhost:11211; the app's containers keep services.memcached.
   * @param rabbitmq RabbitMQ as this call reaches it, e.g. tcp://localhost:5672; the app's containers keep services.rabbitmq.
   */
  @func({ cache: "never" })
  async rollback(
    env: string,
    to?: string,
    lockWait?: number,
    sshKey?: Secret,
    requestedBy = "dagger",
    dockerSocket?: Socket,
    postgres?: Service,
    memcached?: Service,
    rabbitmq?: Service,
  ): Promise<string> {
    return (await functions()).rollback(this, {
      env,
      to,
      lockWait,
      sshKey,
      requestedBy,
      dockerSocket,
      postgres,
      memcached,
      rabbitmq,
    })
  }

  /**
   * Restore a deploy's backup over the environment's database, under the deploy lock; the id must be repeated to confirm.
   *
   * Every write since the backup was taken is lost, so nothing happens unless confirmRestore repeats
   * the id. Under Dagger the backup is read back from deploy.backup.location on the Docker host and
   * restored by pg_restore in a Postgres client container; the ledger schema keeps its history.
   *
   * Example usage: dagger call restore-backup --env production --id production-20261129T010203Z-0123456789ab --confirm-restore production-20261129T010203Z-0123456789ab
   *
   * @param env The environment whose database is restored.
   * @param id The backup id, from the backup column of history.
   * @param confirmRestore The same id again: the confirmation.
   * @param lockWait Seconds to wait for another deploy's lock.
   * @param sshKey The SSH key for an ssh:// Docker host. Default: deploy.ssh_key from the environment.
   * @param requestedBy Who is restoring, for the ledger.
   * @param dockerSocket The Docker engine's socket, e.g. /var/run/docker.sock: use the Docker engine of the machine running dagger instead of deploy.docker_host.
   * @param postgres Postgres as this call reaches it, e.g. tcp://localhost:5432 for one on this machine; the app's containers keep services.postgres.
   * @param memcached Memcached as this call reaches it, e.g. tcp://localhost:11211; the app's containers keep services.memcached.
   * @param rabbitmq RabbitMQ as this call reaches it, e.g. tcp://localhost:5672; the app's containers keep services.rabbitmq.
   */
  @func({ cache: "never" })
  async restoreBackup(
    env: string,
    id: string,
    confirmRestore?: string,
    lockWait?: number,
    sshKey?: Secret,
    requestedBy = "dagger",
    dockerSocket?: Socket,
    postgres?: Service,
    memcached?: Service,
    rabbitmq?: Service,
  ): Promise<string> {
    return (await functions()).restoreBackup(this, {
      env,
      id,
      confirmRestore,
      lockWait,
      sshKey,
      requestedBy,
      dockerSocket,
      postgres,
      memcached,
      rabbitmq,
    })
  }

  /**
   * Scale the live release's web replicas; new ones must pass the health gate, or the previous count stays.
   *
   * Example usage: dagger call scale --env staging --service web --replicas 4
   *
   * @param env The environment.
   * @param service The service to scale: web.
   * @param replicas How many replicas.
   * @param sshKey The SSH key for an ssh:// Docker host. Default: deploy.ssh_key from the environment.
   * @param requestedBy Who is scaling, for the ledger.
   * @param dockerSocket The Docker engine's socket, e.g. /var/run/docker.sock: use the Docker engine of the machine running dagger instead of deploy.docker_host.
   * @param postgres Postgres as this call reaches it, e.g. tcp://localhost:5432 for one on this machine; the app's containers keep services.postgres.
   * @param memcached Memcached as this call reaches it, e.g. tcp://localhost:11211; the app's containers keep services.memcached.
   * @param rabbitmq RabbitMQ as this call reaches it, e.g. tcp://localhost:5672; the app's containers keep services.rabbitmq.
   */
  @func({ cache: "never" })
  async scale(
    env: string,
    service: string,
    replicas: number,
    sshKey?: Secret,
    requestedBy = "dagger",
    dockerSocket?: Socket,
    postgres?: Service,
    memcached?: Service,
    rabbitmq?: Service,
  ): Promise<string> {
    return (await functions()).scale(this, {
      env,
      service,
      replicas,
      sshKey,
      requestedBy,
      dockerSocket,
      postgres,
      memcached,
      rabbitmq,
    })
  }

  /**
   * Show what serves (read from the proxy's live route), the previous stable release, the lock holder and the containers of an environment; fails when it is down.
   *
   * Example usage: dagger call status --env staging
   *
   * @param env The environment.
   * @param json Print one JSON document.
   * @param sshKey The SSH key for an ssh:// Docker host. Default: deploy.ssh_key from the environment.
   * @param dockerSocket The Docker engine's socket, e.g. /var/run/docker.sock: use the Docker engine of the machine running dagger instead of deploy.docker_host.
   * @param postgres Postgres as this call reaches it, e.g. tcp://localhost:5432 for one on this machine; the app's containers keep services.postgres.
   * @param memcached Memcached as this call reaches it, e.g. tcp://localhost:11211; the app's containers keep services.memcached.
   * @param rabbitmq RabbitMQ as this call reaches it, e.g. tcp://localhost:5672; the app's containers keep services.rabbitmq.
   */
  @func({ cache: "never" })
  async status(
    env: string,
    json = false,
    sshKey?: Secret,
    dockerSocket?: Socket,
    postgres?: Service,
    memcached?: Service,
    rabbitmq?: Service,
  ): Promise<string> {
    return (await functions()).status(this, { env, json, sshKey, dockerSocket, postgres, memcached, rabbitmq })
  }

  /**
   * List an environment's deploys and rollbacks from its ledger, newest first.
   *
   * Example usage: dagger call history --env production
   *
   * @param env The environment.
   * @param json Print one JSON document.
   * @param limit How many records.
   * @param postgres The ledger's Postgres as this call reaches it, e.g. tcp://localhost:5432 for one on this machine.
   */
  @func({ cache: "never" })
  async history(env: string, json = false, limit = 20, postgres?: Service): Promise<string> {
    return (await functions()).history(this, { env, json, limit, postgres })
  }

  /**
   * Show who holds an environment's deploy lock, since when and why.
   *
   * Example usage: dagger call lock-status --env staging
   *
   * @param env The environment.
   * @param postgres The ledger's Postgres as this call reaches it, e.g. tcp://localhost:5432 for one on this machine.
   */
  @func({ cache: "never" })
  async lockStatus(env: string, postgres?: Service): Promise<string> {
    return (await functions()).lockStatus(this, { env, postgres })
  }

  /**
   * Release an environment's deploy lock: a stale one freely; a live holder's only with --force, which ends its session (recorded).
   *
   * Example usage: dagger call lock-release --env staging --force --reason "deployer crashed"
   *
   * @param env The environment.
   * @param force End a live holder's Postgres session.
   * @param reason Why, for the lock's event log.
   * @param requestedBy Who is releasing it.
   * @param postgres The ledger's Postgres as this call reaches it, e.g. tcp://localhost:5432 for one on this machine.
   */
  @func({ cache: "never" })
  async lockRelease(
    env: string,
    force = false,
    reason = "released by hand",
    requestedBy = "dagger",
    postgres?: Service,
  ): Promise<string> {
    return (await functions()).lockRelease(this, { env, force, reason, requestedBy, postgres })
  }
}
