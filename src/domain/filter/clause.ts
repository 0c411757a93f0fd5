/**
 * A compiled filter is a list of clauses AND-ed together (reference §3.4): event types, subject, then each
 * advanced filter. Each clause answers cheaply and can say afterwards why it said no.
 */
export interface Clause {
  test(event: Record<string, unknown>): boolean
  /** Why test() returned false for this event. Only called when it did. */
  explain(event: Record<string, unknown>): string
}
