/**
 * Schema conversions applied on delivery (reference §2.4). Pure functions.
 */
import type { CloudEvent, EventGridEvent } from './events.js'

/**
 * Event Grid → CloudEvents 1.0, as Event Grid does for a subscription with
 * `eventDeliverySchema: CloudEventSchemaV1_0` on an Event Grid or system topic:
 * topic→source, eventType→type, eventTime→time; id, subject and data are kept.
 * `dataVersion` has no documented CloudEvents counterpart, so it is dropped (see README, Differences from Azure).
 */
export function toCloudEvent (event: EventGridEvent): CloudEvent {
  const ce: CloudEvent = {
    id: event.id,
    source: event.topic ?? '',
    specversion: '1.0',
    type: event.eventType,
    subject: event.subject,
    time: event.eventTime
  }
  if (event.data !== undefined) ce.data = event.data
  return ce
}
