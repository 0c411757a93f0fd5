/**
 * Routing: offers accepted events to a scope's subscriptions. What a filter declines is recorded as NotMatched
 * (explained lazily); what it accepts goes to the subscription's queue.
 *
 * With many subscriptions, a routing index (domain/filter/route-index.ts) names for each event the few whose
 * filter can match; the others decline without their filter running. The index only ever leaves out
 * subscriptions that would decline, so verdicts, records and their order are exactly those of evaluating every
 * filter.
 */
import type { AcceptedEvent } from '../../domain/events.js'
import { buildRouteIndex, type RouteIndex } from '../../domain/filter/route-index.js'
import type { CompiledFilter } from '../../domain/filter/index.js'
import { filterView, type SubscriptionRuntime } from '../subscription.js'
import type { Clock } from '../ports.js'
import { declinedEvent, type DeclinedEvent } from './not-matched-record.js'
import type { OutcomeRecorder } from './outcome-recorder.js'

/** Below this many subscriptions evaluating every filter is as cheap as asking an index. */
const INDEX_FROM = 16

/** An index with the list it was built for: reused while the scope's subscriptions (and their filters) stay the same. */
interface CachedIndex { subs: SubscriptionRuntime[], filters: CompiledFilter[], index: RouteIndex }

export class Router {
  /** Keyed by a scope's first subscription: one entry per topic (or domain scope) in use. */
  private readonly indexes = new WeakMap<SubscriptionRuntime, CachedIndex>()

  constructor (private readonly clock: Clock, private readonly recorder: OutcomeRecorder, private readonly enqueue: (sub: SubscriptionRuntime, events: AcceptedEvent[]) => void) {}

  /** A filter that throws on an event drops that event for that subscription only, with the error as reason. */
  route (subscriptions: Iterable<SubscriptionRuntime>, events: readonly AcceptedEvent[]): void {
    const time = new Date(this.clock.now()).toISOString()
    const subs = Array.isArray(subscriptions) ? subscriptions as SubscriptionRuntime[] : [...subscriptions]
    const views = events.map(filterView)
    // What the NotMatched records of each event share, made when the first subscription declines it.
    const declined = new Array<DeclinedEvent | undefined>(events.length)
    const decline = (sub: SubscriptionRuntime, i: number): void => {
      this.recorder.declined(sub, declined[i] ??= declinedEvent(events[i]!, views[i]!, time))
    }
    const candidates = subs.length >= INDEX_FROM ? this.candidates(subs, views) : undefined
    // One cursor per event into its (ascending) candidate positions.
    const cursor = candidates !== undefined ? new Array<number>(events.length).fill(0) : undefined
    for (let p = 0; p < subs.length; p++) {
      const sub = subs[p]!
      const matched: AcceptedEvent[] = []
      for (let i = 0; i < events.length; i++) {
        const event = events[i]!
        const view = views[i]!
        if (candidates !== undefined) {
          const list = candidates[i]
          if (list !== undefined) {
            let c = cursor![i]!
            while (c < list.length && list[c]! < p) c++
            cursor![i] = c
            if (c >= list.length || list[c] !== p) { decline(sub, i); continue }
          }
        }
        let verdict: boolean
        try {
          verdict = sub.filter.matches(view)
        } catch (err) {
          this.recorder.fail(sub, [event], 'evaluating the filter', err, false)
          continue
        }
        if (verdict) matched.push(event)
        else decline(sub, i)
      }
      if (matched.length > 0) this.enqueue(sub, matched)
    }
  }

  /**
   * Per event, the positions of the subscriptions that may match it; undefined for an event the index could not
   * read (then every filter runs, and reports its own error).
   */
  private candidates (subs: SubscriptionRuntime[], views: Array<Record<string, unknown>>): Array<number[] | undefined> {
    const index = this.indexFor(subs)
    return views.map((view) => {
      try { return index.candidates(view) } catch { return undefined }
    })
  }

  private indexFor (subs: SubscriptionRuntime[]): RouteIndex {
    const cached = this.indexes.get(subs[0]!)
    if (cached !== undefined && cached.subs.length === subs.length && cached.subs.every((s, i) => s === subs[i] && s.filter === cached.filters[i])) return cached.index
    const index = buildRouteIndex(subs.map((s) => ({ filter: s.body.filter, schema: s.filterSchema })))
    this.indexes.set(subs[0]!, { subs: subs.slice(), filters: subs.map((s) => s.filter), index })
    return index
  }
}
