/**
 * Every delivery attempt and every decision about an event (delivered, retried, dead-lettered, dropped,
 * not matched), kept bounded in count and in bytes (oldest forgotten first) so a long-running emulator does not
 * grow without limit.
 */
import { Fifo } from './fifo.js'
import type { DeliveryLogStore } from './ports.js'

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
  private readonly records = new Fifo<DeliveryRecord>()
  private readonly sizes = new Fifo<number>()
  private bytes = 0
  private seq = 0
  private readonly listeners = new Set<(r: DeliveryRecord) => void>()

  /** `maxBytes` bounds an estimate of the records' JSON size (reasons and error texts can be long). */
  constructor (private readonly capacity = 100_000, private readonly maxBytes = 64 * 1024 * 1024) {}

  add (record: Omit<DeliveryRecord, 'seq'>): DeliveryRecord {
    // Numbered in place rather than copied: a record may carry a lazily computed `reason` getter.
    const full = record as DeliveryRecord
    full.seq = ++this.seq
    const size = estimateSize(full)
    this.records.push(full)
    this.sizes.push(size)
    this.bytes += size
    while (this.records.length > 1 && (this.records.length > this.capacity || this.bytes > this.maxBytes)) {
      this.records.shift()
      this.bytes -= this.sizes.shift()!
    }
    for (const l of this.listeners) {
      // A listener's failure (a test's predicate, a scenario matcher) must never break delivery.
      try { l(full) } catch { /* the listener reports its own errors */ }
    }
    return full
  }

  /** Called for every new record; returns the unsubscribe function. Lets tests and scenarios await deliveries. */
  onRecord (listener: (r: DeliveryRecord) => void): () => void {
    this.listeners.add(listener)
    return () => { this.listeners.delete(listener) }
  }

  /** Records oldest first, filtered. `status` matches an HTTP status ("500") or an outcome ("DeadLettered"). */
  query (q: DeliveryQuery = {}): DeliveryRecord[] {
    const ordered = this.records.toArray()
    const status = q.status?.toLowerCase()
    const out = ordered.filter((r) =>
      (q.topic === undefined || r.topic === q.topic) &&
      (q.subscription === undefined || r.subscription.toLowerCase() === q.subscription.toLowerCase()) &&
      (q.eventId === undefined || r.eventIds.includes(q.eventId)) &&
      (status === undefined || String(r.status) === status || r.outcome.toLowerCase() === status))
    return q.limit !== undefined ? out.slice(-q.limit) : out
  }

  clear (): void {
    this.records.drain()
    this.sizes.drain()
    this.bytes = 0
  }

  get size (): number { return this.records.length }
}

/**
 * A cheap estimate of a record's JSON size: the fixed fields plus the variable texts. A lazily explained
 * NotMatched reason is not computed for this (that would defeat its laziness); such reasons are short.
 */
function estimateSize (r: DeliveryRecord): number {
  let n = 200 + r.topic.length + r.subscription.length
  for (const id of r.eventIds) n += id.length + 3
  const reason = Object.getOwnPropertyDescriptor(r, 'reason')?.value as unknown
  if (typeof reason === 'string') n += reason.length
  if (r.error !== undefined) n += r.error.length
  return n
}
