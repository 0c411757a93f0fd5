/**
 * Checks user `data` overrides against an event type's wire fields before anything is generated.
 * Rules (documented in the README's "Differences from Azure"):
 * - a field the type does not have is an error with a did-you-mean hint, unless `allowUnknown`;
 * - a known field must have its wire type (string/integer/number/boolean/date-time/object/array);
 * - enum-like fields must use a known value (ACS enums are open, so `allowUnknown` lets others through);
 * - `null` removes an optional field, sets a nullable one, and is rejected for a required one.
 */
import { didYouMean, formatPath } from '../problems.js'
import type { Problem } from '../problems.js'
import type { FieldSpec, FieldType } from './catalog-types.js'
import { isIsoDateTime } from './values.js'
import { showValue } from './errors.js'
import { isPlainObject } from '../events.js'

type Path = Array<string | number>

interface Walk {
  eventType: string
  allowUnknown: boolean
  problems: Problem[]
  /** Object models seen on the way down, for self-referencing fields (`innererror`, `details`). */
  models: Map<string, readonly FieldSpec[]>
}

const ARTICLE: Record<FieldType, string> = {
  string: 'a string',
  integer: 'an integer',
  number: 'a number',
  boolean: 'a boolean',
  'date-time': 'an ISO 8601 date-time string (e.g. 2025-06-12T17:15:03.4412345Z)',
  object: 'an object',
  array: 'an array',
  any: 'any JSON value'
}

function hasType (type: FieldType, value: unknown): boolean {
  switch (type) {
    case 'string': return typeof value === 'string'
    case 'integer': return Number.isInteger(value)
    case 'number': return typeof value === 'number' && Number.isFinite(value)
    case 'boolean': return typeof value === 'boolean'
    case 'date-time': return typeof value === 'string' && isIsoDateTime(value)
    case 'object': return isPlainObject(value)
    case 'array': return Array.isArray(value)
    case 'any': return true
  }
}

function fieldsOf (field: FieldSpec, walk: Walk): readonly FieldSpec[] | undefined {
  if (field.recursive !== undefined) return walk.models.get(field.recursive)
  if (field.model !== undefined && field.fields) walk.models.set(field.model, field.fields)
  return field.fields
}

function checkObject (fields: readonly FieldSpec[], value: Record<string, unknown>, path: Path, walk: Walk): void {
  for (const [key, v] of Object.entries(value)) {
    const field = fields.find((f) => f.name === key)
    if (field === undefined) {
      if (!walk.allowUnknown) {
        const where = formatPath([...path, key])
        walk.problems.push({
          path: [...path, key],
          message: `${walk.eventType} has no field '${where}'.${didYouMean(key, fields.map((f) => f.name))}`
        })
      }
      continue
    }
    checkValue(field, v, [...path, key], walk)
  }
}

function checkValue (field: FieldSpec, value: unknown, path: Path, walk: Walk): void {
  const where = formatPath(path)
  if (value === null) {
    if (field.required === true && field.nullable !== true) {
      walk.problems.push({ path, message: `${walk.eventType}: '${where}' is required and cannot be null.` })
    }
    return
  }
  if (!hasType(field.type, value)) {
    walk.problems.push({ path, message: `${walk.eventType}: '${where}' must be ${ARTICLE[field.type]}, got ${showValue(value)}.` })
    return
  }
  if (field.type === 'object' && isPlainObject(value)) {
    if (field.map !== undefined) {
      if (field.map === 'string') {
        // null removes a key from a dictionary (labels, tags, metadata).
        for (const [k, v] of Object.entries(value)) {
          if (typeof v !== 'string' && v !== null) {
            walk.problems.push({ path: [...path, k], message: `${walk.eventType}: '${formatPath([...path, k])}' must be a string (${where} maps names to strings), got ${showValue(v)}.` })
          }
        }
      }
      return
    }
    const fields = fieldsOf(field, walk)
    if (fields) checkObject(fields, value, path, walk)
    return
  }
  if (field.type === 'array' && Array.isArray(value)) {
    const item: FieldSpec = { ...field, type: field.itemType ?? 'any', required: true, nullable: false }
    delete item.itemType
    value.forEach((v, i) => checkValue(item, v, [...path, i], walk))
    return
  }
  if (typeof value === 'string' && field.values && !walk.allowUnknown && !field.values.includes(value)) {
    const allowed = field.values.map((v) => `'${v}'`).join(', ')
    walk.problems.push({
      path,
      message: `${walk.eventType}: '${where}' must be one of ${allowed}, got '${value}'.${didYouMean(value, field.values)} (Pass allowUnknown to send other values.)`
    })
  }
}

/** All problems with `data` for this event type; an empty list means the overrides can be applied. */
export function validateOverrides (eventType: string, fields: readonly FieldSpec[], data: unknown, options: { allowUnknown?: boolean } = {}): Problem[] {
  const walk: Walk = { eventType, allowUnknown: options.allowUnknown === true, problems: [], models: new Map() }
  if (!isPlainObject(data)) {
    walk.problems.push({ path: ['data'], message: `${eventType}: 'data' overrides must be an object, got ${showValue(data)}.` })
    return walk.problems
  }
  checkObject(fields, data, ['data'], walk)
  return walk.problems
}
