/**
 * Field matchers of `expect*` steps. A regex runs under a time budget (regex-budget.ts). A matcher is written as
 *   a plain value              exact (strict) equality: `message: STOP`, `status: 200`
 *   { regex: '…', flags?: 'i' } the value, as text, matches the regular expression
 *   { exists: true | false }    the field is present (not undefined) or absent
 */
import { didYouMean } from '../domain/problems.js'
import { testWithBudget } from './regex-budget.js'
import { scenarioStepFailed } from '../errors.js'
import { valueAt } from '../domain/json-path.js'
import { renderValue } from '../domain/render-value.js'

export type Matcher =
  | { kind: 'exact', value: string | number | boolean | null }
  | { kind: 'regex', re: RegExp }
  | { kind: 'exists', exists: boolean }

const FORMS = 'A matcher is a value (exact match), { regex: \'…\' } (optionally with flags: i) or { exists: true|false }.'

/** Why `value` is not a matcher, or undefined when it is one. */
export function matcherProblem (value: unknown): string | undefined {
  if (value === null || typeof value !== 'object') return undefined
  if (Array.isArray(value)) return `a matcher cannot be a list; match one element with a dotted key like data.items.0. ${FORMS}`
  const keys = Object.keys(value)
  const unknown = keys.find((k) => !['regex', 'flags', 'exists'].includes(k))
  if (unknown !== undefined) return `bad matcher: unknown key '${unknown}'.${didYouMean(unknown, ['regex', 'exists'])} ${FORMS}`
  const m = value as { regex?: unknown, flags?: unknown, exists?: unknown }
  if ('exists' in m) {
    if (keys.length > 1) return `bad matcher: { exists } takes no other keys. ${FORMS}`
    return typeof m.exists === 'boolean' ? undefined : `bad matcher: exists must be true or false, got ${showValue(m.exists)}`
  }
  if (!('regex' in m)) return `bad matcher: an empty object. ${FORMS}`
  if (typeof m.regex !== 'string') return `bad matcher: regex must be a string, got ${showValue(m.regex)}`
  if (m.flags !== undefined && (typeof m.flags !== 'string' || !/^[imsu]*$/.test(m.flags))) {
    return `bad matcher: flags must be a string of i, m, s, u, got ${showValue(m.flags)}`
  }
  try {
    RegExp(m.regex, m.flags as string | undefined) // compiled only to see whether it is valid
  } catch (err) {
    return `bad matcher: invalid regex /${m.regex}/: ${(err as Error).message}`
  }
  return undefined
}

/** Compiles a matcher that passed matcherProblem (after `${…}` interpolation); throws on a bad one. */
export function compileMatcher (value: unknown): Matcher {
  const problem = matcherProblem(value)
  if (problem !== undefined) throw scenarioStepFailed(problem)
  if (value === null || typeof value !== 'object') return { kind: 'exact', value: value as string | number | boolean }
  const m = value as { regex?: string, flags?: string, exists?: boolean }
  if (m.exists !== undefined) return { kind: 'exists', exists: m.exists }
  return { kind: 'regex', re: new RegExp(m.regex!, m.flags) }
}

export function testMatcher (m: Matcher, actual: unknown): boolean {
  switch (m.kind) {
    case 'exact': return actual === m.value
    case 'exists': return (actual !== undefined) === m.exists
    case 'regex': return (typeof actual === 'string' || typeof actual === 'number' || typeof actual === 'boolean') && testWithBudget(m.re, String(actual))
  }
}

/** `= 'STOP'`, `=~ /STOP/i`, `exists`, `is absent`: what the report prints after a field name. */
export function describeMatcher (m: Matcher): string {
  switch (m.kind) {
    case 'exact': return `= ${showValue(m.value)}`
    case 'exists': return m.exists ? 'exists' : 'is absent'
    case 'regex': return `=~ ${String(m.re)}`
  }
}

/** The value at a dotted path (`recipient.rawId`, `items.0.id`), or undefined. */
export function valueAtPath (root: unknown, path: string): unknown {
  return valueAt(root, path)
}

/** A value as the report shows it: strings quoted, so `'200'` and `200` look different. */
export function showValue (value: unknown): string {
  return renderValue(value, { absent: '(absent)', max: 120, keep: 117, quoteStrings: true })
}
