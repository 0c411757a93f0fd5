/**
 * ARM-style input (any property casing, single-value operators given as `values: [x]`) → canonical
 * SubscriptionFilter. Assumes validateFilter found no problems; anything it does not recognise is dropped.
 */
import { isPlainObject } from '../events.js'
import {
  ADVANCED_FILTER_PROPERTY_INDEX,
  FILTER_PROPERTY_INDEX,
  readProperties
} from './names.js'
import { OPERATOR_INDEX, OPERATORS } from './operators.js'
import type { AdvancedFilter, SubscriptionFilter } from './types.js'

export function normalizeFilter (filter: unknown): SubscriptionFilter {
  const input = readProperties(filter, FILTER_PROPERTY_INDEX)
  const out: SubscriptionFilter = {}
  if (Array.isArray(input.includedEventTypes)) out.includedEventTypes = [...input.includedEventTypes] as string[]
  if (typeof input.subjectBeginsWith === 'string') out.subjectBeginsWith = input.subjectBeginsWith
  if (typeof input.subjectEndsWith === 'string') out.subjectEndsWith = input.subjectEndsWith
  if (typeof input.isSubjectCaseSensitive === 'boolean') out.isSubjectCaseSensitive = input.isSubjectCaseSensitive
  if (typeof input.enableAdvancedFilteringOnArrays === 'boolean') {
    out.enableAdvancedFilteringOnArrays = input.enableAdvancedFilteringOnArrays
  }
  if (Array.isArray(input.advancedFilters)) {
    out.advancedFilters = input.advancedFilters.filter(isPlainObject).map(normalizeAdvancedFilter)
  }
  return out
}

function normalizeAdvancedFilter (filter: Record<string, unknown>): AdvancedFilter {
  const input = readProperties(filter, ADVANCED_FILTER_PROPERTY_INDEX)
  const written = String(input.operatorType)
  const operatorType = OPERATOR_INDEX.get(written.toLowerCase())
  const out: AdvancedFilter = { operatorType: operatorType ?? written, key: String(input.key) }
  const payload = operatorType === undefined ? undefined : OPERATORS[operatorType].payload
  if (payload === 'value') {
    // Azure has accepted `values: [x]` for single-value operators (reference §4.1, issue #52637)
    out.value = input.value !== undefined ? input.value : (input.values as unknown[] | undefined)?.[0]
  } else if (payload === 'values' || payload === 'ranges') {
    out.values = input.values as unknown[]
  }
  return out
}
