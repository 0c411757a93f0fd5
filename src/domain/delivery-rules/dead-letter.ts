/**
 * The dead-lettered form of an event (reference §7.3): the delivered event plus why and how delivery ended.
 * CloudEvents get the same facts as lower-case extension-style attributes; custom-schema events are written
 * as their Event Grid envelope.
 */
import type { AcceptedEvent, DeliverySchema } from '../events.js'
import { renderEvent } from './outbound.js'

export interface DeadLetterFacts {
  reason: string
  deliveryAttempts: number
  lastDeliveryOutcome: string
  lastHttpStatusCode?: number
  lastDeliveryAttemptTime: string
}

export function deadLetterRecord (event: AcceptedEvent, schema: DeliverySchema, facts: DeadLetterFacts): Record<string, unknown> {
  if (schema === 'CloudEventSchemaV1_0') {
    return {
      ...renderEvent(event, schema),
      deadletterreason: facts.reason,
      deliveryattempts: facts.deliveryAttempts,
      lastdeliveryoutcome: facts.lastDeliveryOutcome,
      ...(facts.lastHttpStatusCode !== undefined ? { lasthttpstatuscode: facts.lastHttpStatusCode } : {}),
      publishtime: event.publishTime,
      lastdeliveryattempttime: facts.lastDeliveryAttemptTime
    }
  }
  return {
    ...renderEvent(event, 'EventGridSchema'),
    deadLetterReason: facts.reason,
    deliveryAttempts: facts.deliveryAttempts,
    lastDeliveryOutcome: facts.lastDeliveryOutcome,
    ...(facts.lastHttpStatusCode !== undefined ? { lastHttpStatusCode: facts.lastHttpStatusCode } : {}),
    publishTime: event.publishTime,
    lastDeliveryAttemptTime: facts.lastDeliveryAttemptTime
  }
}
