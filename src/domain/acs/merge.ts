/**
 * Applying validated `data` overrides to generated defaults.
 */
import { isPlainObject } from '../events.js'
import type { FieldSpec } from './catalog-types.js'
import type { ReskinSession } from './reskin.js'

/**
 * Deep merge: objects merge key by key, arrays and scalars replace. `null` removes an optional field
 * (and a dictionary key) and sets a nullable one; unknown fields (allowUnknown) are taken as given.
 */
export function mergeOverrides (
  base: Record<string, unknown>,
  overrides: Record<string, unknown>,
  fields: readonly FieldSpec[] | undefined,
  isMap = false
): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base }
  for (const [key, value] of Object.entries(overrides)) {
    const field = fields?.find((f) => f.name === key)
    if (value === null && (isMap || (field !== undefined && field.nullable !== true))) {
      delete out[key]
      continue
    }
    const current = out[key]
    if (isPlainObject(value) && isPlainObject(current)) {
      out[key] = mergeOverrides(current, value, field?.fields, field?.map !== undefined)
    } else {
      out[key] = value
    }
  }
  return out
}

/**
 * Tells the session which sample values the user replaced, so every other place that carried the same
 * value follows (identity objects, legacy MRI strings, later events of a sequence, composite raw ids).
 * Only free-form strings are pinned: enum values and timestamps are too generic to mean "the same thing".
 */
export function pinOverrides (session: ReskinSession, sample: unknown, overrides: unknown, fields: readonly FieldSpec[] | undefined, isMap = false): void {
  if (Array.isArray(overrides)) {
    if (!Array.isArray(sample)) return
    overrides.forEach((v, i) => pinOverrides(session, sample[i], v, fields))
    return
  }
  if (!isPlainObject(overrides) || !isPlainObject(sample)) return
  for (const [key, value] of Object.entries(overrides)) {
    const field = fields?.find((f) => f.name === key)
    if (!isMap && field === undefined) continue
    const original = sample[key]
    if (typeof value === 'string' && typeof original === 'string') {
      const pinnable = isMap ? true : field?.type === 'string' && field.values === undefined
      if (pinnable) session.pin(original, value)
    } else if (field?.type === 'array' && field.itemType === 'object') {
      pinOverrides(session, original, value, field.fields)
    } else if (field?.type === 'object' || isMap) {
      pinOverrides(session, original, value, field?.fields, field?.map !== undefined)
    }
  }
}
