/**
 * The part of the delivery log a failed expectation prints: the records of the subscriptions it concerns
 * (or all of them), newest last, with the filter's and the retry policy's own explanations.
 */
import type { DeliveryRecord } from '../index.js'
import { isOneOf, shortId } from './observe.js'
import type { Target } from './target.js'

const MAX_LINES = 12

export async function logExcerpt (target: Target, subs?: Array<{ topic: string, name: string }>): Promise<string[]> {
  const all = await target.deliveries()
  const relevant = subs !== undefined && subs.length > 0 ? all.filter((r) => isOneOf(r, subs)) : all
  const scope = subs !== undefined && subs.length > 0 ? subs.map((s) => `'${s.name}'`).join(', ') : 'all subscriptions'
  if (relevant.length === 0) return [`delivery log (${scope}): empty`]
  const shown = relevant.slice(-MAX_LINES)
  const header = `delivery log (${scope}${shown.length < relevant.length ? `, last ${shown.length} of ${relevant.length}` : ''}):`
  return [header, ...shown.map((r) => `  ${formatRecord(r)}`)]
}

/** `12:00:01.234  sms-bot  Failed  attempt 1  status 500  event 5c1f09a2…  retry at 12:00:01.244` */
export function formatRecord (r: DeliveryRecord): string {
  return [
    r.time.slice(11, 23),
    r.subscription,
    r.outcome,
    r.attempt !== undefined ? `attempt ${r.attempt}` : '',
    r.status !== undefined ? `status ${r.status}` : '',
    r.error ?? '',
    `event ${r.eventIds.map(shortId).join(', ')}`,
    r.nextAttemptTime !== undefined ? `retry at ${r.nextAttemptTime.slice(11, 23)}` : '',
    r.reason ?? ''
  ].filter((part) => part !== '').join('  ')
}
