/**
 * What an engine-free command produces: text for its caller and whether it succeeded.
 * The CLI prints it and exits 0 or 1; the Dagger surface returns it or fails the call with it.
 */
export interface Outcome {
  ok: boolean
  text: string
}

export const success = (text: string): Outcome => ({ ok: true, text })
export const failure = (text: string): Outcome => ({ ok: false, text })
