/**
 * Property names of the filter objects. ARM matches JSON property names case-insensitively
 * (reference §4.1: `OperatorType`/`Key`/`Values` work), so lookups go through lower-cased maps.
 */
import { isPlainObject } from '../events.js'

export const FILTER_PROPERTIES = [
  'includedEventTypes',
  'subjectBeginsWith',
  'subjectEndsWith',
  'isSubjectCaseSensitive',
  'enableAdvancedFilteringOnArrays',
  'advancedFilters'
] as const

export const ADVANCED_FILTER_PROPERTIES = ['operatorType', 'key', 'value', 'values'] as const

/** lower-cased name → canonical name */
export function caseInsensitiveIndex<T extends string> (names: readonly T[]): ReadonlyMap<string, T> {
  return new Map(names.map(name => [name.toLowerCase(), name]))
}

export const FILTER_PROPERTY_INDEX = caseInsensitiveIndex(FILTER_PROPERTIES)
export const ADVANCED_FILTER_PROPERTY_INDEX = caseInsensitiveIndex(ADVANCED_FILTER_PROPERTIES)

/**
 * Reads the known properties of `source` under their canonical names, whatever casing they were written in.
 * If a name appears twice with different casings the first one wins (validation reports the duplicate);
 * undefined values count as absent.
 */
export function readProperties<T extends string> (
  source: unknown,
  index: ReadonlyMap<string, T>
): Partial<Record<T, unknown>> {
  const out: Partial<Record<T, unknown>> = {}
  if (!isPlainObject(source)) return out
  for (const [name, value] of Object.entries(source)) {
    const canonical = index.get(name.toLowerCase())
    if (canonical !== undefined && value !== undefined && !(canonical in out)) out[canonical] = value
  }
  return out
}
