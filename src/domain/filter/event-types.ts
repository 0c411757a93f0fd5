/**
 * The `includedEventTypes` clause (reference §3.4). Types compare case-insensitively: Azure leaves this
 * undocumented and the reference recommends it, because system event types are often written in
 * different casings (`Microsoft.Communication.SMSReceived` vs `…SmsReceived`).
 */
import type { Clause } from './clause.js'
import { showJson, showList, showValue } from './format.js'
import type { FilterSchema } from './types.js'

/** The literal type name that stands for every event type (§3.4). */
const ALL_TYPES = 'all'

/** A list containing 'All' (any casing) means "every type", like an absent or null one. */
function includesAllEventTypes (types: readonly string[]): boolean {
  return types.some(type => type.toLowerCase() === ALL_TYPES)
}

/**
 * A present but empty list names no type, so it matches no event (as in a peer's Azure conformance cases);
 * only an absent or null list, or one containing 'All', means every type.
 */
const NO_TYPES: Clause = {
  test: () => false,
  explain: () => 'includedEventTypes is an empty list, which matches no event type (leave it out or use [All] for every type)'
}

export function compileEventTypes (types: readonly string[] | null | undefined, schema: FilterSchema): Clause | undefined {
  if (types == null || includesAllEventTypes(types)) return undefined
  if (types.length === 0) return NO_TYPES
  const field = schema === 'CloudEventSchemaV1_0' ? 'type' : 'eventType'
  // Exact lookup first: most publishers use the subscription's casing, and that needs no toLowerCase().
  // The length gate skips lower-casing the many types that cannot match (event type names are ASCII, so
  // equal ignoring case implies equal length).
  const exact = new Set(types)
  const lower = new Set(types.map(type => type.toLowerCase()))
  const lengths = new Set(types.map(type => type.length))
  return {
    test: event => {
      const type = event[field]
      return typeof type === 'string' && (exact.has(type) || (lengths.has(type.length) && lower.has(type.toLowerCase())))
    },
    explain: event => {
      const type = event[field]
      if (type === undefined) return `includedEventTypes: event has no ${field}`
      if (typeof type !== 'string') return `includedEventTypes: ${field} ${showJson(type)} is not a string`
      return `includedEventTypes: ${showValue(type)} is not one of ${showList(types)}`
    }
  }
}
