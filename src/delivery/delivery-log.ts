/**
 * Every delivery attempt and every decision about an event (delivered, retried, dead-lettered, dropped,
 * not matched), kept in a bounded ring so a long-running emulator does not grow without limit.
 */
export type DeliveryOutcome = 'Delivered' | 'Failed' | 'DeadLettered' | 'Dropped' | 'NotMatched' | 'Waiting'

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

export class DeliveryLog {
  private readonly ring: DeliveryRecord[] = []
  private next = 0
  private seq = 0
  private readonly listeners = new Set<(r: DeliveryRecord) => void>()

  constructor (private readonly capacity = 100_000) {}

  add (record: Omit<DeliveryRecord, 'seq'>): DeliveryRecord {
    // Numbered in place rather than copied: a record may carry a lazily computed `reason` getter.
    const full = record as DeliveryRecord
    full.seq = ++this.seq
    if (this.ring.length < this.capacity) this.ring.push(full)
    else { this.ring[this.next] = full; this.next = (this.next + 1) % this.capacity }
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
    const ordered = this.ring.length < this.capacity ? this.ring : [...this.ring.slice(this.next), ...this.ring.slice(0, this.next)]
    const status = q.status?.toLowerCase()
    const out = ordered.filter((r) =>
      (q.topic === undefined || r.topic === q.topic) &&
      (q.subscription === undefined || r.subscription.toLowerCase() === q.subscription.toLowerCase()) &&
      (q.eventId === undefined || r.eventIds.includes(q.eventId)) &&
      (status === undefined || String(r.status) === status || r.outcome.toLowerCase() === status))
    return q.limit !== undefined ? out.slice(-q.limit) : out
  }

  clear (): void {
    this.ring.length = 0
    this.next = 0
  }

  get size (): number { return this.ring.length }
}
