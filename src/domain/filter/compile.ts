/**
 * Compiles a subscription filter once, so routing an event does no parsing, no key splitting and no
 * lower-casing of filter values. Clauses run cheapest first: event type (a Set lookup), subject (a RegExp),
 * then the advanced filters as plain-data checks in the order written (so explain() names the first failing
 * one the user wrote).
 */
import { formatPath } from '../problems.js'
import { compileCheck, evaluateCheck, Outcome, type Check } from './advanced.js'
import type { Clause } from './clause.js'
import { compileEventTypes } from './event-types.js'
import { explainCheck } from './explain-advanced.js'
import { normalizeFilter } from './normalize.js'
import { compileSubject } from './subject.js'
import type { CompiledFilter, FilterSchema, FilterVerdict, SubscriptionFilter } from './types.js'
import { validateFilter } from './validate.js'

/** Throws a TypeError listing the problems when the filter is invalid: run validateFilter first to report them nicely. */
export function compileFilter (filter: SubscriptionFilter | undefined, schema: FilterSchema): CompiledFilter {
  const problems = validateFilter(filter)
  if (problems.length > 0) {
    const list = problems.map(p => `${formatPath(p.path) || '(filter)'}: ${p.message}`).join('; ')
    throw new TypeError(`invalid subscription filter: ${list}`)
  }
  const canonical = normalizeFilter(filter)
  const clauses: Clause[] = []
  const eventTypes = compileEventTypes(canonical.includedEventTypes, schema)
  if (eventTypes !== undefined) clauses.push(eventTypes)
  const subject = compileSubject(canonical)
  if (subject !== undefined) clauses.push(subject)
  const arraysEnabled = canonical.enableAdvancedFilteringOnArrays === true
  const checks = (canonical.advancedFilters ?? []).map((advanced, index) => compileCheck(advanced, index, arraysEnabled))
  return toCompiledFilter(clauses, checks)
}

function toCompiledFilter (clauses: readonly Clause[], checks: readonly Check[]): CompiledFilter {
  const matched: FilterVerdict = {
    matched: true,
    reason: clauses.length + checks.length === 0 ? 'no filter clauses: every event matches' : 'all clauses matched'
  }
  return {
    matches (event) {
      for (let i = 0; i < clauses.length; i++) if (!clauses[i]!.test(event)) return false
      for (let i = 0; i < checks.length; i++) if (evaluateCheck(checks[i]!, event) !== Outcome.Matched) return false
      return true
    },
    explain (event) {
      const clause = clauses.find(c => !c.test(event))
      if (clause !== undefined) return { matched: false, reason: clause.explain(event) }
      const check = checks.find(c => evaluateCheck(c, event) !== Outcome.Matched)
      if (check !== undefined) return { matched: false, reason: explainCheck(check, event) }
      return { ...matched }
    }
  }
}
