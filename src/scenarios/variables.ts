/**
 * Run-time references in scenario steps: `${steps.<id>.<path>}` (an event an earlier step emitted, published
 * or matched) and `${vars.<name>}` (a value a `set` step stored). Pure.
 * They always contain a dot, which is what keeps them apart from the `${ENV_VAR}`s expanded when the file loads.
 */
import { scenarioStepFailed } from '../errors.js'

const REFERENCE = /\$\{([A-Za-z_][\w-]*(?:\.[^.}[\]\s]+|\[\d+\])+)\}/g

export interface Captures {
  /** Per step id: its first event's fields, plus `events` (all of them). */
  steps: Record<string, unknown>
  vars: Record<string, unknown>
}

export interface Reference {
  /** As written inside `${…}`, e.g. `steps.sms.data.messageId`. */
  text: string
  segments: Array<string | number>
  /** JSON path of the string holding it, inside the walked value. */
  at: Array<string | number>
}

export function parseReference (text: string): Array<string | number> {
  return [...text.matchAll(/([^.[\]]+)|\[(\d+)\]/g)].map((m) => m[2] !== undefined ? Number(m[2]) : /^\d+$/.test(m[1]!) ? Number(m[1]) : m[1]!)
}

/** Every reference in every string of `value`. */
export function findReferences (value: unknown, at: Array<string | number> = []): Reference[] {
  if (typeof value === 'string') {
    return [...value.matchAll(REFERENCE)].map((m) => ({ text: m[1]!, segments: parseReference(m[1]!), at }))
  }
  if (value === null || typeof value !== 'object') return []
  return Object.entries(value).flatMap(([k, v]) => findReferences(v, [...at, Array.isArray(value) ? Number(k) : k]))
}

/**
 * Replaces references in every string of `value` (a copy is returned). A string that is exactly one reference
 * takes the referenced value with its type (a number stays a number); inside text it is written as text.
 */
export function interpolate<T> (value: T, captures: Captures): T {
  if (typeof value === 'string') {
    const whole = new RegExp(`^${REFERENCE.source}$`).exec(value)
    if (whole !== null) return lookup(whole[1]!, captures) as T
    return value.replace(REFERENCE, (_m, text: string) => {
      const v = lookup(text, captures)
      return typeof v === 'string' ? v : JSON.stringify(v)
    }) as T
  }
  if (value === null || typeof value !== 'object') return value
  if (Array.isArray(value)) return value.map((v: unknown) => interpolate(v, captures)) as T
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, interpolate(v, captures)])) as T
}

function lookup (text: string, captures: Captures): unknown {
  let node: unknown = captures
  const segments = parseReference(text)
  for (const [i, seg] of segments.entries()) {
    const isObject = node !== null && typeof node === 'object'
    const next = isObject ? (node as Record<string | number, unknown>)[seg] : undefined
    if (next === undefined) {
      const known = isObject ? ` (it has: ${Object.keys(node as object).join(', ')})` : ''
      throw scenarioStepFailed(`\${${text}} is not set: '${String(seg)}' is not in ${segments.slice(0, i).join('.')}${known}`)
    }
    node = next
  }
  return node
}
