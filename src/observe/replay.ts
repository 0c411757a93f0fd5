/**
 * Replay of a recorded event: redeliver it to one subscription (filters bypassed, or applied again), or
 * re-publish it to its topic so every subscription's filter decides anew. The event keeps its id and content;
 * its publish time is now, so the subscription's time-to-live counts from the replay.
 */
import type { SubscriptionRuntime } from '../delivery/subscription.js'
import { filterView } from '../delivery/subscription.js'
import type { AcceptedEvent } from '../domain/events.js'
import type { TopicRuntime } from '../emulator.js'
import type { StoredEvent } from './event-store.js'

export interface ReplayOptions {
  /** Redeliver to this subscription only; without it the event is re-published to its topic. */
  subscription?: string
  /** With `subscription`: evaluate its filter again instead of bypassing it (default false). */
  applyFilter?: boolean
}

export type ReplayResult =
  | { ok: true, topic: string, eventId: string, mode: 'redeliver' | 'republish', subscriptions: Array<{ name: string, decision: 'Queued' | 'NotMatched', reason?: string }> }
  | { ok: false, status: 404, message: string }

export interface ReplayDeps {
  now: string
  route: (subs: Iterable<SubscriptionRuntime>, events: AcceptedEvent[]) => void
  enqueue: (sub: SubscriptionRuntime, events: AcceptedEvent[]) => void
}

export function replayEvent (topic: TopicRuntime, stored: StoredEvent, options: ReplayOptions, deps: ReplayDeps): ReplayResult {
  const event: AcceptedEvent = { ...stored.event, publishTime: deps.now }
  const base = { ok: true as const, topic: topic.name, eventId: stored.id }
  if (options.subscription === undefined) {
    const subs = [...topic.subscriptions.values()]
    const decisions = subs.map((s) => {
      const verdict = s.filter.matches(filterView(event))
      return verdict ? { name: s.name, decision: 'Queued' as const } : { name: s.name, decision: 'NotMatched' as const, reason: s.filter.explain(filterView(event)).reason }
    })
    deps.route(subs, [event])
    return { ...base, mode: 'republish', subscriptions: decisions }
  }
  const sub = topic.subscriptions.get(options.subscription)
  if (sub === undefined) {
    return { ok: false, status: 404, message: `Subscription '${options.subscription}' does not exist on topic '${topic.name}'. It has: ${[...topic.subscriptions.keys()].join(', ') || 'none'}.` }
  }
  if (options.applyFilter === true) {
    deps.route([sub], [event])
    const matched = sub.filter.matches(filterView(event))
    return { ...base, mode: 'redeliver', subscriptions: [matched ? { name: sub.name, decision: 'Queued' } : { name: sub.name, decision: 'NotMatched', reason: sub.filter.explain(filterView(event)).reason }] }
  }
  deps.enqueue(sub, [event])
  return { ...base, mode: 'redeliver', subscriptions: [{ name: sub.name, decision: 'Queued' }] }
}
