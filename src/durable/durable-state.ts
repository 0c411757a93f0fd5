/**
 * What the journal means: the live state a replay rebuilds, kept in step with every appended entry so a compaction
 * can write it out as a short journal. Pure: no files, no timers.
 *
 * The state of one (event, subscription) pair is its last entry: queued → attempt it (again); Failed with a next
 * attempt time → retry then, with its attempt count; Delivered, DeadLettered or Dropped → done (history only).
 * An event is kept while some subscription still owes it an outcome.
 */
import type { DeadLetterEntry } from '../delivery/dead-letter-store.js'
import type { DeliveryRecord } from '../delivery/delivery-log.js'
import type { AcceptedEvent } from '../domain/events.js'
import { Fifo } from '../delivery/fifo.js'

/** A subscription as the journal names it: its scope (topic, `<domain>` or `<domain>/<topic>`) and its name. */
export type SubRef = [scope: string, name: string]

export type JournalEntry =
  /** Accepted events, each with the journal's own number (event ids need not be unique). */
  | { k: 'a', ev: Array<[number, AcceptedEvent]> }
  /** Events handed to a subscription's queue (not attempted yet, or to be attempted again). */
  | { k: 'q', s: SubRef, n: number[] }
  /** A delivery record about these events: history, and the pairs' new state. */
  | { k: 'r', s: SubRef, n: number[], r: HistoryRecord }
  /** Compaction only: pairs waiting for a retry (or an attempt), without a history line. */
  | { k: 'p', s: SubRef, n: number[], at: number, due?: number }
  /** Compaction only: a history line about no live pair. */
  | { k: 'h', r: HistoryRecord }
  /** An entry of the dead-letter listing. */
  | { k: 'd', e: DeadLetterEntry }
  /** A subscription created or replaced at runtime (PUT), or deleted (DELETE). */
  | { k: 'sp', s: SubRef, body: unknown }
  | { k: 'sd', s: SubRef }
  /** POST /admin/reset: pending pairs, history and the dead-letter listing are gone. */
  | { k: 'x' }

export type HistoryRecord = Omit<DeliveryRecord, 'seq'>

/** A pair's state: attempts made, when the next is due, and which sent batch it belongs to (its first event's number). */
export interface Pending { attempts: number, due?: number, batch?: number }

interface LiveEvent { event: AcceptedEvent, pending: Map<string, Pending> }

export interface StateBounds {
  historyRecords: number
  historyBytes: number
  deadLetterEntries: number
  deadLetterBytes: number
}

/** A batch to restore into the engine: these events of this subscription, with their attempt count and due time. */
export interface RestoredBatch { sub: SubRef, events: Array<[number, AcceptedEvent]>, attempts: number, due?: number }

export function subKey (s: SubRef): string { return `${s[0]}\n${s[1]}` }
function subRef (key: string): SubRef { const i = key.indexOf('\n'); return [key.slice(0, i), key.slice(i + 1)] }

export class DurableState {
  private readonly events = new Map<number, LiveEvent>()
  private readonly history = new Fifo<{ r: HistoryRecord, bytes: number }>()
  private historyBytes = 0
  private readonly deadLetters = new Fifo<{ e: DeadLetterEntry, bytes: number }>()
  private deadLetterBytes = 0
  /** Runtime subscriptions (PUT): scope\nname → body; a DELETE leaves `null` so a config subscription stays deleted too. */
  readonly subscriptions = new Map<string, unknown>()
  /** The next event number to hand out. */
  nextSeq = 1

  constructor (private readonly bounds: StateBounds) {}

  apply (entry: JournalEntry): void {
    switch (entry.k) {
      case 'a':
        for (const [n, event] of entry.ev) {
          if (!this.events.has(n)) this.events.set(n, { event, pending: new Map() })
          if (n >= this.nextSeq) this.nextSeq = n + 1
        }
        return
      case 'q': this.setPending(entry.s, entry.n, { attempts: 0 }); return
      case 'p': this.setPending(entry.s, entry.n, { attempts: entry.at, ...(entry.due !== undefined ? { due: entry.due } : {}), batch: entry.n[0] }); return
      case 'r': {
        // Written without topic and subscription (they are `s`): put back, in the order the log shows them.
        const r: HistoryRecord = entry.r.topic !== undefined ? entry.r : Object.assign({ time: entry.r.time, topic: entry.s[0], subscription: entry.s[1] }, entry.r)
        this.addHistory(r)
        this.applyRecord(entry.s, entry.n, r)
        return
      }
      case 'h': this.addHistory(entry.r); return
      case 'd': this.addDeadLetter(entry.e); return
      case 'sp': this.subscriptions.set(subKey(entry.s), entry.body); return
      case 'sd': this.subscriptions.set(subKey(entry.s), null); return
      case 'x':
        this.events.clear()
        this.history.drain(); this.historyBytes = 0
        this.deadLetters.drain(); this.deadLetterBytes = 0
    }
  }

