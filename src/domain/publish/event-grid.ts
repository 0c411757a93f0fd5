/**
 * Accepting events published in the Event Grid schema (reference §1.2, §1.5): validate each event, then
 * stamp `topic`, `metadataVersion` and `dataVersion` as the service does.
 */
import { isPlainObject, type AcceptedEvent, type EventGridEvent } from '../events.js'
import { checkBatch, checkEventSize, isDateTime, PublishRejected, show, type PublishLimits } from './rejection.js'

export interface AcceptContext { topicId: string, publishTime: string, limits: PublishLimits }

/** Azure's wording; the emulator's own explanation (which event, what it got) follows it. */
const SCHEMA_HINT = "This resource is configured to receive event in 'EventGridEvent' schema."
const EG_SCHEMA = "This resource is configured for 'EventGridEvent' schema"
const requiresProperty = (field: string): string => `${EG_SCHEMA} and requires '${field}' property to be set.`

export function acceptEventGridEvents (body: unknown, ctx: AcceptContext): AcceptedEvent[] {
  const items = checkBatch(body, ctx.limits, `${SCHEMA_HINT} It`)
  return items.map((item, index) => {
    checkEventSize(item, index, ctx.limits)
    const event = toEventGridEvent(item, index, ctx.topicId)
    return { inputSchema: 'EventGridSchema', eventGrid: event, id: event.id, type: event.eventType, publishTime: ctx.publishTime }
  })
}

function toEventGridEvent (item: unknown, index: number, topicId: string): EventGridEvent {
  const at = `events[${index}]`
  if (!isPlainObject(item)) throw new PublishRejected(400, `${SCHEMA_HINT} ${at} must be a JSON object, got ${show(item)}.`)
  // Azure's order: id, subject, eventType, then eventTime; subject and dataVersion may not be empty strings.
  requireString(item, 'id', at)
  requireString(item, 'subject', at)
  requireString(item, 'eventType', at)
  if (item.eventTime === undefined || item.eventTime === null) {
    throw new PublishRejected(400, `${requiresProperty('eventTime')} ${at}.eventTime is missing.`)
  }
  if (!isDateTime(item.eventTime)) {
    throw new PublishRejected(400, `${EG_SCHEMA} and requires 'eventTime' property to be a valid date-time. ${at}.eventTime must be an ISO-8601 date-time such as 2024-05-01T12:00:00Z, got ${show(item.eventTime)}.`)
  }
  if (item.dataVersion !== undefined && item.dataVersion !== null && typeof item.dataVersion !== 'string') {
    throw new PublishRejected(400, `${SCHEMA_HINT} ${at}.dataVersion must be a string, got ${show(item.dataVersion)}.`)
  }
  if (item.dataVersion === '') {
    throw new PublishRejected(400, `${requiresProperty('dataVersion')} ${at}.dataVersion is an empty string: leave it out or give a version such as "1.0".`)
  }
  if (item.metadataVersion !== undefined && item.metadataVersion !== null && item.metadataVersion !== '1') {
    throw new PublishRejected(400, `Property 'metadataVersion' was found to be set to ${show(item.metadataVersion)}, but was expected to either be null or be set to 1. (${at}.metadataVersion)`)
  }
  if (item.topic !== undefined && item.topic !== null && (typeof item.topic !== 'string' || item.topic.toLowerCase() !== topicId.toLowerCase())) {
    // Azure treats a foreign topic as an attempt to publish somewhere this credential does not reach: 401.
    throw new PublishRejected(401, `Unauthorized to publish to topic ${show(item.topic)}. ${at}.topic must be absent or equal this topic's resource id '${topicId}'.`)
  }
  // Key order follows what Event Grid delivers; unknown top-level properties are not part of the schema and are dropped.
  const event: EventGridEvent = {
    id: item.id as string,
    topic: topicId,
    subject: item.subject as string,
    eventType: item.eventType as string,
    eventTime: item.eventTime,
    data: item.data,
    dataVersion: typeof item.dataVersion === 'string' ? item.dataVersion : '',
    metadataVersion: '1'
  }
  if (event.data === undefined) delete event.data
  return event
}

function requireString (item: Record<string, unknown>, field: string, at: string): void {
  const value = item[field]
  if (typeof value !== 'string' || value === '') {
    const got = value === undefined ? 'is missing' : value === '' ? 'is an empty string' : `must be a non-empty string, got ${show(value)}`
    throw new PublishRejected(400, `${requiresProperty(field)} ${at}.${field} ${got}.`)
  }
}
