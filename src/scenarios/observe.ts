/**
 * What expectations look at: "observations", one per event per delivery attempt, taken from the delivery
 * log (subscription, url) or from what the built-in sink received, each with the event body when it is known
 * (events the scenario emitted or published, or the body the sink got), and the checks that match them.
 */
import type { DeliveryRecord } from '../index.js'
import { compileMatcher, describeMatcher, showValue, testMatcher, valueAtPath, type Matcher } from './matchers.js'
import type { Target, TopicInfo } from './target.js'
import type { Destination, EventMatch } from './types.js'

export type EventBody = Record<string, unknown>

export interface Observation {
  time: string
  subscription?: string
  eventId: string
  event: EventBody | undefined
  outcome: string
  attempt?: number
  status?: number
  reason?: string
}

export interface Check { label: string, matcher: Matcher, get: (o: Observation) => unknown }

/** Subscriptions a destination stands for: by name (and topic), or all delivering to a URL. */
export function subscriptionsOf (to: Destination, topics: TopicInfo[], baseUrl: string): Array<{ topic: string, name: string }> {
  const all = topics.flatMap((t) => t.subscriptions.map((s) => ({ topic: t.name, name: s.name, url: absolute(s.endpointUrl, baseUrl) })))
  if ('subscription' in to) return all.filter((s) => s.name.toLowerCase() === to.subscription.toLowerCase() && (to.topic === undefined || s.topic === to.topic))
  const url = 'url' in to ? absolute(to.url, baseUrl) : `${baseUrl}/sink/${to.sink}`
  return all.filter((s) => s.url === url)
}

export function describeDestination (to: Destination): string {
  if ('sink' in to) return `sink '${to.sink}'`
  if ('url' in to) return `URL ${to.url}`
  return `subscription '${to.subscription}'${to.topic !== undefined ? ` of topic '${to.topic}'` : ''}`
}

/** Delivery attempts to the destination, oldest first. */
export async function observeDeliveries (target: Target, to: Destination, subs: Array<{ topic: string, name: string }>, known: Map<string, EventBody>): Promise<Observation[]> {
  if ('sink' in to) {
    const requests = (await target.sink(to.sink)).filter((r) => r.headers['aeg-event-type'] === 'Notification')
    return requests.flatMap((r) => (Array.isArray(r.body) ? r.body : [r.body]).map((event: EventBody) => ({
      time: r.receivedAt,
      eventId: String(event?.id),
      event,
      outcome: r.status >= 200 && r.status <= 204 ? 'Delivered' : 'Failed',
      status: r.status
    })))
  }
  const records = (await target.deliveries()).filter((r) => r.attempt !== undefined && isOneOf(r, subs))
  return records.flatMap((r) => r.eventIds.map((id) => ({
    time: r.time,
    subscription: r.subscription,
    eventId: id,
    event: known.get(id),
    outcome: r.outcome,
    ...(r.attempt !== undefined ? { attempt: r.attempt } : {}),
    ...(r.status !== undefined ? { status: r.status } : {}),
    ...(r.reason !== undefined ? { reason: r.reason } : {})
  })))
}

export async function observeDeadLetters (target: Target, filter: { subscription?: string, topic?: string }, known: Map<string, EventBody>): Promise<Observation[]> {
  const entries = (await target.deadLetters()).filter((e) =>
    (filter.subscription === undefined || e.subscription.toLowerCase() === filter.subscription.toLowerCase()) &&
    (filter.topic === undefined || e.topic === filter.topic))
  return entries.flatMap((e) => e.eventIds.map((id, i) => ({
    time: '',
    subscription: e.subscription,
    eventId: id,
    event: known.get(id) ?? e.events[i] as EventBody | undefined,
    outcome: 'DeadLettered',
    reason: e.reason
  })))
}

export function isOneOf (r: DeliveryRecord, subs: Array<{ topic: string, name: string }>): boolean {
  return subs.some((s) => s.topic === r.topic && s.name.toLowerCase() === r.subscription.toLowerCase())
}

/** The checks for an event match; interpolation has already happened, so matchers compile here. */
export function compileChecks (match: EventMatch, extra: { status?: unknown, reason?: unknown } = {}): Check[] {
  const checks: Check[] = []
  const add = (label: string, raw: unknown, get: Check['get']): void => { checks.push({ label, matcher: compileMatcher(raw), get }) }
  if ('eventType' in match) add('eventType', match.eventType, (o) => o.event?.eventType ?? o.event?.type)
  if ('subject' in match) add('subject', match.subject, (o) => o.event?.subject)
  if ('eventId' in match) add('eventId', match.eventId, (o) => o.eventId)
  for (const [path, raw] of Object.entries(match.data ?? {})) add(`data.${path}`, raw, (o) => valueAtPath(o.event?.data, path))
  for (const [path, raw] of Object.entries(match.event ?? {})) add(path, raw, (o) => valueAtPath(o.event, path))
  if ('status' in extra) add('status', extra.status, (o) => o.status)
  if ('reason' in extra) add('reason', extra.reason, (o) => o.reason)
  return checks
}

export const passes = (checks: Check[], o: Observation): boolean => checks.every((c) => testMatcher(c.matcher, c.get(o)))

/** One line per failing check: `data.message: expected =~ /STOP/, got 'hello'`. */
export function mismatches (checks: Check[], o: Observation): string[] {
  const lines = checks.filter((c) => !testMatcher(c.matcher, c.get(o))).map((c) => `${c.label}: expected ${describeMatcher(c.matcher)}, got ${showValue(c.get(o))}`)
  if (o.event === undefined && lines.length > 0) lines.push('(the event body is unknown: this scenario did not send it; expect on a sink to see bodies)')
  return lines
}

export const describeChecks = (checks: Check[]): string[] => checks.map((c) => `${c.label} ${describeMatcher(c.matcher)}`)

/** `event 5c1f09a2… attempt 2, status 500 (Failed)` */
export function describeObservation (o: Observation): string {
  const parts = [o.attempt !== undefined ? `attempt ${o.attempt}` : '', o.status !== undefined ? `status ${o.status}` : ''].filter(Boolean).join(', ')
  return `event ${shortId(o.eventId)}${o.subscription !== undefined ? ` to '${o.subscription}'` : ''}${parts !== '' ? ` ${parts}` : ''} (${o.outcome}${o.reason !== undefined ? `: ${o.reason}` : ''})`
}

/** Ids are long (UUIDs, `Incoming_2024…`); both ends keep them recognizable. */
export const shortId = (id: string): string => id.length > 16 ? `${id.slice(0, 6)}…${id.slice(-6)}` : id

function absolute (url: string, baseUrl: string): string {
  return (url.startsWith('/') ? `${baseUrl}${url}` : url).replace(/\/$/, '')
}
