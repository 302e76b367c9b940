/**
 * Environments are overlays deep-merged onto `base.yaml`: mappings merge key by key, while
 * lists and values in the environment replace the base's.
 */

export type Plain = Record<string, unknown>

export function isPlainObject(value: unknown): value is Plain {
  return value !== null && typeof value === "object" && !Array.isArray(value)
}

export function deepMerge(base: Plain, overlay: Plain): Plain {
  const merged: Plain = { ...base }
  for (const [key, value] of Object.entries(overlay)) {
    const current = merged[key]
    merged[key] = isPlainObject(current) && isPlainObject(value) ? deepMerge(current, value) : value
  }
  return merged
}
