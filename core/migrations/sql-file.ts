/** A migration as the analyzer and tracer see it: a path for messages and its SQL text. */
export interface SqlFile {
  path: string
  content: string
}
