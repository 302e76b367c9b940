/**
 * The proof that the two surfaces agree: every deploy-side command runs through the CLI's adapter
 * (argv values, as main.ts hands them over) and the Dagger adapter (the function's parameters, as
 * src/index.ts hands them over) with the same fake side. Both must hand the operation the same
 * request and return the same Outcome, and what a user then sees (the CLI's stdout or stderr, the
 * `dagger call`'s result or failure) must be the same text.
 */
import { expect } from "chai"
import type { Outcome } from "../../core/commands/outcome.js"
import type { CommandRequest } from "../../core/cli/command.js"
import { deploySideCommands } from "../../core/cli/deploy-commands.js"
import type { CliValues } from "../../core/cli/options.js"
import { printed } from "../../core/cli/output.js"
import type { Environment } from "../../core/config/load.js"
import { daggerCommands } from "../../core/dagger/commands.js"
import { settled } from "../../core/dagger/settled.js"
import { LockHeldError } from "../../core/ledger/lock/errors.js"
import { IMAGE, shippedEnvironment } from "../helpers/environments.js"
import { LOCK, SWITCHED_BACK, fakeSide } from "../helpers/fake-deploy-side.js"

const REQUESTER = "alice@laptop"
const staging = shippedEnvironment("staging")
type Dagger = ReturnType<typeof daggerCommands>

interface Case {
  name: string
  cli: { command: keyof ReturnType<typeof deploySideCommands>; words: string; values: CliValues; json?: boolean }
  dagger: (surface: Dagger, env: Environment) => Promise<Outcome>
  side?: Parameters<typeof fakeSide>[0]
}

const CASES: Case[] = [
  {
    name: "deploy",
    cli: {
      command: "deploy",
      words: "deploy",
      values: {
        env: "staging",
        image: IMAGE,
        approve: "staging@0123456789ab",
        version: "1.4.2",
        "lock-wait": "30",
        "allow-unsafe-migrations": "reviewed",
      },
    },
    dagger: (d, env) =>
      d.deploy(env, {
        image: IMAGE,
        approve: "staging@0123456789ab",
        version: "1.4.2",
        lockWait: 30,
        requestedBy: REQUESTER,
        allowUnsafeMigrations: "reviewed",
      }),
  },
  {
    name: "deploy that switched back",
    cli: { command: "deploy", words: "deploy", values: { env: "staging", image: IMAGE } },
    dagger: (d, env) => d.deploy(env, { image: IMAGE, requestedBy: REQUESTER }),
    side: { deploy: SWITCHED_BACK },
  },
  {
    name: "rollback",
    cli: { command: "rollback", words: "rollback", values: { env: "staging", to: "sha256:ab", "lock-wait": "5" } },
    dagger: (d, env) => d.rollback(env, { to: "sha256:ab", lockWait: 5, requestedBy: REQUESTER }),
  },
  {
    name: "backup restore / restoreBackup",
    cli: {
      command: "backupRestore",
      words: "backup restore",
      values: { env: "staging", id: "b-1", "confirm-restore": "b-1", "lock-wait": "0" },
    },
    dagger: (d, env) => d.restoreBackup(env, { id: "b-1", confirmRestore: "b-1", lockWait: 0, requestedBy: REQUESTER }),
  },
  {
    name: "scale",
    cli: { command: "scale", words: "scale", values: { env: "staging", service: "web", replicas: "4" } },
    dagger: (d, env) => d.scale(env, { service: "web", replicas: 4, requestedBy: REQUESTER }),
  },
  {
    name: "status",
    cli: { command: "status", words: "status", values: { env: "staging" } },
    dagger: (d, env) => d.status(env, { json: false }),
  },
  {
    name: "status --json",
    cli: { command: "status", words: "status", values: { env: "staging", json: true }, json: true },
    dagger: (d, env) => d.status(env, { json: true }),
  },
  {
    name: "history",
    cli: { command: "history", words: "history", values: { env: "staging" } },
    dagger: (d, env) => d.history(env, { json: false, limit: 20 }),
  },
  {
    name: "history --json",
    cli: { command: "history", words: "history", values: { env: "staging", json: true }, json: true },
    dagger: (d, env) => d.history(env, { json: true, limit: 20 }),
  },
  {
    name: "lock status --json (the Dagger function always prints JSON)",
    cli: { command: "lockStatus", words: "lock status", values: { env: "staging", json: true }, json: true },
    dagger: (d, env) => d.lockStatus(env, {}),
  },
  {
    name: "lock release --force",
    cli: {
      command: "lockRelease",
      words: "lock release",
      values: { env: "staging", force: true, reason: "deployer crashed" },
    },
    dagger: (d, env) => d.lockRelease(env, { force: true, reason: "deployer crashed", requestedBy: REQUESTER }),
  },
  {
    name: "a typed failure (the lock is held)",
    cli: { command: "rollback", words: "rollback", values: { env: "staging" } },
    dagger: (d, env) => d.rollback(env, { requestedBy: REQUESTER }),
    side: {
      fails: new LockHeldError(
        "staging",
        LOCK,
        "staging is locked by alice@laptop (pid 4242); wait, or pass --lock-wait SECONDS",
      ),
    },
  },
]

/** What the user sees: the CLI's stdout or stderr, and the `dagger call`'s result or failure message. */
async function seen(outcome: Outcome): Promise<{ cli: string | undefined; dagger: string }> {
  const out = printed(outcome, false)
  const dagger = await settled(outcome).catch((error: Error) => `failed: ${error.message}`)
  return { cli: out.stdout ?? `failed: ${out.stderr}`, dagger }
}

describe("commands: both surfaces give the same outcome", () => {
  for (const c of CASES) {
    it(c.name, async () => {
      const viaCli = fakeSide(c.side)
      const cli = deploySideCommands(
        () => viaCli.side,
        () => REQUESTER,
      )
      const request: CommandRequest = {
        command: c.cli.words,
        values: c.cli.values,
        positionals: c.cli.words.split(" "),
        dir: "environments",
        json: c.cli.json ?? false,
        io: { stdout: () => undefined, stderr: () => undefined },
      }
      const cliOutcome = await cli[c.cli.command](request)

      const viaDagger = fakeSide(c.side)
      const daggerOutcome = await c.dagger(
        daggerCommands(() => viaDagger.side),
        staging,
      )

      expect(daggerOutcome).to.deep.equal(cliOutcome)
      expect(viaDagger.calls).to.deep.equal(viaCli.calls)
      expect(viaCli.calls).to.have.length(1)
      // The CLI read environments/ from disk and the Dagger function got it loaded: the same environment either way.
      const first = viaCli.calls[0]!.args[0] as Environment | { env: Environment }
      expect("env" in first ? first.env : first).to.deep.equal(staging)
      if (!cliOutcome.json) {
        const { cli: cliText, dagger } = await seen(cliOutcome)
        expect(dagger).to.equal(cliText)
      }
    })
  }
})
