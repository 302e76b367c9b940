/** The four tiers an environment belongs to, from the loosest to the strictest. */
export const TIERS = ["development", "testing", "staging", "production"] as const
export type Tier = (typeof TIERS)[number]
