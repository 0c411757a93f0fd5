/**
 * Accepting events published in the Event Grid schema (reference §1.2, §1.5): validate each event, then
 * stamp `topic`, `metadataVersion` and `dataVersion` as the service does.
 */
import { isPlainObject, type AcceptedEvent, type EventGridEvent } from '../events.js'
import { checkBatch, checkEventSize, isDateTime, PublishRejected, show, type PublishLimits } from './rejection.js'

export interface AcceptContext { topicId: string, publishTime: string, limits: PublishLimits }

const SCHEMA_HINT = "This resource is configured to receive event in 'EventGridEvent' schema."

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
  requireString(item, 'id', at, true)
  requireString(item, 'subject', at, false)
  requireString(item, 'eventType', at, true)
  if (!isDateTime(item.eventTime)) {
    throw new PublishRejected(400, `${SCHEMA_HINT} ${at}.eventTime must be an ISO-8601 date-time such as 2024-05-01T12:00:00Z, got ${show(item.eventTime)}.`)
  }
  if (item.dataVersion !== undefined && item.dataVersion !== null && typeof item.dataVersion !== 'string') {
    throw new PublishRejected(400, `${SCHEMA_HINT} ${at}.dataVersion must be a string, got ${show(item.dataVersion)}.`)
  }
  if (item.metadataVersion !== undefined && item.metadataVersion !== null && item.metadataVersion !== '1') {
    throw new PublishRejected(400, `${SCHEMA_HINT} ${at}.metadataVersion must be "1" or absent, got ${show(item.metadataVersion)}.`)
  }
  if (item.topic !== undefined && item.topic !== null && (typeof item.topic !== 'string' || item.topic.toLowerCase() !== topicId.toLowerCase())) {
    throw new PublishRejected(400, `${SCHEMA_HINT} ${at}.topic must be absent or equal this topic's resource id '${topicId}', got ${show(item.topic)}.`)
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

function requireString (item: Record<string, unknown>, field: string, at: string, nonEmpty: boolean): void {
  const value = item[field]
  if (typeof value !== 'string' || (nonEmpty && value === '')) {
    throw new PublishRejected(400, `${SCHEMA_HINT} ${at}.${field} is required and must be a ${nonEmpty ? 'non-empty ' : ''}string, got ${show(value)}.`)
  }
}
