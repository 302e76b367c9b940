/**
 * services.managed and services.images on their own: the default per tier, and the located
 * message each defect gets, rendered as `config check` prints it (file:line:col path: message).
 */
import { expect } from "chai"
import { z } from "zod"
import { MANAGED_SERVICES_KEYS, checkManagedServices, servicesManaged } from "../../core/config/managed-services.js"
import { explainIssue } from "../../core/config/messages.js"
import { locate } from "../../core/config/locate.js"
import { formatPath, formatProblem } from "../../core/config/problem.js"
import { TIERS } from "../../core/config/tier.js"
import { readYamlFile } from "../../core/config/yaml-document.js"

/** The fragment as schema.ts adopts it: spread into services, the check in the policy. */
const Fragment = z
  .strictObject({ tier: z.enum(TIERS), services: z.strictObject(MANAGED_SERVICES_KEYS) })
  .superRefine(checkManagedServices)

function check(file: string, text: string): string[] {
  const read = readYamlFile(file, text)
  if (!read.ok) throw new Error(`fixture does not parse: ${read.problems.map(formatProblem).join("; ")}`)
  const result = Fragment.safeParse(read.parsed.data)
  if (result.success) return []
  return result.error.issues.flatMap((issue) =>
    explainIssue(Fragment, issue, read.parsed.data).map((e) =>
      formatProblem({ ...locate([read.parsed], e.path, e.anchor), path: formatPath(e.path), message: e.message }),
    ),
  )
}

describe("config/managed-services", () => {
  it("manages the services by default in development only", () => {
    expect(TIERS.map((tier) => [tier, servicesManaged({ tier, services: {} })])).to.deep.equal([
      ["development", true],
      ["testing", false],
      ["staging", false],
      ["production", false],
    ])
  })

  it("lets development turn it off, and takes images as written", () => {
    const text =
      "tier: development\nservices:\n  managed: false\n  images:\n    postgres: deploy-pipeline-test/postgres:15\n    rabbitmq: registry.example.com/rabbitmq:3.13.7@sha256:" +
      "a".repeat(64) +
      "\n"
    expect(check("development.yaml", text)).to.deep.equal([])
    const parsed = Fragment.parse({ tier: "development", services: { managed: false } })
    expect(servicesManaged(parsed)).to.equal(false)
  })

  it("accepts managed: false above development", () => {
    expect(check("staging.yaml", "tier: staging\nservices:\n  managed: false\n")).to.deep.equal([])
  })

  const defects: Array<[string, string, string, string[]]> = [
    [
      "managed: true in production",
      "production.yaml",
      "tier: production\nservices:\n  managed: true\n",
      [
        "production.yaml:3:12 services.managed: production does not run its own services: a deploy there uses the Postgres, Memcached and RabbitMQ that services.* name. Remove managed: true (it is for development only)",
      ],
    ],
    [
      "images in staging",
      "staging.yaml",
      "tier: staging\nservices:\n  images:\n    postgres: postgres:17.2\n",
      [
        "staging.yaml:3:3 services.images: staging runs no managed services, so services.images is never used there; remove it (it is for development only)",
      ],
    ],
    [
      "managed: true and images in testing",
      "testing.yaml",
      "tier: testing\nservices:\n  managed: true\n  images: { memcached: memcached:1.6 }\n",
      [
        "testing.yaml:3:12 services.managed: testing does not run its own services: a deploy there uses the Postgres, Memcached and RabbitMQ that services.* name. Remove managed: true (it is for development only)",
        "testing.yaml:4:3 services.images: testing runs no managed services, so services.images is never used there; remove it (it is for development only)",
      ],
    ],
    [
      "managed as text",
      "development.yaml",
      "tier: development\nservices:\n  managed: yes please\n",
      ['development.yaml:3:12 services.managed: "yes please" is not allowed here; write true or false'],
    ],
    [
      "an image with a space",
      "development.yaml",
      "tier: development\nservices:\n  images:\n    postgres: postgres 17\n",
      [
        'development.yaml:4:15 services.images.postgres: "postgres 17" is not an image reference; write one such as "postgres:17.2" or "registry.example.com/postgres:17.2"',
      ],
    ],
    [
      "an image for a service that is not managed",
      "development.yaml",
      "tier: development\nservices:\n  images:\n    redis: redis:7\n",
      [
        'development.yaml:4:5 services.images.redis: unknown key "redis"; remove it, or use one of postgres, memcached, rabbitmq',
      ],
    ],
  ]
  for (const [what, file, text, expected] of defects) {
    it(`refuses ${what}, at its key`, () => {
      expect(check(file, text)).to.deep.equal(expected)
    })
  }
})
