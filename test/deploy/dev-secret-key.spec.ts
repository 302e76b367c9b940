/** The development SECRET_KEY: when one is generated, how, and the local file that keeps it. */
import { expect } from "chai"
import { mkdtemp, readFile, rm, stat, writeFile, mkdir } from "node:fs/promises"
import { tmpdir } from "node:os"
import { join } from "node:path"
import {
  DevSecretKeyError,
  SECRET_KEY_ALPHABET,
  ensureDevSecretKey,
  generateSecretKey,
  parseEnvFile,
  renderEnvFile,
  secretKeyNeed,
} from "../../core/deploy/dev-secret-key.js"

const development = {
  envName: "development",
  tier: "development" as const,
  secrets: { SECRET_KEY: "env:DJANGO_SECRET_KEY", DEBUG: "env:DJANGO_DEBUG" },
}

describe("deploy/dev-secret-key", () => {
  describe("secretKeyNeed", () => {
    it("generates only in development, only when SECRET_KEY's variable is unset", () => {
      expect(secretKeyNeed(development, {})).to.deep.equal({ kind: "generate", variable: "DJANGO_SECRET_KEY" })
      expect(secretKeyNeed(development, { DJANGO_SECRET_KEY: "set-by-hand" })).to.deep.equal({ kind: "none" })
      expect(secretKeyNeed(development, { DJANGO_SECRET_KEY: "" })).to.deep.equal({ kind: "none" })
      expect(secretKeyNeed({ ...development, secrets: { SECRET_KEY: "file:/run/secrets/key" } }, {})).to.deep.equal({
        kind: "none",
      })
      expect(secretKeyNeed({ ...development, secrets: {} }, {})).to.deep.equal({ kind: "none" })
    })

    it("refuses above development, saying what to export", () => {
      for (const tier of ["testing", "staging", "production"] as const) {
        const config = { envName: `my-${tier}`, tier, secrets: { SECRET_KEY: "env:DJANGO_SECRET_KEY" } }
        expect(() => secretKeyNeed(config, {})).to.throw(
          DevSecretKeyError,
          `my-${tier} is a ${tier} environment, and only development generates its SECRET_KEY; export DJANGO_SECRET_KEY (the key from your secret store) or change secrets.SECRET_KEY`,
        )
        expect(secretKeyNeed(config, { DJANGO_SECRET_KEY: "from-the-store" })).to.deep.equal({ kind: "none" })
      }
    })

    it("carries a stable code", () => {
      const error = (() => {
        try {
          secretKeyNeed({ envName: "production", tier: "production", secrets: { SECRET_KEY: "env:KEY" } }, {})
        } catch (caught) {
          return caught
        }
      })()
      expect(error).to.be.instanceOf(DevSecretKeyError)
      expect((error as DevSecretKeyError).code).to.equal("dev-secret-key")
    })
  })

  it("draws 50 characters from Django's alphabet", () => {
    let i = 0
    expect(generateSecretKey((n) => i++ % n)).to.equal("abcdefghijklmnopqrstuvwxyz0123456789!@#$%^&*(-_=+)")
    expect(generateSecretKey(() => 0)).to.equal("a".repeat(50))
    const real = generateSecretKey()
    expect(real).to.have.length(50)
    expect([...real].every((c) => SECRET_KEY_ALPHABET.includes(c))).to.equal(true)
  })

  it("writes and reads the env file", () => {
    const text = renderEnvFile("development", { DJANGO_SECRET_KEY: "k=1#x" })
    expect(text).to.equal(
      "# Local secrets of the development deploy, made by deploy-pipeline; never commit this file.\n" +
        "# Delete a line to have it generated again (a new SECRET_KEY logs everyone out).\n" +
        "DJANGO_SECRET_KEY=k=1#x\n",
    )
    expect(parseEnvFile(text)).to.deep.equal({ DJANGO_SECRET_KEY: "k=1#x" })
    expect(parseEnvFile("\r\nA=1\r\n# B=2\nnot a line\nC=\n")).to.deep.equal({ A: "1", C: "" })
  })

  describe("ensureDevSecretKey (on a real folder)", () => {
    let root: string
    beforeEach(async () => {
      root = await mkdtemp(join(tmpdir(), "dev-secret-key-"))
    })
    afterEach(async () => {
      await rm(root, { recursive: true, force: true })
    })

    it("generates once into .deploy-pipeline/development.env (0600), then reuses it", async () => {
      let i = 0
      const first = await ensureDevSecretKey(development, { root, env: {}, pick: (n) => (i++ * 7) % n })
      const file = join(root, ".deploy-pipeline", "development.env")
      expect(first).to.deep.equal({
        variable: "DJANGO_SECRET_KEY",
        value: generateSecretKey(
          (
            (j) => (n: number) =>
              (j++ * 7) % n
          )(0),
        ),
        origin: "generated",
        file,
      })
      expect((await stat(file)).mode & 0o777).to.equal(0o600)
      expect((await stat(join(root, ".deploy-pipeline"))).mode & 0o777).to.equal(0o700)
      expect(parseEnvFile(await readFile(file, "utf8"))).to.deep.equal({ DJANGO_SECRET_KEY: first!.value })

      const second = await ensureDevSecretKey(development, { root, env: {}, pick: () => 0 })
      expect(second).to.deep.equal({ ...first, origin: "file" })
    })

    it("keeps the file's other lines when it adds the key", async () => {
      await mkdir(join(root, ".deploy-pipeline"))
      await writeFile(join(root, ".deploy-pipeline", "development.env"), "OTHER=kept\n")
      const made = await ensureDevSecretKey(development, { root, env: {}, pick: () => 1 })
      expect(made?.value).to.equal("b".repeat(50))
      expect(parseEnvFile(await readFile(join(root, ".deploy-pipeline", "development.env"), "utf8"))).to.deep.equal({
        OTHER: "kept",
        DJANGO_SECRET_KEY: "b".repeat(50),
      })
    })

    it("does nothing when the variable is set: no file appears", async () => {
      expect(await ensureDevSecretKey(development, { root, env: { DJANGO_SECRET_KEY: "mine" } })).to.equal(undefined)
      let missing = ""
      await stat(join(root, ".deploy-pipeline")).catch((error: NodeJS.ErrnoException) => (missing = error.code ?? ""))
      expect(missing).to.equal("ENOENT")
    })

    it("refuses staging before touching the folder", async () => {
      const staging = { ...development, envName: "staging", tier: "staging" as const }
      let refused: unknown
      await ensureDevSecretKey(staging, { root, env: {} }).catch((error: unknown) => (refused = error))
      expect(refused).to.be.instanceOf(DevSecretKeyError)
      let missing = ""
      await stat(join(root, ".deploy-pipeline")).catch((error: NodeJS.ErrnoException) => (missing = error.code ?? ""))
      expect(missing).to.equal("ENOENT")
    })
  })
})
