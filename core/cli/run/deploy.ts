/**
 * The deploy-side commands (deploy, rollback, scale, status, history, lock, backup restore) on this
 * machine: the local engine and the real operations (pg, amqplib and the health probes load here).
 */
import { OPERATIONS } from "../../commands/operations.js"
import { debugRequested } from "../../errors/describe.js"
import { deploySideCommands } from "../deploy-commands.js"
import { localEngine, requester } from "../engine.js"

export const { deploy, rollback, scale, status, history, lockStatus, lockRelease, backupRestore } = deploySideCommands(
  (env, log) => ({ engine: () => localEngine(env, log), ops: OPERATIONS, debug: debugRequested() }),
  requester,
)
