/**
 * Routing: offers accepted events to a scope's subscriptions. What a filter declines is recorded as NotMatched
 * (explained lazily); what it accepts goes to the subscription's queue.
 *
 * With many subscriptions, a routing index (domain/filter/route-index.ts) names for each event the few whose
 * filter can match; the others decline without their filter running. The index only ever leaves out
 * subscriptions that would decline, so verdicts, records and their order are exactly those of evaluating every
 * filter.
 */
import { types } from 'node:util'
import type { AcceptedEvent } from '../../domain/events.js'
import { buildRouteIndex, type RouteIndex } from '../../domain/filter/route-index.js'
import type { CompiledFilter } from '../../domain/filter/index.js'
import { SubscriptionMap } from '../subscription-map.js'
import { filterView, type SubscriptionRuntime } from '../subscription.js'
import type { Clock } from '../ports.js'
import { declinedEvent, nameSizes, type DeclinedEvent } from './not-matched-record.js'
import type { OutcomeRecorder } from './outcome-recorder.js'

/** Values the routing index must not read into: a Proxy runs code on every look. */
const { isProxy } = types

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
  /** Keyed by a SubscriptionMap's snapshot list. */
  private readonly snapshots = new WeakMap<readonly SubscriptionRuntime[], CachedIndex>()

  constructor (private readonly clock: Clock, private readonly recorder: OutcomeRecorder, private readonly enqueue: (sub: SubscriptionRuntime, events: AcceptedEvent[]) => void) {}

  /**
   * A filter that throws on an event drops that event for that subscription only, with the error as reason.
   * A scope's SubscriptionMap gives its list as a snapshot that stays the same object until the subscriptions
   * change, so finding its index is one lookup; any other list is compared with the cached one.
   */
  route (subscriptions: Iterable<SubscriptionRuntime> | SubscriptionMap, events: readonly AcceptedEvent[]): void {
    const time = new Date(this.clock.now()).toISOString()
    let subs: readonly SubscriptionRuntime[]
    let cached: CachedIndex | undefined
    if (subscriptions instanceof SubscriptionMap) {
      subs = subscriptions.list()
      if (subs.length >= INDEX_FROM) cached = this.snapshotIndex(subs)
    } else {
      subs = Array.isArray(subscriptions) ? subscriptions as SubscriptionRuntime[] : [...subscriptions]
      if (subs.length >= INDEX_FROM) cached = this.indexFor(subs)
    }
    // The common case, one event through many subscriptions: declines recorded as runs, not one by one.
    if (cached !== undefined && events.length === 1) {
      const view = filterView(events[0]!)
      const list = candidatesOf(cached.index, view)
      if (list !== undefined) { this.routeOne(cached, list, events[0]!, view, time); return }
    }
    const views = events.map(filterView)
    // What the NotMatched records of each event share, made when the first subscription declines it.
    const declined = new Array<DeclinedEvent | undefined>(events.length)
    const decline = (sub: SubscriptionRuntime, i: number): void => {
      this.recorder.declined(sub, declined[i] ??= declinedEvent(events[i]!, views[i]!, time))
    }
    const candidates = cached !== undefined ? views.map((view) => candidatesOf(cached.index, view)) : undefined
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
    for (let i = 0; i < list.length; i++) {
      const p = list[i]!
      const sub = snapshot[p]!
      let verdict: boolean
      try {
        verdict = sub.filter.matches(view)
      } catch (err) {
        if (p > from) this.recorder.declinedRange(snapshot, cached.sizes, from, p, declined ??= declinedEvent(event, view, time))
        from = p + 1
        this.recorder.fail(sub, [event], 'evaluating the filter', err, false)
        continue
      }
      // A candidate that declines stays in the current run.
      if (!verdict) continue
      if (p > from) this.recorder.declinedRange(snapshot, cached.sizes, from, p, declined ??= declinedEvent(event, view, time))
      from = p + 1
      this.enqueue(sub, [event])
    }
    if (snapshot.length > from) this.recorder.declinedRange(snapshot, cached.sizes, from, snapshot.length, declined ??= declinedEvent(event, view, time))
  }

  /** The index of a SubscriptionMap's snapshot: made once per change of the scope's subscriptions. */
  private snapshotIndex (subs: readonly SubscriptionRuntime[]): CachedIndex {
    let cached = this.snapshots.get(subs)
    if (cached === undefined) {
      // The snapshot never changes, so it is its own copy.
      cached = { subs, filters: subs.map((s) => s.filter), index: buildIndex(subs), sizes: nameSizes(subs) }
      this.snapshots.set(subs, cached)
    }
    return cached
  }

  private indexFor (subs: readonly SubscriptionRuntime[]): CachedIndex {
    const cached = this.indexes.get(subs[0]!)
    if (cached !== undefined && cached.subs.length === subs.length && cached.subs.every((s, i) => s === subs[i] && s.filter === cached.filters[i])) return cached
    const copy = subs.slice()
    const fresh = { subs: copy, filters: subs.map((s) => s.filter), index: buildIndex(subs), sizes: nameSizes(copy) }
    this.indexes.set(subs[0]!, fresh)
    return fresh
  }
}

function buildIndex (subs: readonly SubscriptionRuntime[]): RouteIndex {
  return buildRouteIndex(subs.map((s) => ({ filter: s.body.filter, schema: s.filterSchema })), isProxy)
}

/**
 * The positions of the subscriptions that may match the event; undefined when the index cannot vouch for the
 * others (then every filter runs, and reports its own error).
 */
function candidatesOf (index: RouteIndex, view: Record<string, unknown>): number[] | undefined {
  try { return index.candidates(view) } catch { return undefined }
}
