/**
 * Public shapes of a subscription filter (reference §3.4 and §4), in ARM's canonical camelCase.
 * Input written with other casings (`OperatorType`, `IncludedEventTypes`) goes through `normalizeFilter` first.
 */

/** One entry of `advancedFilters`: single-value operators carry `value`, multi-value ones `values`, null checks neither. */
export interface AdvancedFilter {
  operatorType: string
  key: string
  value?: unknown
  values?: unknown[]
}

export interface SubscriptionFilter {
  /** absent, null, [] or a list containing 'All' = every event type */
  includedEventTypes?: string[] | null
  subjectBeginsWith?: string
  subjectEndsWith?: string
  /** default false: subject prefix/suffix compare case-insensitively */
  isSubjectCaseSensitive?: boolean
  /** default false: a key holding an array never matches */
  enableAdvancedFilteringOnArrays?: boolean
  advancedFilters?: AdvancedFilter[]
}

/**
 * The shape filters are evaluated against: the Event Grid envelope (Event Grid and custom topics)
 * or the CloudEvent itself (CloudEvents topics).
 */
export type FilterSchema = 'EventGridSchema' | 'CloudEventSchemaV1_0'

export interface FilterVerdict {
  matched: boolean
  /** 'all clauses matched', or the first clause that rejected the event and why */
  reason: string
}

export interface CompiledFilter {
  /** Hot path: allocates no reason strings. */
  matches(event: Record<string, unknown>): boolean
  /** Same verdict as `matches`, plus which clause decided it. */
  explain(event: Record<string, unknown>): FilterVerdict
}
