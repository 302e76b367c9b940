/** The deploy lock's public surface. */
export { DeployLock, type DeployLockOptions } from "./lock.js"
export type { AcquireOptions, LockHandle, LockRow, LockStatus } from "./types.js"
export { LockForceRequiredError, LockHeldError, LockLostError, LockReleaseTimeoutError } from "./errors.js"
export type { ForceReleaseOptions, ForceReleaseResult } from "./force.js"
export { readLockEvents, type LockEvent, type LockEventKind } from "./events.js"
export { describeHolder, formatSince, lockHeldMessage, forceRequiredMessage } from "./messages.js"
