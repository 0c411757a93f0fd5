/**
 * Turns ajv errors into Problems whose messages name the key, the value received and what is allowed.
 */
import type { ErrorObject } from 'ajv'
import { didYouMean, type Problem } from '../domain/problems.js'
import { valueAt } from '../domain/json-path.js'

export function ajvToProblems (errors: ErrorObject[] | null | undefined, root: unknown): Problem[] {
  const problems: Problem[] = []
  const seen = new Set<string>()
  for (const e of errors ?? []) {
    // propertyNames errors are reported twice by ajv (the name and the wrapper); keep the specific one.
    if (e.keyword === 'propertyNames') continue
    const problem = toProblem(e, root)
    const id = JSON.stringify(problem)
    if (!seen.has(id)) { seen.add(id); problems.push(problem) }
  }
  return problems
}

function toProblem (e: ErrorObject, root: unknown): Problem {
  const path = pointerToPath(e.instancePath)
  const value = valueAt(root, path)
  const parent = e.parentSchema as { properties?: Record<string, unknown>, enum?: unknown[] } | undefined
  switch (e.keyword) {
    case 'additionalProperties': {
      const key = String((e.params as { additionalProperty: string }).additionalProperty)
      const allowed = Object.keys(parent?.properties ?? {})
      return { path: [...path, key], message: `unknown key '${key}'.${didYouMean(key, allowed)} Allowed keys: ${allowed.join(', ')}.` }
    }
    case 'required': {
      const key = String((e.params as { missingProperty: string }).missingProperty)
      return { path, message: `missing required key '${key}'` }
    }
    case 'enum': {
      const allowed = ((e.params as { allowedValues: unknown[] }).allowedValues).map(String)
      const hint = typeof value === 'string' ? didYouMean(value, allowed) : ''
      return { path, message: `${describe(value)} is not allowed.${hint} Allowed values: ${allowed.join(', ')}.` }
    }
    case 'type':
      return { path, message: `must be ${(e.params as { type: string | string[] }).type.toString().replace(',', ' or ')}, got ${describe(value)}` }
    case 'pattern': {
      const name = e.propertyName
      if (name !== undefined) return { path: [...path, name], message: `name '${name}' ${nameRule(path)}` }
      return { path, message: `${describe(value)} does not match ${(e.params as { pattern: string }).pattern}` }
    }
    case 'format':
      return { path, message: `${describe(value)} is not a valid ${(e.params as { format: string }).format} (for example 2030-01-01T00:00:00Z)` }
    case 'minimum': case 'maximum': case 'minLength': case 'maxItems': case 'minItems':
      return { path, message: `${describe(value)} ${e.message ?? 'is out of range'}` }
    default:
      return { path, message: `${describe(value)} ${e.message ?? 'is invalid'}` }
  }
}

function nameRule (path: Array<string | number>): string {
  const parent = path[path.length - 1]
  if (parent === 'topics' && path[0] === 'domains') return "is not a valid domain topic name: use 3-128 letters, digits, '-', '_' or '.', starting with a letter or digit"
  if (parent === 'domains') return 'is not a valid domain name: use 3-50 letters, digits or hyphens'
  if (parent === 'topics') return 'is not a valid topic name: use 3-50 letters, digits or hyphens'
  if (parent === 'subscriptions') return 'is not a valid subscription name: use 3-64 letters, digits or hyphens'
  return 'is not a valid name'
}

export function describe (value: unknown): string {
  if (value === undefined) return 'nothing'
  if (value === null) return 'null'
  if (Array.isArray(value)) return 'an array'
  if (typeof value === 'object') return 'an object'
  if (typeof value === 'string') return `'${value}'`
  return `${typeof value} ${String(value)}`
}

export function pointerToPath (pointer: string): Array<string | number> {
  if (pointer === '') return []
  return pointer.slice(1).split('/').map((s) => {
    const key = s.replace(/~1/g, '/').replace(/~0/g, '~')
    return /^\d+$/.test(key) ? Number(key) : key
  })
}
