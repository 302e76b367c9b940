/**
 * Turns zod issues into messages that say what is wrong and what to write instead.
 * The schema's own custom messages (durations, secret references, policy) pass through.
 */
import type { z } from "zod"
import { allowedKeys, expectation, placesOfKey, schemaAt } from "./expectation.js"
import type { Anchor } from "./locate.js"

export interface Explained {
  path: PropertyKey[]
  message: string
  /** What to point at: the bad value, the (unknown) key itself, or the parent of an absent key. */
  anchor: Anchor
}

export function explainIssue(root: z.ZodType, issue: z.core.$ZodIssue, data: unknown): Explained[] {
  const path = [...issue.path]
  const wanted = () => expectation(schemaAt(root, path))
  const present = hasPath(data, path)
  switch (issue.code) {
    case "unrecognized_keys":
      return issue.keys.map((key) => ({
        path: [...path, key],
        anchor: "key",
        message: unknownKey(key, allowedKeys(root, path), placesOfKey(root, key)),
      }))
    case "invalid_type":
    case "invalid_value":
    case "invalid_union":
      if (!present) return [{ path, anchor: "parent", message: `required key is missing; add it (${wanted()})` }]
      return [
        {
          path,
          anchor: "value",
          message: `${describe(valueAt(data, path))} is not allowed here; write ${wanted()}${suggest(issue, valueAt(data, path))}`,
        },
      ]
    case "too_small":
    case "too_big":
      if (issue.origin === "array" || issue.origin === "string") {
        return [
          {
            path,
            anchor: "value",
            message:
              issue.origin === "array"
                ? `the list is ${issue.code === "too_small" ? "too short" : "too long"}; ${issue.code === "too_small" ? `give at least ${issue.minimum}` : `give at most ${issue.maximum}`}`
                : `the text is ${issue.code === "too_small" ? "empty or too short" : "too long"}`,
          },
        ]
      }
      return [{ path, anchor: "value", message: `${describe(valueAt(data, path))} is out of range; write ${wanted()}` }]
    case "invalid_key":
      return [{ path, anchor: "key", message: issue.issues[0]?.message ?? issue.message }]
    default:
      // Rules about a whole mapping (such as the secrets a tier requires) point at its key.
      return [
        {
          path,
          anchor: isMapping(valueAt(data, path)) ? "key" : present || issue.code === "custom" ? "value" : "parent",
          message: issue.message,
        },
      ]
  }
}

function unknownKey(key: string, allowed: string[], elsewhere: string[]): string {
  const close = allowed.filter(
    (candidate) => distance(key.toLowerCase(), candidate) <= Math.max(1, Math.floor(candidate.length / 4)),
  )
  if (close.length > 0) return `unknown key "${key}"; did you mean "${close[0]}"?`
  if (elsewhere.length > 0) return `"${key}" does not belong here; move it under ${elsewhere.join(" or ")}`
  if (allowed.length === 0) return `unknown key "${key}"; remove it`
  return `unknown key "${key}"; remove it, or use one of ${allowed.join(", ")}`
}

function suggest(issue: z.core.$ZodIssue, value: unknown): string {
  if (issue.code !== "invalid_value" || typeof value !== "string") return ""
  const options = issue.values.filter((v): v is string => typeof v === "string")
  const close = options.find((option) => distance(value.toLowerCase(), option.toLowerCase()) <= 2)
  return close && close !== value ? ` (did you mean "${close}"?)` : ""
}

function describe(value: unknown): string {
  if (value === null) return "an empty value (null)"
  if (Array.isArray(value)) return "a list"
  if (typeof value === "object") return "a mapping"
  if (typeof value === "string") return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)
  return String(value)
}

function isMapping(value: unknown): boolean {
  return value !== null && typeof value === "object" && !Array.isArray(value)
}

function hasPath(data: unknown, path: readonly PropertyKey[]): boolean {
  let node = data
  for (const key of path) {
    if (node === null || typeof node !== "object" || !(String(key) in (node as object))) return false
    node = (node as Record<string, unknown>)[String(key)]
  }
  return node !== undefined
}

function valueAt(data: unknown, path: readonly PropertyKey[]): unknown {
  return path.reduce<unknown>((node, key) => (node as Record<string, unknown> | undefined)?.[String(key)], data)
}

/** Levenshtein distance, for "did you mean". */
export function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i)
  for (let i = 1; i <= a.length; i++) {
    let diagonal = row[0]!
    row[0] = i
    for (let j = 1; j <= b.length; j++) {
      const above = row[j]!
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1))
      diagonal = above
    }
  }
  return row[b.length]!
}
