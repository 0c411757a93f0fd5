/**
 * The one place every decision about an event passes: it writes the delivery-log record, the log line, and keeps
 * the subscription's back-pressure count (`backlog`), of which it is the only writer. A durable store hooks in here.
 */
import type { AcceptedEvent } from '../../domain/events.js'
import type { DeliveryRecord } from '../delivery-log.js'
import type { Clock, DeliveryLogStore } from '../ports.js'
import type { SubscriptionRuntime } from '../subscription.js'
import { DeclinedRun, declinedEvent, NotMatchedRecord, subjectOf, type DeclinedEvent } from './not-matched-record.js'
import type { EngineLogger } from './types.js'
import type { DeliveryObserver } from '../observer.js'

export type RecordedOutcome = 'Delivered' | 'Failed' | 'DeadLettered' | 'Dropped' | 'NotMatched' | 'Waiting'

export interface OutcomeFields {
  outcome: RecordedOutcome
  reason?: string
  attempt?: number
  status?: number
  error?: string
  durationMs?: number
  nextAttemptTime?: string
}

export class OutcomeRecorder {
  constructor (private readonly opts: { clock: Clock, log: DeliveryLogStore, logger?: EngineLogger, observer?: DeliveryObserver }) {}

  /** Events handed to a subscription's queue (before any record about them): a durable store journals them. */
  enqueued (sub: SubscriptionRuntime, events: readonly AcceptedEvent[]): void {
    this.opts.observer?.enqueued(sub, events)
  }

  /** Events entering a subscription's care: they count against the topic's bound until their final outcome. */
  accept (sub: SubscriptionRuntime, count: number): void {
    setBacklog(sub, sub.backlog + count)
  }

  record (sub: SubscriptionRuntime, events: readonly AcceptedEvent[], fields: OutcomeFields, at?: number, logExtra?: object): void {
    // Final outcomes settle the events' place in the back-pressure count.
    if (fields.outcome === 'Delivered' || fields.outcome === 'DeadLettered' || fields.outcome === 'Dropped') setBacklog(sub, Math.max(0, sub.backlog - events.length))
    // `outcome` comes with the fields below; typed as present so the record can be handed to the log.
    const record = { time: new Date(at ?? this.opts.clock.now()).toISOString(), topic: sub.topic, subscription: sub.name, eventIds: ids(events) } as Omit<DeliveryRecord, 'seq'> & Record<string, unknown>
    describeEvents(events, record)
    // The fields in the caller's order (the record's JSON keeps it), leaving out those not set. A for-in over the
    // small object, where entries/filter/fromEntries made three arrays and an object per record.
    for (const key in fields) {
      const value = fields[key as keyof OutcomeFields]
      if (value !== undefined) record[key] = value
    }
    const added = this.opts.log.add(record)
    this.opts.observer?.recorded(sub, events, added)
    this.logOutcome(added, logExtra)
  }

  /** A subscription declined an event: recorded with a reason worked out only when read. */
  notMatched (sub: SubscriptionRuntime, event: AcceptedEvent, view: Record<string, unknown>, time: string): void {
    this.declined(sub, declinedEvent(event, view, time))
  }

  /** The same, with what the event's records share worked out once by the caller (the router). */
  declined (sub: SubscriptionRuntime, event: DeclinedEvent): void {
    const record = this.opts.log.add(new NotMatchedRecord(sub, event))
    // Explaining costs as much as filtering: only when someone reads debug lines.
    if (this.debugEnabled()) this.opts.logger?.debug?.({ topic: sub.topic, subscription: sub.name, eventId: event.eventIds[0], eventType: event.eventType, reason: record.reason }, 'event not matched')
  }

  /**
   * Positions `start` to `end` (exclusive) of the snapshot `subs` all declined one event: one run in the log where
   * the store takes runs and nobody reads debug lines (which name each subscription), else a record each.
   */
  declinedRange (subs: readonly SubscriptionRuntime[], sizes: readonly number[], start: number, end: number, event: DeclinedEvent): void {
    const log = this.opts.log
    if (log.addDeclined !== undefined && !this.debugEnabled()) {
      log.addDeclined(new DeclinedRun(subs, sizes, start, end, event))
      return
    }
    for (let p = start; p < end; p++) this.declined(subs[p]!, event)
  }

