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

export function subjectOf (event: AcceptedEvent): string | undefined {
  return event.eventGrid?.subject ?? event.cloudEvent?.subject
}
