/**
 * The record for a subscription that declined an event. Explaining a verdict costs as much as reaching it, and
 * most such records are never read, so the reason is worked out when first read (and then kept).
 */
import type { AcceptedEvent } from '../../domain/events.js'
import type { DeliveryRecord } from '../delivery-log.js'
import type { SubscriptionRuntime } from '../subscription.js'

export class NotMatchedRecord {
  readonly outcome = 'NotMatched' as const
  readonly topic: string
  readonly subscription: string
  readonly eventIds: string[]
  readonly eventType: string
  readonly subject: string | undefined
  seq = 0
  private explained: string | undefined

  constructor (private readonly sub: SubscriptionRuntime, event: AcceptedEvent, private readonly view: Record<string, unknown>, readonly time: string) {
    this.topic = sub.topic
    this.subscription = sub.name
    this.eventIds = [event.id]
    this.eventType = event.type
    this.subject = subjectOf(event)
  }

  get reason (): string {
    if (this.explained !== undefined) return this.explained
    try {
      this.explained = this.sub.filter.explain(this.view).reason
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
