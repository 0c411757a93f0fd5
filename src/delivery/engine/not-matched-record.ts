/**
 * The record for a subscription that declined an event. Explaining a verdict costs as much as reaching it, and
 * most such records are never read, so the reason is worked out when first read (and then kept).
 *
 * With many subscriptions most of them decline every event, so what all the records of one event share — its id
 * list, type, subject, filter view and the routing time — is worked out once per event (DeclinedEvent) and the
 * record itself holds only its subscription and that.
 */
import type { AcceptedEvent } from '../../domain/events.js'
import type { DeliveryRecord } from '../delivery-log.js'
import type { SubscriptionRuntime } from '../subscription.js'

/** What every NotMatched record of one event shares. Its eventIds array is shared too: records are read-only. */
export interface DeclinedEvent {
  readonly eventIds: string[]
  readonly eventType: string
  readonly subject: string | undefined
  readonly view: Record<string, unknown>
  readonly time: string
}

export function declinedEvent (event: AcceptedEvent, view: Record<string, unknown>, time: string): DeclinedEvent {
  return { eventIds: [event.id], eventType: event.type, subject: subjectOf(event), view, time }
}

export class NotMatchedRecord {
  readonly outcome = 'NotMatched' as const
  readonly topic: string
  readonly subscription: string
  readonly eventIds: string[]
  readonly eventType: string
  readonly subject: string | undefined
  readonly time: string
  seq = 0
  private explained: string | undefined

  constructor (private readonly sub: SubscriptionRuntime, private readonly event: DeclinedEvent) {
    this.topic = sub.topic
    this.subscription = sub.name
    this.eventIds = event.eventIds
    this.eventType = event.eventType
    this.subject = event.subject
    this.time = event.time
  }

  get reason (): string {
    if (this.explained !== undefined) return this.explained
    try {
      this.explained = this.sub.filter.explain(this.event.view).reason
    } catch (err) {
      this.explained = `the filter did not match (explaining why failed: ${(err as Error).message})`
    }
    return this.explained
  }

  toJSON (): DeliveryRecord {
    return { seq: this.seq, time: this.time, topic: this.topic, subscription: this.subscription, eventIds: this.eventIds, eventType: this.eventType, ...(this.subject !== undefined ? { subject: this.subject } : {}), outcome: this.outcome, reason: this.reason }
  }
}

/**
 * What the router records when a run of a scope's subscriptions — positions `start` to `end` (exclusive) of its
 * subscription list — all decline one event: one entry in the delivery log standing for that many NotMatched
 * records, numbered `firstSeq`, `firstSeq + 1`, … in list order. With a thousand subscriptions of which a few
 * match, routing an event then costs a handful of these rather than a record per declining subscription; the
 * per-subscription records are made only when someone reads them (query, a listener that wants records).
 */
export class DeclinedRun {
  readonly outcome = 'NotMatched' as const
  /** The seq of the record for position `start`; set by the log. */
  firstSeq = 0
  /** Leading records the log has forgotten (its bounds). */
  dropped = 0
  private expanded: NotMatchedRecord[] | undefined

  /**
   * `subs` is a snapshot that never changes; `sizes` its prefix sums of (topic + subscription name) lengths, so
   * the run's size estimate costs nothing per subscription.
   */
  constructor (readonly subs: readonly SubscriptionRuntime[], readonly sizes: readonly number[], readonly start: number, readonly end: number, readonly event: DeclinedEvent) {}

  /** Records still kept. */
  get length (): number { return this.end - this.start - this.dropped }

  seqAt (position: number): number { return this.firstSeq + position - this.start }

  /** The size estimate (as DeliveryLog's estimateSize) of the kept records from the `from`-th to the `to`-th. */
  bytes (from: number, to: number): number {
    const a = this.start + this.dropped + from
    const b = this.start + this.dropped + to
    return (b - a) * (200 + idsSize(this.event.eventIds)) + this.sizes[b]! - this.sizes[a]!
  }

  /** The record of one position of the run (the same object each time once the run was expanded). */
  recordAt (position: number): NotMatchedRecord {
    if (this.expanded !== undefined) return this.expanded[position - this.start]!
    const record = new NotMatchedRecord(this.subs[position]!, this.event)
    record.seq = this.seqAt(position)
    return record
  }

  /** Every record of the run, kept or not (skip the first `dropped`); made once. */
  records (): readonly NotMatchedRecord[] {
    if (this.expanded === undefined) {
      const out = new Array<NotMatchedRecord>(this.end - this.start)
      for (let p = this.start; p < this.end; p++) {
        const record = new NotMatchedRecord(this.subs[p]!, this.event)
        record.seq = this.seqAt(p)
        out[p - this.start] = record
      }
      this.expanded = out
    }
    return this.expanded
  }
}

/** Prefix sums of the subscriptions' topic and name lengths, for DeclinedRun's size estimate. */
export function nameSizes (subs: readonly SubscriptionRuntime[]): number[] {
  const out = new Array<number>(subs.length + 1)
  out[0] = 0
  for (let i = 0; i < subs.length; i++) out[i + 1] = out[i]! + subs[i]!.topic.length + subs[i]!.name.length
  return out
}

function idsSize (ids: readonly string[]): number {
  let n = 0
  for (const id of ids) n += id.length + 3
  return n
}

export function subjectOf (event: AcceptedEvent): string | undefined {
  return event.eventGrid?.subject ?? event.cloudEvent?.subject
}
