/** `migrations rehearse --env NAME --image REF`: the release's migrations on a copy of the environment's data, through the local engine. */
import { guarded } from "../../commands/error-outcome.js"
import { migrationsRehearse } from "../../commands/migrations-rehearse.js"
import { debugRequested } from "../../errors/describe.js"
import { selectEnvironments } from "../../commands/environments.js"
import { failure } from "../../commands/outcome.js"
import { type Command, UsageError } from "../command.js"
import { localEngine, requester } from "../engine.js"
import { readEnvironments } from "../read-environments.js"

export const rehearse: Command = async ({ values, dir, json, io }) => {
  if (!values.env) throw new UsageError("migrations rehearse needs --env NAME")
  if (!values.image)
    return failure(
      "missing-option",
      "migrations rehearse needs --image REF (the release, repo@sha256:… as publish prints it)",
    )
  const selected = selectEnvironments(await readEnvironments(dir), dir, values.env)
  if (!selected.ok) return selected.outcome
  const env = selected.environments[0]!
  const log = values.quiet || json ? () => undefined : (line: string) => io.stderr(`  ${line}`)
  const image = values.image
  return guarded(debugRequested(), async () =>
    migrationsRehearse(
      { env, image, requestedBy: requester(), format: json ? "json" : "text" },
      await localEngine(env, log),
    ),
  )
}
