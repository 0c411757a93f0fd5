/**
 * Per-subscription counts of delivery decisions, and the last declined event with its filter explanation, kept
 * as records arrive so the dashboard and `subscriptions` do not scan the whole delivery log.
 *
 * Runs of NotMatched records (one entry for many declining subscriptions of a scope, see DeclinedRun) are counted
 * against the scope's subscription list: a number, a first seq and a last run per position, with no
 * per-subscription lookup; `of()` adds them to the subscription's own counts when asked. A run covers most of
 * the list, so writing its positions one by one would cost a thousand writes per event: runs are kept as they
 * come and applied a batch at a time (when read, or every PENDING_RUNS), each batch in one pass over the list.
 */
import type { DeliveryOutcome, DeliveryRecord } from '../delivery/delivery-log.js'
import type { DeclinedRun } from '../delivery/engine/not-matched-record.js'
import type { DeliveryLogStore } from '../delivery/ports.js'
import type { SubscriptionRuntime } from '../delivery/subscription.js'

export type OutcomeCounts = Partial<Record<DeliveryOutcome, number>>

/** Counts, the seq of each outcome's first record (so merged counts list outcomes in the order they first came). */
interface Slot { counts: OutcomeCounts, first: OutcomeCounts, lastDeclined?: DeliveryRecord }

/** Declines counted by position in one scope's subscription list (a snapshot that never changes). */
interface ScopeCounts {
  subs: readonly SubscriptionRuntime[]
  declined: number[]
  firstSeq: number[]
  last: Array<DeclinedRun | undefined>
  /** By `keyOf`, the positions of that subscription; made when first asked. */
  positions?: Map<string, number[]>
  /** Runs not yet applied to the arrays above, oldest first. */
  pending: DeclinedRun[]
  /** Positions that have not declined yet (have no first seq). */
  unseen: number
}

/** Runs kept per scope before they are applied (bounds what they hold on to). */
const PENDING_RUNS = 512

/** Scopes (subscription lists) counted apart before the oldest is folded into the per-subscription slots. */
const MAX_SCOPES = 16

export class OutcomeCounters {
  /** By `keyOf` (names ignore case), the subscription's counts and its last declined event. */
  private readonly slots = new Map<string, Slot>()
  /**
   * topic → subscription name as recorded → its slot. Every declined subscription of every event passes here, so
   * the common path is two Map reads, without building and lower-casing a key per record.
   */
  private readonly byName = new Map<string, Map<string, Slot>>()
  /** By subscription list, oldest first. */
  private readonly scopes = new Map<readonly SubscriptionRuntime[], ScopeCounts>()

  constructor (log: DeliveryLogStore) {
    log.onRecord((r) => { this.count(r) }, (run) => { this.declinedRun(run) })
  }

  of (topic: string, subscription: string): { counts: OutcomeCounts, lastNotMatched?: DeliveryRecord } {
    const key = keyOf(topic, subscription)
    const slot = this.slots.get(key)
    let last = slot?.lastDeclined
    let declined = 0
    let firstDeclined = Infinity
    for (const scope of this.scopes.values()) {
      const positions = positionsOf(scope, key)
      if (positions.length > 0) settle(scope)
      for (const p of positions) {
        const n = scope.declined[p]!
        if (n === 0) continue
        declined += n
        firstDeclined = Math.min(firstDeclined, scope.firstSeq[p]!)
        const run = scope.last[p]!
        if (last === undefined || run.seqAt(p) > last.seq) last = run.recordAt(p)
      }
    }
    const counts = declined === 0 ? { ...slot?.counts } : merged(slot, declined, firstDeclined)
    return { counts, ...(last !== undefined ? { lastNotMatched: JSON.parse(JSON.stringify(last)) as DeliveryRecord } : {}) }
  }

  clear (): void {
    this.slots.clear()
    this.byName.clear()
    this.scopes.clear()
  }

  private count (r: DeliveryRecord): void {
    const slot = this.slotOf(r.topic, r.subscription)
    const { counts } = slot
    const n = counts[r.outcome]
    if (n === undefined) slot.first[r.outcome] = r.seq
    counts[r.outcome] = (n ?? 0) + 1
    // The record itself is kept: its explanation is worked out only if someone looks.
    if (r.outcome === 'NotMatched') slot.lastDeclined = r
  }

  private declinedRun (run: DeclinedRun): void {
    let scope = this.scopes.get(run.subs)
    if (scope === undefined) {
      if (this.scopes.size >= MAX_SCOPES) this.fold(this.scopes.values().next().value!)
      const n = run.subs.length
      scope = { subs: run.subs, declined: new Array<number>(n).fill(0), firstSeq: new Array<number>(n).fill(0), last: new Array<DeclinedRun | undefined>(n).fill(undefined), pending: [], unseen: n }
      this.scopes.set(run.subs, scope)
    }
    scope.pending.push(run)
    if (scope.pending.length >= PENDING_RUNS) settle(scope)
  }

