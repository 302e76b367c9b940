/** The ledger's error texts, built apart from the error classes so tests can pin them verbatim. */

export function ledgerTooNewMessage(schema: string, found: number, known: number): string {
  return `the ledger schema "${schema}" is at version ${found}, but this deploy-pipeline knows versions up to ${known}; upgrade deploy-pipeline before deploying`
}

export function recordNotFoundMessage(id: number): string {
  return `there is no deploy #${id} in the ledger`
}

export function recordNotInProgressMessage(id: number, result: string): string {
  return `deploy #${id} is no longer in progress (its result is ${result}); a record changes only while it is started`
}

export function abortedMessage(owner: string, backendPid: number): string {
  return `the deployer ${owner} lost its lock session (backend pid ${backendPid}) before finishing`
}
