/**
 * What each vendor config must do beyond being valid: pull requests run ci; main publishes and
 * deploys development then testing by itself; staging and production wait for the vendor's own
 * approval, and only those approved jobs build the approval token; one deploy at a time per
 * environment; the digest from publish reaches every deploy; secrets come from the vendor's
 * store and are never printed. Jenkins has no schema, so its Jenkinsfile is checked here too.
 */
import { expect } from "chai"

import { readRepoFile, vendorFiles } from "./support/repo-files.js"
import { parseYamlConfig } from "./support/schemas.js"

const ENVS = ["development", "testing", "staging", "production"] as const
const APPROVED = ["staging", "production"]
const TOKEN = "ci/scripts/approval-token.sh"
const SECRET_NAMES = [
  "REGISTRY_PASSWORD",
  "DEPLOY_SSH_KEY",
  "DJANGO_SECRET_KEY",
  "POSTGRES_PASSWORD",
  "DJANGO_ALLOWED_HOSTS",
  "DJANGO_DEBUG",
  "DJANGO_SECURE_SSL_REDIRECT",
  "DJANGO_SESSION_COOKIE_SECURE",
]

type Json = Record<string, unknown>
const obj = (value: unknown): Json => value as Json
const list = (value: unknown): unknown[] => value as unknown[]
const text = (value: unknown): string => JSON.stringify(value)

/** Which environments' deploy units (jobs, stages, steps) mention the approval token. */
function tokenUsers(units: Record<string, unknown>): string[] {
  return ENVS.filter((env) => text(units[env]).includes(TOKEN))
}

