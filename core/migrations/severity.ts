/** How much a finding matters: an error blocks a gate, a warning is reported, info explains. */
export type Severity = "error" | "warning" | "info"

export const SEVERITY_ORDER: readonly Severity[] = ["error", "warning", "info"]
