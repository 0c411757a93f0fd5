/**
 * What a durable store needs to see of the delivery engine: events entering a subscription's care, and every
 * record about them (with the event objects, which records name only by id, and ids need not be unique).
 * Calls are synchronous and in the engine's order; an observer must be cheap and must not throw.
 */
import type { AcceptedEvent } from '../domain/events.js'
import type { DeliveryRecord } from './delivery-log.js'
import type { SubscriptionRuntime } from './subscription.js'

export interface DeliveryObserver {
  enqueued: (sub: SubscriptionRuntime, events: readonly AcceptedEvent[]) => void
  recorded: (sub: SubscriptionRuntime, events: readonly AcceptedEvent[], record: DeliveryRecord) => void
}
