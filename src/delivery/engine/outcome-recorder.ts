/**
 * The one place every decision about an event passes: it writes the delivery-log record, the log line, and keeps
 * the subscription's back-pressure count (`backlog`), of which it is the only writer. A durable store hooks in here.
 */
import type { AcceptedEvent } from '../../domain/events.js'
import type { DeliveryRecord } from '../delivery-log.js'
import { AttemptRecord, DecisionRecord, toTenths, type OutcomeRecord } from './outcome-record.js'
import type { Clock, DeliveryLogStore } from '../ports.js'
import type { SubscriptionRuntime } from '../subscription.js'
import { DeclinedRun, declinedEvent, NotMatchedRecord, subjectOf, type DeclinedEvent } from './not-matched-record.js'
import type { EngineLogger } from './types.js'
import type { DeliveryObserver } from '../observer.js'

export type RecordedOutcome = 'Delivered' | 'Failed' | 'DeadLettered' | 'Dropped' | 'NotMatched' | 'Waiting'

/** A decision that is not an attempt (its record's JSON: outcome, then reason). */
export interface DecisionFields {
  outcome: RecordedOutcome
  reason?: string
}

/** What one attempt came to (its record's JSON keeps this order: attempt … durationMs, outcome, reason, next time). */
export interface AttemptFields {
  attempt: number
  status?: number
  error?: string
  /** Recorded to a tenth of a millisecond. */
  durationMs?: number
  outcome: RecordedOutcome
  reason?: string
  /** When the next attempt is due (epoch ms, the clock's time), for a retry. */
  nextAttemptAt?: number
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

  /** A decision about events (waiting, dropped, dead-lettered); `logExtra` goes on its log line only. */
  record (sub: SubscriptionRuntime, events: readonly AcceptedEvent[], fields: DecisionFields, at?: number, logExtra?: object): void {
    this.write(sub, events, new DecisionRecord(sub.topic, sub.name, idsOf(events), typeOf(events), sharedSubject(events), fields.outcome, at ?? this.opts.clock.now(), fields.reason), logExtra)
  }

  /** What an attempt came to: delivered, failed (with the next attempt's time for a retry), or dropped after it. */
  attempted (sub: SubscriptionRuntime, events: readonly AcceptedEvent[], fields: AttemptFields, at?: number): void {
    this.write(sub, events, new AttemptRecord(sub.topic, sub.name, idsOf(events), typeOf(events), sharedSubject(events), fields.outcome, at ?? this.opts.clock.now(), fields.reason,
      fields.attempt, fields.status, fields.error, toTenths(fields.durationMs), fields.nextAttemptAt))
  }

  private write (sub: SubscriptionRuntime, events: readonly AcceptedEvent[], record: OutcomeRecord, logExtra?: object): void {
    // Final outcomes settle the events' place in the back-pressure count.
    const { outcome } = record
    if (outcome === 'Delivered' || outcome === 'DeadLettered' || outcome === 'Dropped') setBacklog(sub, Math.max(0, sub.backlog - events.length))
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
    // The common case (delivered) logs at debug: skip building the line when nobody reads it. (The next attempt's
    // time is read once: the record makes the ISO string when read.)
    const next = r.outcome === 'Failed' ? r.nextAttemptTime : undefined
    const quiet = r.outcome === 'Delivered' || r.outcome === 'Waiting' || (r.outcome === 'Failed' && next === undefined)
    if (quiet && !this.debugEnabled()) return
    const ids = r.eventIds
    const fields = { topic: r.topic, subscription: r.subscription, eventId: ids.length === 1 ? ids[0] : ids, eventType: r.eventType, status: r.status, error: r.error, attempt: r.attempt, ...extra, reason: r.reason }
    switch (r.outcome) {
      case 'Failed':
        if (next !== undefined) logger.warn({ ...fields, nextAttemptTime: next }, 'delivery failed, retry scheduled')
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

/** A single event's id as it is (the record makes the array when read), a batch's ids as an array. */
function idsOf (events: readonly AcceptedEvent[]): string | string[] {
  if (events.length === 1) return events[0]!.id
  const out = new Array<string>(events.length)
  for (let i = 0; i < events.length; i++) out[i] = events[i]!.id
  return out
}

/** The type a record shows: the event's own, or for a batch its distinct types, comma-separated. */
function typeOf (events: readonly AcceptedEvent[]): string | undefined {
  if (events.length <= 1) return events[0]?.type
  return [...new Set(events.map((e) => e.type))].join(',')
}

/** The subject a record shows: the event's own, or the one every event of a batch has. */
function sharedSubject (events: readonly AcceptedEvent[]): string | undefined {
  const first = events[0]
  if (first === undefined) return undefined
  const subject = subjectOf(first)
  if (subject === undefined || events.length === 1) return subject
  return events.every((e) => subjectOf(e) === subject) ? subject : undefined
}
