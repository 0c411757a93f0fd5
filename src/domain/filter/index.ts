/**
 * Subscription filter engine: Event Grid's event-type, subject and advanced filters (reference §3.4, §4).
 * Pure domain code; validate user input with validateFilter, canonicalise it with normalizeFilter,
 * then compileFilter once per subscription and call matches() per event.
 */
export type { AdvancedFilter, CompiledFilter, FilterSchema, FilterVerdict, SubscriptionFilter } from './types.js'
export { compileFilter } from './compile.js'
export { validateFilter, MAX_ADVANCED_FILTERS, MAX_FILTER_VALUES } from './validate.js'
export { MAX_STRING_VALUE_LENGTH } from './validate-advanced.js'
export { normalizeFilter } from './normalize.js'
export { OPERATOR_NAMES, type OperatorName } from './operators.js'