  /** Moves a scope's counts into the per-subscription slots (a reload replaced its list long ago). */
  private fold (scope: ScopeCounts): void {
    this.scopes.delete(scope.subs)
    settle(scope)
    for (let p = 0; p < scope.subs.length; p++) {
      const n = scope.declined[p]!
      if (n === 0) continue
      const sub = scope.subs[p]!
      const slot = this.slotOf(sub.topic, sub.name)
      const had = slot.counts.NotMatched
      const first = scope.firstSeq[p]!
      if (had === undefined || first < slot.first.NotMatched!) {
        // Keep the outcomes in the order they first came.
        const order = slot.counts
        slot.counts = {}
        slot.first.NotMatched = first
        for (const o of Object.keys({ ...order, NotMatched: 0 }).sort((a, b) => slot.first[a as DeliveryOutcome]! - slot.first[b as DeliveryOutcome]!)) {
          slot.counts[o as DeliveryOutcome] = (order[o as DeliveryOutcome] ?? 0)
        }
      }
      slot.counts.NotMatched = (had ?? 0) + n
      const record = scope.last[p]!.recordAt(p)
      if (slot.lastDeclined === undefined || record.seq > slot.lastDeclined.seq) slot.lastDeclined = record
    }
  }

  private slotOf (topic: string, subscription: string): Slot {
    let names = this.byName.get(topic)
    if (names === undefined) { names = new Map(); this.byName.set(topic, names) }
    let slot = names.get(subscription)
    if (slot === undefined) {
      const key = keyOf(topic, subscription)
      slot = this.slots.get(key)
      if (slot === undefined) { slot = { counts: {}, first: {} }; this.slots.set(key, slot) }
      names.set(subscription, slot)
    }
    return slot
  }
}

/**
 * Applies a scope's pending runs, as applying them one by one in order would: each position counts the runs that
 * cover it, keeps the seq of the first one if it had none, and the last one. One pass over the list for the
 * counts (a difference array) and two for first and last, each position written once: "the next position not
 * yet written" (union-find style, with path halving) skips what an earlier (for last: later) run already wrote.
 */
function settle (scope: ScopeCounts): void {
  const runs = scope.pending
  if (runs.length === 0) return
  scope.pending = []
  const { declined, firstSeq, last } = scope
  const n = declined.length
  const next = new Int32Array(n + 1)
  const find = (p: number): number => {
    while (next[p] !== p) { next[p] = next[next[p]!]!; p = next[p]! }
    return p
  }
  // First: only positions that had no decline yet, oldest run first (once every position has one, nothing to do).
  if (scope.unseen > 0) {
    for (let p = 0; p <= n; p++) next[p] = p === n || declined[p] === 0 ? p : p + 1
    for (const run of runs) {
      for (let p = find(run.start); p < run.end; p = find(p + 1)) { firstSeq[p] = run.seqAt(p); next[p] = p + 1; scope.unseen-- }
    }
  }
  // Last: newest run first.
  for (let p = 0; p <= n; p++) next[p] = p
  for (let r = runs.length - 1; r >= 0; r--) {
    const run = runs[r]!
    for (let p = find(run.start); p < run.end; p = find(p + 1)) { last[p] = run; next[p] = p + 1 }
  }
  // Counts: +1 where a run starts, -1 where it ends, summed along the list.
  const diff = next
  diff.fill(0)
  for (const run of runs) { diff[run.start]!++; diff[run.end]!-- }
  let covering = 0
  for (let p = 0; p < n; p++) {
    covering += diff[p]!
    if (covering !== 0) declined[p]! += covering
  }
}

function positionsOf (scope: ScopeCounts, key: string): readonly number[] {
  if (scope.positions === undefined) {
    const positions = new Map<string, number[]>()
    scope.subs.forEach((s, p) => {
      const k = keyOf(s.topic, s.name)
      const list = positions.get(k)
      if (list === undefined) positions.set(k, [p])
      else list.push(p)
    })
    scope.positions = positions
  }
  return scope.positions.get(key) ?? []
}

/** A slot's counts with `declined` more NotMatched whose first came at seq `first`, outcomes in order of first. */
function merged (slot: Slot | undefined, declined: number, first: number): OutcomeCounts {
  const firsts: Array<[DeliveryOutcome, number, number]> = []
  for (const o in slot?.counts) {
    const outcome = o as DeliveryOutcome
    firsts.push([outcome, slot.first[outcome]!, slot.counts[outcome]!])
  }
  const own = firsts.find((f) => f[0] === 'NotMatched')
  if (own !== undefined) { own[1] = Math.min(own[1], first); own[2] += declined } else firsts.push(['NotMatched', first, declined])
  firsts.sort((a, b) => a[1] - b[1])
  const out: OutcomeCounts = {}
  for (const [o, , n] of firsts) out[o] = n
  return out
}

function keyOf (topic: string, subscription: string): string { return `${topic}\u0000${subscription.toLowerCase()}` }
