/** `load-test --url URL`: wrk against that address only, through the local executor. */
import { localExecutor } from "../../exec/local.js"
import { loadTestOutcome } from "../../commands/load-test-local.js"
import { type Command, UsageError } from "../command.js"

export const loadTest: Command = async ({ values, json }) => {
  if (!values.url) throw new UsageError("load-test needs --url URL (the only address it sends requests to)")
  const number = (name: "users" | "duration") => {
    const text = values[name]
    if (text === undefined) return undefined
    if (!/^\d+$/.test(text)) throw new UsageError(`--${name} takes a whole number; got "${text}"`)
    return Number(text)
  }
  const users = number("users")
  const duration = number("duration")
  return loadTestOutcome(
    localExecutor,
    { url: values.url, ...(users !== undefined ? { users } : {}), ...(duration !== undefined ? { duration } : {}) },
    { json },
  )
}
