/**
 * One fixture per config defect, each with its exact messages. Fixtures are overlays loaded on
 * the shipped environments/base.yaml (except standalone-missing.yaml, loaded alone), so these
 * also prove where a problem is attributed: the environment's file or the base.
 */
import { expect } from "chai"
import { readFileSync, readdirSync } from "node:fs"
import { join } from "node:path"
import { loadEnvironments } from "../../core/config/load.js"
import { formatProblem } from "../../core/config/problem.js"
import { ENVIRONMENTS, FIXTURES } from "../helpers/paths.js"

const base = { path: "environments/base.yaml", content: readFileSync(join(ENVIRONMENTS, "base.yaml"), "utf8") }
const fixture = (name: string) => ({ path: `fixtures/${name}`, content: readFileSync(join(FIXTURES, "config", name)) })

const CASES: { fixture: string; expected: string[] }[] = [
  {
    fixture: "alias-bomb.yaml",
    expected: [
      "fixtures/alias-bomb.yaml:1:1 (file): aliases expand to too many nodes (a YAML alias bomb?); environment files need at most 100 alias expansions",
    ],
  },
  {
    fixture: "bad-value.yaml",
    expected: [
      'fixtures/bad-value.yaml:3:11 deploy.driver: "kubernetes" is not allowed here; write one of compose, swarm',
      'fixtures/bad-value.yaml:4:9 deploy.mode: "automtic" is not allowed here; write one of automatic, manual (did you mean "automatic"?)',
      'fixtures/bad-value.yaml:5:16 deploy.docker_host: "docker.example.com" is not a Docker host; write unix:///var/run/docker.sock, ssh://user@host[:port] or tcp://host:port',
      'fixtures/bad-value.yaml:7:19 health.start_deadline: "2 minutes" is not a duration; write a number with a unit, such as "500ms", "30s", "2m" or "1h"',
      'fixtures/bad-value.yaml:8:9 health.path: "health" is not a URL path; start it with "/", such as "/health/"',
      'fixtures/bad-value.yaml:9:9 health.host: "http://web:8000" is not a Host header; write a name the app\'s ALLOWED_HOSTS lists, such as "www.example.com" or "localhost"',
      'fixtures/bad-value.yaml:12:32 runtime.resources.limits.memory: "512MB" is not a memory size; write a whole number with K, M or G, such as "512M" or "1G"',
    ],
  },
  {
    fixture: "comments-only.yaml",
    expected: [
      "fixtures/comments-only.yaml:1:1 (file): the file is empty; an environment file is a mapping of keys such as tier, app, deploy and runtime",
    ],
  },
  {
    fixture: "deployer-view.yaml",
    expected: [
      'fixtures/deployer-view.yaml:4:23 services.postgres.deployer.host: "postgres://127.0.0.1:5432/webapp" is not a host name; write a name or address such as "db" or "10.0.0.5"',
      "fixtures/deployer-view.yaml:4:65 services.postgres.deployer.port: 70000 is out of range; write a whole number from 1 to 65535",
      "fixtures/deployer-view.yaml:6:5 services.rabbitmq.deployer.host: required key is missing; add it (text)",
      'fixtures/deployer-view.yaml:6:17 services.rabbitmq.deployer.hostname: unknown key "hostname"; remove it, or use one of host, port',
      'fixtures/deployer-view.yaml:8:15 services.memcached.deployer: "127.0.0.1:11211" is not allowed here; write a mapping with host, port',
    ],
  },
  {
    fixture: "duplicate-key.yaml",
    expected: [
      'fixtures/duplicate-key.yaml:5:3 runtime.replicas: duplicate key "replicas" (first set at line 3); keep one of them',
    ],
  },
  {
    fixture: "empty.yaml",
    expected: [
      "fixtures/empty.yaml:1:1 (file): the file is empty; an environment file is a mapping of keys such as tier, app, deploy and runtime",
    ],
  },
  {
    fixture: "missing-secrets.yaml",
    expected: [
      "fixtures/missing-secrets.yaml:6:1 secrets: production requires secret ALLOWED_HOSTS; add ALLOWED_HOSTS: env:ALLOWED_HOSTS (or file:…, op://…)",
      "fixtures/missing-secrets.yaml:6:1 secrets: production requires secret SECURE_SSL_REDIRECT; add SECURE_SSL_REDIRECT: env:SECURE_SSL_REDIRECT (or file:…, op://…)",
      "fixtures/missing-secrets.yaml:6:1 secrets: production requires secret SESSION_COOKIE_SECURE; add SESSION_COOKIE_SECURE: env:SESSION_COOKIE_SECURE (or file:…, op://…)",
    ],
  },
  {
    fixture: "missing-tier.yaml",
    expected: [
      "fixtures/missing-tier.yaml:1:1 tier: required key is missing; add tier: with one of development, testing, staging, production (only files named after a tier may leave it out)",
    ],
  },
  {
    fixture: "non-string-key.yaml",
    expected: ["fixtures/non-string-key.yaml:2:3 (file): a key must be plain text, not a list or mapping"],
  },
  {
    fixture: "not-a-mapping.yaml",
    expected: [
      "fixtures/not-a-mapping.yaml:1:1 (file): the top level is a list; an environment file is a mapping of keys such as tier, app, deploy and runtime",
    ],
  },
  {
    fixture: "out-of-range.yaml",
    expected: [
      "environments/base.yaml:42:27 runtime.resources.reservations.cpus: the reservation (0.25) is more than the limit (0); lower it to at most 0",
      "fixtures/out-of-range.yaml:3:13 runtime.replicas: 500 is out of range; write a whole number from 1 to 50",
      "fixtures/out-of-range.yaml:5:21 runtime.resources.limits.cpus: 0 is out of range; write a number from 0.01 to 256",
      "fixtures/out-of-range.yaml:7:9 app.port: 70000 is out of range; write a whole number from 1 to 65535",
    ],
  },
  {
    fixture: "policy.yaml",
    expected: [
      "environments/base.yaml:25:14 deploy.backup.enabled: production takes a backup before every deploy; set enabled: true",
      "fixtures/policy.yaml:2:1 deploy: an ssh:// Docker host needs ssh_key; add ssh_key: env:DEPLOY_SSH_KEY (or file:…)",
      "fixtures/policy.yaml:2:1 deploy: an ssh:// Docker host needs ssh_known_hosts (its pinned host key); add the line `ssh-keyscan HOST` prints, after checking it",
      "fixtures/policy.yaml:3:9 deploy.mode: production is deployed by hand, after approval; set mode: manual",
      "fixtures/policy.yaml:4:13 deploy.approval: a production deploy must be approved; set approval: required",
      "fixtures/policy.yaml:7:10 runtime.debug: DEBUG leaks settings and stack traces to users; set debug: false for production",
      "fixtures/policy.yaml:9:27 runtime.resources.reservations.cpus: the reservation (4) is more than the limit (1); lower it to at most 1",
      "fixtures/policy.yaml:9:38 runtime.resources.reservations.memory: the reservation (2G) is more than the limit (512M); lower it to at most 512M",
      "fixtures/policy.yaml:11:19 health.start_deadline: start_deadline is shorter than healthy_threshold × interval, so the gate can never pass; make it at least 3 × interval",
    ],
  },
  {
    fixture: "rehearse.yaml",
    expected: [
      'fixtures/rehearse.yaml:5:13 deploy.migrations.rehearse.mode: "always" is not allowed here; write one of required, off',
      'fixtures/rehearse.yaml:6:16 deploy.migrations.rehearse.max_age: "1 day" is not a duration; write a number with a unit, such as "500ms", "30s", "2m" or "1h"',
      'fixtures/rehearse.yaml:7:7 deploy.migrations.rehearse.within: unknown key "within"; remove it, or use one of mode, max_age',
    ],
  },
  {
    fixture: "scalar.yaml",
    expected: [
      "fixtures/scalar.yaml:1:1 (file): the top level is a single value; an environment file is a mapping of keys such as tier, app, deploy and runtime",
    ],
  },
  {
    fixture: "secret-literal.yaml",
    expected: [
      'fixtures/secret-literal.yaml:3:15 secrets.SECRET_KEY: "django-insecure-0123456789abcdef" is not a secret reference; secret values never live in these files. Name where it comes from: env:NAME, file:PATH, cmd:COMMAND, op://…, vault://… or libsecret://…',
      'fixtures/secret-literal.yaml:5:3 secrets.db_password: "db_password" is not a secret name; use UPPER_SNAKE_CASE, such as SECRET_KEY',
    ],
  },
  {
    fixture: "standalone-missing.yaml",
    expected: [
      "fixtures/standalone-missing.yaml:1:1 deploy: required key is missing; add it (a mapping with mode, approval, driver, docker_host, ssh_known_hosts, ssh_key, tls, lock_wait, retain, keep_warm, proxy, backup, migrations)",
      "fixtures/standalone-missing.yaml:1:1 health: required key is missing; add it (a mapping with path, expect_status, host, interval, timeout, healthy_threshold, start_deadline, watch)",
      "fixtures/standalone-missing.yaml:1:1 ledger: required key is missing; add it (a mapping with database, schema)",
      "fixtures/standalone-missing.yaml:1:1 notify: required key is missing; add it (a mapping with enabled, exchange)",
      "fixtures/standalone-missing.yaml:1:1 secrets: required key is missing; add it (a mapping)",
      "fixtures/standalone-missing.yaml:1:1 security: required key is missing; add it (a mapping with run_as_non_root, read_only_root_fs, no_new_privileges, scan)",
      "fixtures/standalone-missing.yaml:1:1 services: required key is missing; add it (a mapping with postgres, memcached, rabbitmq, managed, images)",
      "fixtures/standalone-missing.yaml:1:1 tests: required key is missing; add it (a mapping with tmpfs_database, parallel, coverage)",
      "fixtures/standalone-missing.yaml:1:1 tools: required key is missing; add it (a mapping with adminer, mailhog)",
      "fixtures/standalone-missing.yaml:8:1 runtime.log_level: required key is missing; add it (one of DEBUG, INFO, WARNING, ERROR, CRITICAL)",
      "fixtures/standalone-missing.yaml:8:1 runtime.replicas: required key is missing; add it (a whole number from 1 to 50)",
      "fixtures/standalone-missing.yaml:8:1 runtime.resources: required key is missing; add it (a mapping with limits, reservations)",
      "fixtures/standalone-missing.yaml:8:1 runtime.restart_policy: required key is missing; add it (a mapping with condition, delay, max_attempts, window)",
      "fixtures/standalone-missing.yaml:8:1 runtime.update_config: required key is missing; add it (a mapping with parallelism, delay, order, failure_action, monitor)",
    ],
  },
  {
    fixture: "unknown-key.yaml",
    expected: [
      'fixtures/unknown-key.yaml:3:3 runtime.replicass: unknown key "replicass"; did you mean "replicas"?',
      'fixtures/unknown-key.yaml:6:5 deploy.proxy.admin-port: unknown key "admin-port"; did you mean "admin_port"?',
      'fixtures/unknown-key.yaml:7:1 colour: unknown key "colour"; remove it, or use one of tier, description, app, deploy, runtime, health, services, ledger, notify, security, tools, tests, secrets, alerts',
    ],
  },
  {
    fixture: "wrong-type.yaml",
    expected: [
      'fixtures/wrong-type.yaml:3:13 runtime.replicas: "three" is not allowed here; write a whole number from 1 to 50',
      'fixtures/wrong-type.yaml:4:10 runtime.debug: "no" is not allowed here; write true or false',
      'fixtures/wrong-type.yaml:6:10 health.watch: 30 is not allowed here; write a duration such as "30s"',
    ],
  },
  {
    fixture: "yaml-syntax.yaml",
    expected: [
      "fixtures/yaml-syntax.yaml:4:3 (file): YAML syntax error: Flow sequence in block collection must be sufficiently indented and end with a ]",
    ],
  },
]

describe("config/load: one fixture per defect", () => {
  for (const { fixture: name, expected } of CASES) {
    it(`${name} reports exactly its problems`, () => {
      const files = name === "standalone-missing.yaml" ? [fixture(name)] : [base, fixture(name)]
      const result = loadEnvironments(files)
      expect(result.problems.map(formatProblem)).to.deep.equal(expected)
      expect(result.environments).to.deep.equal([])
    })
  }

  it("has a case for every fixture file", () => {
    expect(CASES.map((c) => c.fixture)).to.deep.equal(readdirSync(join(FIXTURES, "config")).sort())
  })
})
