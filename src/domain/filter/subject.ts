/**
 * The `subjectBeginsWith` / `subjectEndsWith` clause (reference §3.4): plain prefix and suffix, no wildcards,
 * case-insensitive unless `isSubjectCaseSensitive`. An empty string filters nothing.
 */
import type { Clause } from './clause.js'
import { showJson, showValue } from './format.js'
import { literalPattern } from './patterns.js'
import type { SubscriptionFilter } from './types.js'

export function compileSubject (filter: SubscriptionFilter): Clause | undefined {
  const beginsWith = filter.subjectBeginsWith ?? ''
  const endsWith = filter.subjectEndsWith ?? ''
  if (beginsWith === '' && endsWith === '') return undefined
  const ignoreCase = filter.isSubjectCaseSensitive !== true
  const prefix = literalPattern([beginsWith], 'beginsWith', ignoreCase)
  const suffix = literalPattern([endsWith], 'endsWith', ignoreCase)
  const note = ignoreCase ? '' : ' (case-sensitive)'
  // An event without a subject fails whichever subject filter is set; name that one
  const firstName = beginsWith !== '' ? 'subjectBeginsWith' : 'subjectEndsWith'

  return {
    test: event => {
      const subject = event.subject
      return typeof subject === 'string' && prefix.test(subject) && suffix.test(subject)
    },
    explain: event => {
      const subject = event.subject
      if (subject === undefined) return `${firstName}: event has no subject`
      if (typeof subject !== 'string') return `${firstName}: subject ${showJson(subject)} is not a string`
      if (!prefix.test(subject)) return `subjectBeginsWith: ${showValue(subject)} does not begin with ${showValue(beginsWith)}${note}`
      return `subjectEndsWith: ${showValue(subject)} does not end with ${showValue(endsWith)}${note}`
    }
  }
}
