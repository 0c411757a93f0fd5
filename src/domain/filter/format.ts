/**
 * Text helpers for explain() reasons and validation messages.
 * Event values can be arbitrarily large, so everything shown is cut to a readable length.
 */
import { cut } from '../render-value.js'

const MAX_SHOWN_CHARS = 80

function truncate (text: string): string {
  return cut(text, { max: MAX_SHOWN_CHARS, keep: MAX_SHOWN_CHARS - 1, ellipsis: '…' })
}

/** A value found in an event: strings single-quoted, scalars bare, objects and arrays as JSON. */
export function showValue (value: unknown): string {
  if (typeof value === 'string') return `'${truncate(value)}'`
  if (typeof value === 'number' || typeof value === 'boolean') return String(value)
  return showJson(value)
}

/** Exact JSON form, so that "5" and 5 look different. */
export function showJson (value: unknown): string {
  // JSON would print NaN and Infinity (possible from YAML's .nan/.inf) as null
  if (value === undefined || typeof value === 'number') return String(value)
  return truncate(JSON.stringify(value))
}

/** A list the way a user wrote it in the filter: `[help, stop]` (strings unquoted). */
export function showList (items: readonly unknown[]): string {
  return truncate(`[${items.map(showListItem).join(', ')}]`)
}

function showListItem (item: unknown): string {
  if (Array.isArray(item)) return `[${item.map(showListItem).join(', ')}]`
  return typeof item === 'string' ? item : JSON.stringify(item) ?? 'undefined'
}

/** JSON type name as users think of it: 'string', 'number', 'boolean', 'null', 'array', 'object'. */
export function jsonType (value: unknown): string {
  if (value === null) return 'null'
  if (Array.isArray(value)) return 'array'
  return typeof value
}

/** "the string \"5\"", "the number 5", "null", "an empty array", "an object": for "got …" in validation messages. */
export function describeInput (value: unknown): string {
  const type = jsonType(value)
  if (type === 'null' || type === 'undefined') return type
  if (Array.isArray(value) && value.length === 0) return 'an empty array'
  if (type === 'array' || type === 'object') return `an ${type}`
  return `the ${type} ${showJson(value)}`
}
