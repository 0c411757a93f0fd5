/**
 * The delivery-log records the outcome recorder writes, in a compact form. The log keeps up to 100,000 of them,
 * and as object literals each cost about 320 bytes: a property array for the optional fields, two ISO time
 * strings, a reason string per failed attempt and an id array per event. Here a record is an instance of one of
 * two fixed shapes, with every field in the object itself; times are kept as small integers (see `compactTime`)
 * and written as ISO strings only when read; a single event's id is kept without an array; a duration is kept in
 * tenths of a millisecond (a small integer too, where a fractional number would be a heap object of its own).
 *
 * Readers see a `DeliveryRecord`: the same fields through getters, and through `toJSON()` the plain object the
 * log used to hold, keys in the same order (the admin API, the live stream, the journal and the Node API all give
 * exactly the text they gave). `plainRecord` turns a record into that object where a plain one is handed out.
 */
import type { DeliveryOutcome, DeliveryRecord } from '../delivery-log.js'

/**
 * Times are kept as whole milliseconds from the first time recorded in this process (an ISO string shows no
 * more). While they are within 24 days of it they are small integers, which V8 keeps in the object's field; an
 * epoch time is not, and would be a 16-byte heap number per field. A time further away is still exact, only larger.
 */
let origin: number | undefined

/** A time (epoch ms) as records keep it. */
export function compactTime (ms: number): number {
  const whole = Math.trunc(ms)
  // Refused when recording, as when records held ISO strings made at once (not later, when someone reads it).
  if (!(Math.abs(whole) <= 8.64e15)) throw new RangeError('Invalid time value')
  origin ??= whole
  return whole - origin
}

/** The ISO string of a time kept by `compactTime`. */
function isoTime (compact: number): string {
  return new Date(compact + origin!).toISOString()
}

/** What every record of the recorder holds: the event(s), the subscription, the outcome and its reason. */
export abstract class OutcomeRecord {
  seq = 0
  /** When it happened (compactTime). */
  private readonly at: number

  constructor (
    readonly topic: string,
    readonly subscription: string,
    /** A single event's id, or the ids of a batch. */
    protected readonly ids: string | string[],
    readonly eventType: string | undefined,
    readonly subject: string | undefined,
    readonly outcome: DeliveryOutcome,
    /** When it happened (epoch ms). */
    at: number,
    readonly reason: string | undefined
  ) {
    this.at = compactTime(at)
  }

  get time (): string { return isoTime(this.at) }

  /** A fresh array for a single event (records are read-only; nothing keeps it). */
  get eventIds (): string[] { return typeof this.ids === 'string' ? [this.ids] : this.ids }

  /** Of the log's size estimate: the length of the ids as JSON strings. */
  idsSize (): number {
    if (typeof this.ids === 'string') return this.ids.length + 3
    let n = 0
    for (const id of this.ids) n += id.length + 3
    return n
  }

  abstract toJSON (): DeliveryRecord

  /** The envelope every record's JSON starts with. */
  protected head (): DeliveryRecord {
    const out = { time: this.time, topic: this.topic, subscription: this.subscription, eventIds: this.eventIds } as DeliveryRecord
    if (this.eventType !== undefined) out.eventType = this.eventType
    if (this.subject !== undefined) out.subject = this.subject
    return out
  }
}

/** A decision about events that is not an attempt (waiting, dropped, dead-lettered): outcome and reason. */
export class DecisionRecord extends OutcomeRecord {
  toJSON (): DeliveryRecord {
    const out = this.head()
    out.outcome = this.outcome
    if (this.reason !== undefined) out.reason = this.reason
    out.seq = this.seq
    return out
  }
}

/** The outcome of one delivery attempt: its number, status or error, duration and, for a retry, the next time. */
export class AttemptRecord extends OutcomeRecord {
  /** When the next attempt is due (compactTime), for a retry. */
  private readonly nextAt: number | undefined

  constructor (
    topic: string,
    subscription: string,
    ids: string | string[],
    eventType: string | undefined,
    subject: string | undefined,
    outcome: DeliveryOutcome,
    at: number,
    reason: string | undefined,
    readonly attempt: number | undefined,
    readonly status: number | undefined,
    readonly error: string | undefined,
    /** The duration in tenths of a millisecond (the record shows it to a tenth). */
    private readonly tenths: number | undefined,
    /** When the next attempt is due (epoch ms), for a retry. */
    nextAt: number | undefined
  ) {
    super(topic, subscription, ids, eventType, subject, outcome, at, reason)
    this.nextAt = nextAt === undefined ? undefined : compactTime(nextAt)
  }

  get durationMs (): number | undefined { return this.tenths === undefined ? undefined : this.tenths / 10 }

  get nextAttemptTime (): string | undefined { return this.nextAt === undefined ? undefined : isoTime(this.nextAt) }

  toJSON (): DeliveryRecord {
    const out = this.head()
    if (this.attempt !== undefined) out.attempt = this.attempt
    if (this.status !== undefined) out.status = this.status
    if (this.error !== undefined) out.error = this.error
    if (this.tenths !== undefined) out.durationMs = this.tenths / 10
    out.outcome = this.outcome
    if (this.reason !== undefined) out.reason = this.reason
    if (this.nextAt !== undefined) out.nextAttemptTime = isoTime(this.nextAt)
    out.seq = this.seq
    return out
  }
}

/** A duration as the record keeps it: tenths of a millisecond, so the record shows `Math.round(ms * 10) / 10`. */
export function toTenths (ms: number | undefined): number | undefined {
  return ms === undefined ? undefined : Math.round(ms * 10)
}

/** The record as a plain object (what query() and the Node API hand out); other records as they are. */
export function plainRecord (r: DeliveryRecord): DeliveryRecord {
  return r instanceof OutcomeRecord ? r.toJSON() : r
}