  private applyRecord (s: SubRef, seqs: number[], r: HistoryRecord): void {
    switch (r.outcome) {
      case 'Delivered': case 'DeadLettered': case 'Dropped': this.settle(s, seqs); return
      case 'Failed': {
        const due = r.nextAttemptTime !== undefined ? Date.parse(r.nextAttemptTime) : undefined
        this.setPending(s, seqs, { attempts: r.attempt ?? 0, ...(due !== undefined ? { due } : {}), batch: seqs[0] }, true)
      }
    }
  }

  private setPending (s: SubRef, seqs: number[], p: Pending, onlyKnown = false): void {
    const key = subKey(s)
    for (const n of seqs) {
      const live = this.events.get(n)
      if (live === undefined) continue
      if (onlyKnown && !live.pending.has(key)) continue
      live.pending.set(key, p)
    }
  }

  private settle (s: SubRef, seqs: number[]): void {
    const key = subKey(s)
    for (const n of seqs) {
      const live = this.events.get(n)
      if (live === undefined) continue
      live.pending.delete(key)
      if (live.pending.size === 0) this.events.delete(n)
    }
  }

  private addHistory (r: HistoryRecord): void {
    const bytes = 200 + r.eventIds.join('').length + (r.reason?.length ?? 0) + (r.error?.length ?? 0)
    this.history.push({ r, bytes })
    this.historyBytes += bytes
    while (this.history.length > 1 && (this.history.length > this.bounds.historyRecords || this.historyBytes > this.bounds.historyBytes)) this.historyBytes -= this.history.shift()!.bytes
  }

  private addDeadLetter (e: DeadLetterEntry): void {
    const bytes = JSON.stringify(e.events).length
    this.deadLetters.push({ e, bytes })
    this.deadLetterBytes += bytes
    while (this.deadLetters.length > 1 && (this.deadLetters.length > this.bounds.deadLetterEntries || this.deadLetterBytes > this.bounds.deadLetterBytes)) this.deadLetterBytes -= this.deadLetters.shift()!.bytes
  }

  get liveEvents (): number { return this.events.size }
  get livePairs (): number { let n = 0; for (const e of this.events.values()) n += e.pending.size; return n }

  historyRecords (): HistoryRecord[] { return this.history.toArray().map((h) => h.r) }
  deadLetterEntries (): DeadLetterEntry[] { return this.deadLetters.toArray().map((d) => d.e) }

  /**
   * The pending work, grouped back into batches: a retried batch as it was sent; never-attempted events of one
   * subscription together (the restore splits them to the subscription's batch size), oldest event first.
   */
  pendingBatches (): RestoredBatch[] {
    const groups = new Map<string, RestoredBatch>()
    for (const [n, live] of this.events) {
      for (const [key, p] of live.pending) {
        const g = `${key}\n${p.attempts}\n${p.due ?? ''}\n${p.batch ?? ''}`
        let batch = groups.get(g)
        if (batch === undefined) { batch = { sub: subRef(key), events: [], attempts: p.attempts, ...(p.due !== undefined ? { due: p.due } : {}) }; groups.set(g, batch) }
        batch.events.push([n, live.event])
      }
    }
    return [...groups.values()]
  }

  /** The entries of a journal that rebuilds this state exactly (what compaction writes). */
  * snapshot (): Generator<JournalEntry> {
    for (const [key, body] of this.subscriptions) yield body === null ? { k: 'sd', s: subRef(key) } : { k: 'sp', s: subRef(key), body }
    for (const h of this.history.toArray()) yield { k: 'h', r: h.r }
    for (const d of this.deadLetters.toArray()) yield { k: 'd', e: d.e }
    // Events in chunks, then their pairs grouped as batches: far fewer, shorter entries than one per pair.
    let chunk: Array<[number, AcceptedEvent]> = []
    for (const [n, live] of this.events) {
      chunk.push([n, live.event])
      if (chunk.length === 500) { yield { k: 'a', ev: chunk }; chunk = [] }
    }
    if (chunk.length > 0) yield { k: 'a', ev: chunk }
    for (const b of this.pendingBatches()) {
      yield { k: 'p', s: b.sub, n: b.events.map(([n]) => n), at: b.attempts, ...(b.due !== undefined ? { due: b.due } : {}) }
    }
  }
}