  /**
   * The last line of defence: an unexpected exception while handling events is recorded against those events and
   * that subscription as Dropped, with the error as reason; the queue and every other subscription carry on.
   * `counted` is false for events not yet in the back-pressure count (a filter that threw while routing).
   */
  fail (sub: SubscriptionRuntime, events: readonly AcceptedEvent[], doing: string, err: unknown, counted = true): void {
    const message = err instanceof Error ? `${err.name}: ${err.message}` : String(err)
    if (!counted) setBacklog(sub, sub.backlog + events.length)
    try {
      this.record(sub, events, { outcome: 'Dropped', reason: `internal error while ${doing}: ${message}` })
      this.opts.logger?.warn({ topic: sub.topic, subscription: sub.name, eventIds: events.map((e) => e.id), err: message }, `event dropped: internal error while ${doing}`)
    } catch { /* recording itself failed: nothing more can be done for these events */ }
  }

  /** Calls `listener` with every record from now on; returns the unsubscribe function. */
  watch (listener: (r: DeliveryRecord) => void): () => void {
    return this.opts.log.onRecord(listener)
  }

  debugEnabled (): boolean {
    const logger = this.opts.logger
    return logger?.debug !== undefined && (logger.isLevelEnabled?.('debug') ?? true)
  }

  /**
   * One log line per decision: what went wrong at warn (retry scheduled, dead-lettered, dropped), what went right
   * or was merely held at debug, so the default level stays quiet and fast.
   */
  private logOutcome (r: DeliveryRecord, extra?: object): void {
    const logger = this.opts.logger
    if (logger === undefined) return
    // The common case (delivered) logs at debug: skip building the line when nobody reads it.
    const quiet = r.outcome === 'Delivered' || r.outcome === 'Waiting' || (r.outcome === 'Failed' && r.nextAttemptTime === undefined)
    if (quiet && !this.debugEnabled()) return
    const fields = { topic: r.topic, subscription: r.subscription, eventId: r.eventIds.length === 1 ? r.eventIds[0] : r.eventIds, eventType: r.eventType, status: r.status, error: r.error, attempt: r.attempt, ...extra, reason: r.reason }
    switch (r.outcome) {
      case 'Failed':
        if (r.nextAttemptTime !== undefined) logger.warn({ ...fields, nextAttemptTime: r.nextAttemptTime }, 'delivery failed, retry scheduled')
        else logger.debug?.(fields, 'delivery failed, no attempts left') // the DeadLettered/Dropped line follows
        return
      case 'DeadLettered': logger.warn(fields, 'event dead-lettered'); return
      case 'Dropped': logger.warn(fields, 'event dropped'); return
      case 'Delivered': logger.debug?.({ ...fields, durationMs: r.durationMs }, 'event delivered'); return
      default: logger.debug?.(fields, r.outcome === 'Waiting' ? 'event waiting for validation' : 'event recorded')
    }
  }
}

/** The one write of `sub.backlog`: the scope's map that sums it hears of the change. */
function setBacklog (sub: SubscriptionRuntime, value: number): void {
  const delta = value - sub.backlog
  if (delta === 0) return
  sub.backlog = value
  sub.backlogHome?.backlogChanged(delta)
}

function ids (events: readonly AcceptedEvent[]): string[] {
  const out = new Array<string>(events.length)
  for (let i = 0; i < events.length; i++) out[i] = events[i]!.id
  return out
}

/** Sets the type and subject a record shows: the event's own, or for a batch the distinct types and the shared subject. */
function describeEvents (events: readonly AcceptedEvent[], record: { eventType?: string, subject?: string }): void {
  const first = events[0]
  if (first === undefined) return
  const subject = subjectOf(first)
  if (events.length === 1) {
    record.eventType = first.type
    if (subject !== undefined) record.subject = subject
    return
  }
  record.eventType = [...new Set(events.map((e) => e.type))].join(',')
  if (subject !== undefined && events.every((e) => subjectOf(e) === subject)) record.subject = subject
}
