/**
 * Every delivery attempt and every decision about an event (delivered, retried, dead-lettered, dropped,
 * not matched), kept bounded in count and in bytes (oldest forgotten first) so a long-running emulator does not
 * grow without limit.
 */
import { Fifo } from './fifo.js'
import type { DeliveryLogStore } from './ports.js'
import { DeclinedRun } from './engine/not-matched-record.js'
import { OutcomeRecord } from './engine/outcome-record.js'

export { plainRecord } from './engine/outcome-record.js'

export type DeliveryOutcome = 'Delivered' | 'Failed' | 'DeadLettered' | 'Dropped' | 'NotMatched' | 'Waiting'
  // Pull delivery on namespace subscriptions (src/namespaces): what receivers did with their locks.
  | 'Received' | 'Acknowledged' | 'Released' | 'Rejected' | 'LockRenewed' | 'LockExpired'

export interface DeliveryRecord {
  seq: number
  time: string
  topic: string
  subscription: string
  eventIds: string[]
  /** The event's type (a batch: its distinct types, comma-separated) and subject, so a record reads on its own. */
  eventType?: string
  subject?: string
  outcome: DeliveryOutcome
  /** Attempt number (1 = first delivery); absent for records that are not attempts. */
  attempt?: number
  status?: number
  error?: string
  durationMs?: number
  reason?: string
  nextAttemptTime?: string
}

export interface DeliveryQuery { topic?: string, subscription?: string, eventId?: string, status?: string, limit?: number }

export class DeliveryLog implements DeliveryLogStore {
  /** Records, and runs of NotMatched records (DeclinedRun) each standing for as many records, oldest first. */
  private readonly records = new Fifo<DeliveryRecord | DeclinedRun>()
  /** The size estimate of each entry of `records` (of a run: of its records still kept). */
  private readonly sizes = new Fifo<number>()
  /** Records kept, a run counting as its records. */
  private count = 0
  private bytes = 0
  private seq = 0
  private readonly listeners = new Set<Listener>()

  /** `maxBytes` bounds an estimate of the records' JSON size (reasons and error texts can be long). */
  constructor (private readonly capacity = 100_000, private readonly maxBytes = 64 * 1024 * 1024) {}

  add (record: Omit<DeliveryRecord, 'seq'>): DeliveryRecord {
    // Numbered in place rather than copied: a record may carry a lazily computed `reason` getter.
    const full = record as DeliveryRecord
    full.seq = ++this.seq
    const size = estimateSize(full)
    this.records.push(full)
    this.sizes.push(size)
    this.count++
    this.bytes += size
    this.trim()
    for (const l of this.listeners) {
      // A listener's failure (a test's predicate, a scenario matcher) must never break delivery.
      try { l.record(full) } catch { /* the listener reports its own errors */ }
    }
    return full
  }

  /**
   * A run of NotMatched records, kept as one entry: numbered with the next `run.length` seqs and counted as that
   * many records for the bounds. Listeners that take runs get it whole; the others get its records one by one.
   */
  addDeclined (run: DeclinedRun): void {
    const n = run.length
    if (n === 0) return
    run.firstSeq = this.seq + 1
    this.seq += n
    const size = run.bytes(0, n)
    this.records.push(run)
    this.sizes.push(size)
    this.count += n
    this.bytes += size
    this.trim()
    for (const l of this.listeners) {
      try {
        if (l.declined !== undefined) l.declined(run)
        else for (const r of run.records()) l.record(r)
      } catch { /* the listener reports its own errors */ }
    }
  }

  /**
   * Called for every new record; returns the unsubscribe function. Lets tests and scenarios await deliveries.
   * With `declined`, a run of NotMatched records comes to it whole instead of record by record.
   */
  onRecord (listener: (r: DeliveryRecord) => void, declined?: (run: DeclinedRun) => void): () => void {
    const l: Listener = { record: listener, declined }
    this.listeners.add(l)
    return () => { this.listeners.delete(l) }
  }

  /**
   * Records oldest first, filtered. `status` matches an HTTP status ("500") or an outcome ("DeadLettered"). The
   * engine's compact records (OutcomeRecord) come out as the plain objects they stand for.
   */
  query (q: DeliveryQuery = {}): DeliveryRecord[] {
    const ordered: DeliveryRecord[] = []
    for (const entry of this.records.toArray()) {
      if (!(entry instanceof DeclinedRun)) { ordered.push(entry); continue }
      const records = entry.records()
      for (let i = entry.dropped; i < records.length; i++) ordered.push(records[i]!)
    }
    const status = q.status?.toLowerCase()
    const out = ordered.filter((r) =>
      (q.topic === undefined || r.topic === q.topic) &&
      (q.subscription === undefined || r.subscription.toLowerCase() === q.subscription.toLowerCase()) &&
      (q.eventId === undefined || r.eventIds.includes(q.eventId)) &&
      (status === undefined || String(r.status) === status || r.outcome.toLowerCase() === status))
    const kept = q.limit !== undefined ? out.slice(-q.limit) : out
    for (let i = 0; i < kept.length; i++) {
      const r = kept[i]!
      if (r instanceof OutcomeRecord) kept[i] = r.toJSON()
    }
    return kept
  }

  clear (): void {
    this.records.drain()
    this.sizes.drain()
    this.count = 0
    this.bytes = 0
  }

  get size (): number { return this.count }

  /** Forgets the oldest records while over a bound, always keeping the newest one. */
  private trim (): void {
    while (this.over()) {
      const front = this.records.peek()!
      if (!(front instanceof DeclinedRun)) {
        this.records.shift()
        this.bytes -= this.sizes.shift()!
        this.count--
        continue
      }
      // Of a run, as many leading records as the bounds want gone (the count bound at once, bytes one by one).
      const left = front.length
      let k = Math.min(left, Math.max(0, this.count - this.capacity), this.count - 1)
      let bytes = front.bytes(0, k)
      while (k < left && this.count - k > 1 && this.bytes - bytes > this.maxBytes) { bytes += front.bytes(k, k + 1); k++ }
      if (k === 0) break // cannot happen while over(); a guard against looping forever
      this.count -= k
      this.bytes -= bytes
      if (k === left) {
        this.records.shift()
        this.sizes.shift()
      } else {
        front.dropped += k
      }
    }
  }

  private over (): boolean {
    return this.count > 1 && (this.count > this.capacity || this.bytes > this.maxBytes)
  }
}

interface Listener { record: (r: DeliveryRecord) => void, declined?: ((run: DeclinedRun) => void) | undefined }

/**
 * A cheap estimate of a record's JSON size: the fixed fields plus the variable texts. A lazily explained
 * NotMatched reason is not computed for this (that would defeat its laziness); such reasons are short.
 */
function estimateSize (r: DeliveryRecord): number {
  let n = 200 + r.topic.length + r.subscription.length
  if (r instanceof OutcomeRecord) n += r.idsSize()
  else for (const id of r.eventIds) n += id.length + 3
  // An own property only: a lazily explained reason is a getter on the record's prototype. (hasOwn, unlike a
  // property descriptor, allocates nothing for each of the many records.)
  const reason = Object.hasOwn(r, 'reason') ? r.reason : undefined
  if (typeof reason === 'string') n += reason.length
  if (r.error !== undefined) n += r.error.length
  return n
}
