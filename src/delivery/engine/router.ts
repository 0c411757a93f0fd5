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
import { declinedEvent, nameSizes, type DeclinedEvent } from './not-matched-record.js'
import type { OutcomeRecorder } from './outcome-recorder.js'

/** Below this many subscriptions evaluating every filter is as cheap as asking an index. */
const INDEX_FROM = 16

/**
 * An index with the list it was built for: reused while the scope's subscriptions (and their filters) stay the
 * same. That copy of the list never changes, so the log's runs of declines refer to it (with its name sizes).
 */
interface CachedIndex { subs: readonly SubscriptionRuntime[], filters: CompiledFilter[], index: RouteIndex, sizes: readonly number[] }

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
    const cached = subs.length >= INDEX_FROM ? this.indexFor(subs) : undefined
    const candidates = cached !== undefined ? candidatesOf(cached.index, views) : undefined
    // The common case, one event through many subscriptions: declines recorded as runs, not one by one.
    if (cached !== undefined && events.length === 1 && candidates![0] !== undefined) {
      this.routeOne(cached, candidates![0], events[0]!, views[0]!, time)
      return
    }
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
   * One event through an indexed scope. The subscriptions between two candidates that match (or whose filter
   * throws) decline it: each such stretch of the scope's (unchanging) snapshot is one DeclinedRun, recorded before
   * the matching subscription's own records so the log's order and numbering are those of a record each.
   */
  private routeOne (cached: CachedIndex, list: readonly number[], event: AcceptedEvent, view: Record<string, unknown>, time: string): void {
    const snapshot = cached.subs
    let declined: DeclinedEvent | undefined
    let from = 0
    const decline = (to: number): void => {
      if (to > from) this.recorder.declinedRange(snapshot, cached.sizes, from, to, declined ??= declinedEvent(event, view, time))
    }
    for (const p of list) {
      const sub = snapshot[p]!
      let verdict: boolean
      try {
        verdict = sub.filter.matches(view)
      } catch (err) {
        decline(p)
        from = p + 1
        this.recorder.fail(sub, [event], 'evaluating the filter', err, false)
        continue
      }
      // A candidate that declines stays in the current run.
      if (!verdict) continue
      decline(p)
      from = p + 1
      this.enqueue(sub, [event])
    }
    decline(snapshot.length)
  }

  private indexFor (subs: SubscriptionRuntime[]): CachedIndex {
    const cached = this.indexes.get(subs[0]!)
    if (cached !== undefined && cached.subs.length === subs.length && cached.subs.every((s, i) => s === subs[i] && s.filter === cached.filters[i])) return cached
    const index = buildRouteIndex(subs.map((s) => ({ filter: s.body.filter, schema: s.filterSchema })))
    const copy = subs.slice()
    const fresh = { subs: copy, filters: subs.map((s) => s.filter), index, sizes: nameSizes(copy) }
    this.indexes.set(subs[0]!, fresh)
    return fresh
  }
}

/**
 * Per event, the positions of the subscriptions that may match it; undefined for an event the index could not
 * read (then every filter runs, and reports its own error).
 */
function candidatesOf (index: RouteIndex, views: Array<Record<string, unknown>>): Array<number[] | undefined> {
  return views.map((view) => {
    try { return index.candidates(view) } catch { return undefined }
  })
}