describe("vendor configs: flow, approvals, concurrency, digest, secrets", () => {
  describe("GitHub Actions", () => {
    const config = obj(parseYamlConfig("ci/vendors/github/workflow.yml").data)
    const jobs = obj(config.jobs)
    const deployJob = (env: string): Json => obj(jobs[`deploy-${env}`])

    it("runs ci on pull requests and everything else on pushes to main", () => {
      expect(config.on).to.deep.equal({ pull_request: null, push: { branches: ["main"] } })
      expect(Object.keys(jobs)).to.deep.equal([
        "ci",
        "publish",
        "deploy-development",
        "deploy-testing",
        "deploy-staging",
        "deploy-production",
      ])
      expect(obj(jobs.ci).if).to.equal(undefined)
      expect(obj(jobs.publish).if).to.equal("github.event_name == 'push' && github.ref == 'refs/heads/main'")
      expect(ENVS.map((env) => deployJob(env).needs)).to.deep.equal([
        "publish",
        ["publish", "deploy-development"],
        ["publish", "deploy-testing"],
        ["publish", "deploy-staging"],
      ])
    })

    it("deploys each environment as a GitHub environment, one at a time, never cancelling a deploy", () => {
      expect(ENVS.map((env) => [deployJob(env).environment, deployJob(env).concurrency])).to.deep.equal(
        ENVS.map((env) => [env, { group: `deploy-${env}`, "cancel-in-progress": false }]),
      )
    })

    it("builds the approval token only in the staging and production jobs", () => {
      expect(tokenUsers(Object.fromEntries(ENVS.map((env) => [env, deployJob(env)])))).to.deep.equal(APPROVED)
      expect(text(jobs.ci) + text(jobs.publish)).not.to.include(TOKEN)
    })

    it("carries the digest from publish's output to every deploy", () => {
      expect(obj(jobs.publish).outputs).to.deep.equal({ image: "${{ steps.publish.outputs.image }}" })
      const step = list(obj(jobs.publish).steps)
        .map(obj)
        .find((s) => s.id === "publish")!
      expect(String(step.run)).to.include('echo "image=${image}" >> "$GITHUB_OUTPUT"')
      expect(ENVS.map((env) => obj(deployJob(env).env).IMAGE)).to.deep.equal(
        ENVS.map(() => "${{ needs.publish.outputs.image }}"),
      )
    })

    it("takes secrets into env: only, never into a script", () => {
      const runs = Object.values(jobs).flatMap((job) => list(obj(job).steps).map((s) => String(obj(s).run ?? "")))
      expect(runs.filter((r) => r.includes("secrets."))).to.deep.equal([])
      expect(obj(deployJob("staging").env).DEPLOY_SSH_KEY).to.equal("${{ secrets.DEPLOY_SSH_KEY }}")
      const publish = list(obj(jobs.publish).steps)
        .map(obj)
        .find((s) => s.id === "publish")!
      expect(obj(publish.env).REGISTRY_PASSWORD).to.equal("${{ secrets.GITHUB_TOKEN }}")
    })
  })

  describe("GitLab CI", () => {
    const config = obj(parseYamlConfig("ci/vendors/gitlab/.gitlab-ci.yml").data)
    const job = (name: string): Json => obj(config[name])

    it("runs on merge requests and the default branch; publish and deploys on the default branch only", () => {
      expect(obj(config.workflow).rules).to.deep.equal([
        { if: '$CI_PIPELINE_SOURCE == "merge_request_event"' },
        { if: "$CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH" },
      ])
      expect(job("ci").extends).to.equal(".dagger")
      expect(job("publish").extends).to.deep.equal([".dagger", ".on-default-branch"])
      expect(obj(config[".on-default-branch"]).rules).to.deep.equal([{ if: "$CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH" }])
    })

    it("makes staging and production manual jobs that block the pipeline, the others automatic", () => {
      expect(obj(config[".manual-on-default-branch"]).rules).to.deep.equal([
        { if: "$CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH", when: "manual", allow_failure: false },
      ])
      expect(ENVS.map((env) => job(`deploy-${env}`).extends)).to.deep.equal([
        [".dagger", ".on-default-branch"],
        [".dagger", ".on-default-branch"],
        [".dagger", ".manual-on-default-branch"],
        [".dagger", ".manual-on-default-branch"],
      ])
    })

    it("deploys each environment through its resource group and environment", () => {
      expect(ENVS.map((env) => [job(`deploy-${env}`).resource_group, job(`deploy-${env}`).environment])).to.deep.equal(
        ENVS.map((env) => [`deploy-${env}`, { name: env, deployment_tier: env }]),
      )
      expect(ENVS.map((env) => job(`deploy-${env}`).needs)).to.deep.equal([
        ["publish"],
        ["publish", "deploy-development"],
        ["publish", "deploy-testing"],
        ["publish", "deploy-staging"],
      ])
    })

    it("builds the approval token only in the staging and production jobs", () => {
      expect(tokenUsers(Object.fromEntries(ENVS.map((env) => [env, job(`deploy-${env}`)])))).to.deep.equal(APPROVED)
    })

    it("carries the digest as a dotenv report", () => {
      expect(job("publish").script).to.deep.equal([
        'image="$(ci/publish.sh "$CI_REGISTRY_IMAGE:$CI_COMMIT_SHA")"',
        'echo "IMAGE=$image" > publish.env',
      ])
      expect(job("publish").artifacts).to.deep.equal({ reports: { dotenv: "publish.env" } })
      expect(
        ENVS.map((env) =>
          list(job(`deploy-${env}`).script).some((line) => String(line).includes(`ci/deploy.sh ${env} "$IMAGE"`)),
        ),
      ).to.deep.equal([true, true, true, true])
    })
  })

  describe("CircleCI", () => {
    const config = obj(parseYamlConfig("ci/vendors/circleci/config.yml").data)
    const invocations = list(obj(obj(config.workflows).pipeline).jobs).map((entry) =>
      typeof entry === "string"
        ? { job: entry, params: {} as Json }
        : { job: Object.keys(obj(entry))[0]!, params: obj(Object.values(obj(entry))[0]) },
    )
    const byName = (name: string) => invocations.find((i) => (i.params.name ?? i.job) === name)!

    it("runs ci on every branch and the rest on main only", () => {
      expect(invocations.map((i) => String(i.params.name ?? i.job))).to.deep.equal([
        "ci",
        "publish",
        "deploy-development",
        "deploy-testing",
        "hold-staging",
        "deploy-staging",
        "hold-production",
        "deploy-production",
      ])
      expect(byName("ci").params).to.deep.equal({})
      expect(invocations.slice(1).map((i) => i.params.filters)).to.deep.equal(
        invocations.slice(1).map(() => ({ branches: { only: "main" } })),
      )
    })

    it("puts an approval job before staging and production, and only those deploys are 'approved'", () => {
      expect(ENVS.map((env) => byName(`deploy-${env}`).params.requires)).to.deep.equal([
        ["publish"],
        ["deploy-development"],
        ["hold-staging"],
        ["hold-production"],
      ])
      expect([byName("hold-staging").params.type, byName("hold-production").params.type]).to.deep.equal([
        "approval",
        "approval",
      ])
      expect([byName("hold-staging").params.requires, byName("hold-production").params.requires]).to.deep.equal([
        ["deploy-testing"],
        ["deploy-staging"],
      ])
      expect(ENVS.map((env) => byName(`deploy-${env}`).params.approved ?? false)).to.deep.equal([
        false,
        false,
        true,
        true,
      ])
    })

    it("serialises each environment's deploys and scopes its secrets to a context", () => {
      expect(
        ENVS.map((env) => [byName(`deploy-${env}`).params["serial-group"], byName(`deploy-${env}`).params.context]),
      ).to.deep.equal(ENVS.map((env) => [`<< pipeline.project.slug >>/deploy-${env}`, `deploy-${env}`]))
    })

    it("builds the approval token only in the step guarded by the approved parameter", () => {
      const steps = list(obj(obj(config.jobs).deploy).steps).map(obj)
      const guarded = steps.filter((s) => text(s).includes(TOKEN))
      expect(guarded).to.have.length(1)
      expect(obj(guarded[0]!.when).condition).to.equal("<< parameters.approved >>")
    })

    it("carries the digest through the workspace", () => {
      const publishSteps = list(obj(obj(config.jobs).publish).steps)
      expect(publishSteps).to.deep.include({ persist_to_workspace: { root: "workspace", paths: ["image"] } })
      expect(text(publishSteps)).to.include('ci/publish.sh \\"$REGISTRY_IMAGE:$CIRCLE_SHA1\\" > workspace/image')
      expect(list(obj(obj(config.jobs).deploy).steps)).to.deep.include({ attach_workspace: { at: "workspace" } })
    })
  })

  describe("Azure Pipelines", () => {
    const config = obj(parseYamlConfig("ci/vendors/azure/azure-pipelines.yml").data)
    const stages = list(config.stages).map(obj)
    const stage = (name: string): Json => stages.find((s) => s.stage === name)!
    const deployment = (env: string): Json => obj(list(stage(env).jobs)[0])

    it("runs ci for pull requests and publishes and deploys from main", () => {
      expect([config.trigger, config.pr]).to.deep.equal([
        { branches: { include: ["main"] } },
        { branches: { include: ["*"] } },
      ])
      expect(stages.map((s) => s.stage)).to.deep.equal(["ci", "publish", ...ENVS])
      expect(stage("publish").condition).to.equal(
        "and(succeeded(), eq(variables['Build.SourceBranch'], 'refs/heads/main'), ne(variables['Build.Reason'], 'PullRequest'))",
      )
      expect(ENVS.map((env) => stage(env).dependsOn)).to.deep.equal([
        ["publish"],
        ["publish", "development"],
        ["publish", "testing"],
        ["publish", "staging"],
      ])
    })

    it("deploys through deployment jobs on environments, whose checks hold them, queued in order", () => {
      expect(config.lockBehavior).to.equal("sequential")
      expect(ENVS.map((env) => [deployment(env).deployment, deployment(env).environment])).to.deep.equal(
        ENVS.map((env) => ["deploy", env]),
      )
      expect(ENVS.map((env) => stage(env).variables)).to.deep.equal(ENVS.map((env) => [{ group: `deploy-${env}` }]))
    })

    it("builds the approval token only in the staging and production deployment jobs", () => {
      expect(tokenUsers(Object.fromEntries(ENVS.map((env) => [env, stage(env)])))).to.deep.equal(APPROVED)
    })

    it("carries the digest as the publish step's output variable", () => {
      const step = list(obj(list(stage("publish").jobs)[0]).steps)
        .map(obj)
        .find((s) => s.name === "publish")!
      expect(String(step.script)).to.include('echo "##vso[task.setvariable variable=image;isOutput=true]${image}"')
      expect(ENVS.map((env) => deployment(env).variables)).to.deep.equal(
        ENVS.map(() => [{ name: "IMAGE", value: "$[ stageDependencies.publish.publish.outputs['publish.image'] ]" }]),
      )
    })

    it("maps secret variables into env: only, never into a script", () => {
      const scripts = [...text(config).matchAll(/"script":"((?:[^"\\]|\\.)*)"/g)].map((m) => m[1]!)
      expect(scripts.filter((s) => SECRET_NAMES.some((n) => s.includes(`$(${n})`)))).to.deep.equal([])
    })
  })

  describe("Bitbucket Pipelines", () => {
    const config = obj(parseYamlConfig("ci/vendors/bitbucket/bitbucket-pipelines.yml").data)
    const pipelines = obj(config.pipelines)
    const main = list(obj(pipelines.branches).main).map((s) => obj(obj(s).step))
    const step = (env: string): Json => main.find((s) => s.deployment === env)!

    it("runs ci on pull requests and the whole flow on main", () => {
      expect(list(obj(pipelines["pull-requests"])["**"]).map((s) => obj(s).step)).to.deep.equal([main[0]])
      expect(main.map((s) => s.name)).to.deep.equal([
        "Lint, test, scan and build",
        "Publish the image",
        ...ENVS.map((env) => `Deploy to ${env}`),
      ])
    })

    it("makes staging and production manual deployments; every deploy in its concurrency group", () => {
      expect(
        ENVS.map((env) => [step(env).deployment, step(env).trigger ?? "automatic", step(env)["concurrency-group"]]),
      ).to.deep.equal([
        ["development", "automatic", "deploy-development"],
        ["testing", "automatic", "deploy-testing"],
        ["staging", "manual", "deploy-staging"],
        ["production", "manual", "deploy-production"],
      ])
    })

    it("builds the approval token only in the staging and production steps", () => {
      expect(tokenUsers(Object.fromEntries(ENVS.map((env) => [env, step(env)])))).to.deep.equal(APPROVED)
    })

    it("carries the digest as an artifact", () => {
      expect(main[1]!.artifacts).to.deep.equal(["image.txt"])
      expect(list(main[1]!.script)).to.include('ci/publish.sh "$REGISTRY_IMAGE:$BITBUCKET_COMMIT" > image.txt')
      expect(ENVS.map((env) => text(step(env).script).includes("image.txt"))).to.deep.equal([true, true, true, true])
    })
  })

  describe("Jenkins (no schema: structure)", () => {
    const source = readRepoFile("ci/vendors/jenkins/Jenkinsfile")
    const code = source
      .split("\n")
      .filter((l) => !l.trimStart().startsWith("//"))
      .join("\n")
    const headers = [...code.matchAll(/stage\('([^']+)'\)\s*\{/g)]
    const stages = Object.fromEntries(
      headers.map((m, i) => [m[1]!, code.slice(m.index, headers[i + 1]?.index ?? code.length)]),
    )
    const deployStage = (env: string): string => stages[`Deploy to ${env}`]!

    it("is a declarative pipeline with an agent per stage and stages", () => {
      expect(code.trimStart().startsWith("pipeline {")).to.equal(true)
      expect(code).to.match(/^ {2}agent none$/m)
      expect(code).to.match(/^ {2}stages \{$/m)
      expect(Object.keys(stages)).to.deep.equal(["CI", "Publish", ...ENVS.map((env) => `Deploy to ${env}`)])
      expect(Object.values(stages).every((body) => /agent \{ label '[^']+' \}/.test(body))).to.equal(true)
    })

    it("publishes and deploys from main only", () => {
      expect(stages.CI).not.to.include("when {")
      expect(
        ["Publish", ...ENVS.map((env) => `Deploy to ${env}`)].map((name) =>
          /when \{[^}]*branch 'main'/.test(stages[name]!),
        ),
      ).to.deep.equal([true, true, true, true, true])
    })

    it("waits for an input before the staging and production deploys, and only there", () => {
      const inputs = ENVS.map((env) => {
        const body = deployStage(env)
        const input = body.indexOf("input {")
        return (
          input >= 0 && input < body.indexOf(`ci/deploy.sh ${env}`) && body.includes("submitter 'release-managers'")
        )
      })
      expect(inputs).to.deep.equal([false, false, true, true])
    })

    it("runs one build at a time and holds a lock per environment around each deploy", () => {
      expect(code).to.match(/options \{\s*disableConcurrentBuilds\(\)/)
      expect(
        ENVS.map(
          (env) =>
            deployStage(env).indexOf(`lock(resource: 'deploy-${env}')`) >= 0 &&
            deployStage(env).indexOf(`lock(resource: 'deploy-${env}')`) <
              deployStage(env).indexOf(`ci/deploy.sh ${env}`),
        ),
      ).to.deep.equal([true, true, true, true])
    })

    it("takes secrets from credentials with withCredentials", () => {
      expect(stages.Publish).to.include(
        "withCredentials([usernamePassword(credentialsId: 'registry', usernameVariable: 'REGISTRY_USERNAME', passwordVariable: 'REGISTRY_PASSWORD')])",
      )
      expect(
        ENVS.map((env) =>
          deployStage(env).includes(
            `sshUserPrivateKey(credentialsId: '${env}-deploy-ssh-key', keyFileVariable: 'DEPLOY_SSH_KEY_FILE')`,
          ),
        ),
      ).to.deep.equal([true, true, true, true])
      expect(
        ENVS.map(
          (env) => deployStage(env).indexOf("withCredentials([") < deployStage(env).indexOf(`ci/deploy.sh ${env}`),
        ),
      ).to.deep.equal([true, true, true, true])
    })

    it("builds the approval token only in the staging and production stages", () => {
      expect(tokenUsers(Object.fromEntries(ENVS.map((env) => [env, deployStage(env)])))).to.deep.equal(APPROVED)
    })

    it("carries the digest from Publish to every deploy", () => {
      expect(stages.Publish).to.include("env.IMAGE = readFile('image.txt').trim()")
      expect(stages.Publish).to.include("archiveArtifacts artifacts: 'image.txt'")
      expect(ENVS.map((env) => deployStage(env).includes(`ci/deploy.sh ${env} "$IMAGE"`))).to.deep.equal([
        true,
        true,
        true,
        true,
      ])
    })
  })

  describe("every vendor", () => {
    const configs = vendorFiles().filter((f) => !f.endsWith(".md"))

    it("has the six configs", () => {
      expect(configs).to.deep.equal([
        "ci/vendors/azure/azure-pipelines.yml",
        "ci/vendors/bitbucket/bitbucket-pipelines.yml",
        "ci/vendors/circleci/config.yml",
        "ci/vendors/github/workflow.yml",
        "ci/vendors/gitlab/.gitlab-ci.yml",
        "ci/vendors/jenkins/Jenkinsfile",
      ])
    })

    it("installs the Dagger version the module is pinned to", () => {
      const engine = (JSON.parse(readRepoFile("dagger.json")) as { engineVersion: string }).engineVersion.replace(
        /^v/,
        "",
      )
      const pins = configs.map((f) => [
        f,
        [...new Set([...readRepoFile(f).matchAll(/DAGGER_VERSION\s*[:=]\s*["']?(\d+\.\d+\.\d+)/g)].map((m) => m[1]))],
      ])
      expect(pins).to.deep.equal(configs.map((f) => [f, [engine]]))
    })

    it("never prints a secret or traces a shell that holds one", () => {
      const offending = configs.flatMap((f) =>
        readRepoFile(f)
          .split("\n")
          .filter(
            (line) =>
              (/\b(echo|printf)\b/.test(line) && SECRET_NAMES.some((n) => line.includes(n))) ||
              /\bset -[a-z]*x/.test(line),
          )
          .map((line) => `${f}: ${line.trim()}`),
      )
      expect(offending).to.deep.equal([])
    })

    it("builds the token before calling ci/deploy.sh for staging and production", () => {
      // CircleCI's one parameterised deploy job is checked above (the step guarded by `approved`).
      for (const f of configs.filter((c) => !c.includes("/circleci/"))) {
        const body = readRepoFile(f)
        for (const env of APPROVED) {
          const token = body.indexOf(`approval-token.sh ${env}`)
          const deploy = body.indexOf(`ci/deploy.sh ${env}`)
          expect([f, env, token >= 0 && token < deploy]).to.deep.equal([f, env, true])
        }
      }
    })
  })
})
