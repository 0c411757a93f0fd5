/**
 * Checks a subscription filter as written by a user (ARM JSON, YAML config) before it is compiled.
 * Reports every problem, each with a path relative to the filter object (as the user spelled the property)
 * and a message naming the value received and what is allowed.
 */
import { isPlainObject } from '../events.js'
import { didYouMean, type Problem } from '../problems.js'
import { describeInput } from './format.js'
import { FILTER_PROPERTIES, FILTER_PROPERTY_INDEX } from './names.js'
import { validateAdvancedFilter } from './validate-advanced.js'

/** reference §4.7 (current values; 2018–2020 docs said 5) */
export const MAX_ADVANCED_FILTERS = 25
export const MAX_FILTER_VALUES = 25

type Path = ReadonlyArray<string | number>

export function validateFilter (filter: unknown, options: { knownEventTypes?: ReadonlySet<string> } = {}): Problem[] {
  if (filter === undefined || filter === null) return []
  if (!isPlainObject(filter)) return [{ path: [], message: `filter must be an object, got ${describeInput(filter)}` }]

  const problems: Problem[] = []
  const seen = new Map<string, string>()
  for (const [name, value] of Object.entries(filter)) {
    // `{ subjectBeginsWith: undefined }` from JS callers means "not set", as it would after a JSON round trip
    if (value === undefined) continue
    const path = [name]
    const canonical = FILTER_PROPERTY_INDEX.get(name.toLowerCase())
    if (canonical === undefined) {
      problems.push({
        path,
        message: `unknown filter property '${name}'.${didYouMean(name, FILTER_PROPERTIES)} Allowed: ${FILTER_PROPERTIES.join(', ')}`
      })
      continue
    }
    const previous = seen.get(canonical)
    if (previous !== undefined) {
      problems.push({ path, message: `'${name}' repeats '${previous}' (property names ignore case); keep one` })
      continue
    }
    seen.set(canonical, name)
    switch (canonical) {
      case 'includedEventTypes':
        checkEventTypes(value, path, options.knownEventTypes, problems)
        break
      case 'subjectBeginsWith':
      case 'subjectEndsWith':
        if (value !== null && typeof value !== 'string') {
          problems.push({ path, message: `${name} must be a string (a plain prefix/suffix, no wildcards), got ${describeInput(value)}` })
        }
        break
      case 'isSubjectCaseSensitive':
      case 'enableAdvancedFilteringOnArrays':
        if (value !== null && typeof value !== 'boolean') {
          problems.push({ path, message: `${name} must be true or false, got ${describeInput(value)}` })
        }
        break
      case 'advancedFilters':
        checkAdvancedFilters(value, path, problems)
        break
    }
  }
  return problems
}

function checkEventTypes (value: unknown, path: Path, known: ReadonlySet<string> | undefined, problems: Problem[]): void {
  if (value === null) return
  if (!Array.isArray(value)) {
    problems.push({ path, message: `includedEventTypes must be an array of event type names (or null for all types), got ${describeInput(value)}` })
    return
  }
  // Event types compare case-insensitively (see event-types.ts), so the known set does too
  const knownLower = new Set([...known ?? []].map(type => type.toLowerCase()))
  const isKnown = (type: string): boolean => known === undefined || type.toLowerCase() === 'all' || knownLower.has(type.toLowerCase())
  value.forEach((type, i) => {
    if (typeof type !== 'string' || type === '') {
      problems.push({ path: [...path, i], message: `event type must be a non-empty string, got ${describeInput(type)}` })
    } else if (!isKnown(type)) {
      problems.push({
        path: [...path, i],
        message: `unknown event type '${type}' for this topic.${didYouMean(type, known ?? [])} Use one of the topic's event types or 'All'`
      })
    }
  })
}

function checkAdvancedFilters (value: unknown, path: Path, problems: Problem[]): void {
  if (value === null) return
  if (!Array.isArray(value)) {
    problems.push({ path, message: `advancedFilters must be an array of filters, got ${describeInput(value)}` })
    return
  }
  if (value.length > MAX_ADVANCED_FILTERS) {
    problems.push({ path, message: `${value.length} advanced filters given; at most ${MAX_ADVANCED_FILTERS} are allowed per subscription` })
  }
  let valueCount = 0
  value.forEach((filter, i) => { valueCount += validateAdvancedFilter(filter, [...path, i], problems) })
  if (valueCount > MAX_FILTER_VALUES) {
    problems.push({
      path,
      message: `advanced filters hold ${valueCount} values in total; at most ${MAX_FILTER_VALUES} are allowed across all filters of a subscription`
    })
  }
}
