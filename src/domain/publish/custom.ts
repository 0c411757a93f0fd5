/**
 * Accepting events in a custom input schema (reference §1.2, §2.4): any JSON objects, mapped to an Event Grid
 * envelope through the topic's `inputSchemaMapping`. The envelope's `data` is the whole original object.
 */
import { isPlainObject, type AcceptedEvent, type EventGridEvent } from '../events.js'
import { checkBatch, checkEventSize, isDateTime, PublishRejected, show, type PublishLimits } from './rejection.js'

export interface JsonField { sourceField?: string }
export interface JsonFieldWithDefault { sourceField?: string, defaultValue?: string }
export interface CustomMapping {
  id?: JsonField
  topic?: JsonField
  eventTime?: JsonField
  eventType?: JsonFieldWithDefault
  subject?: JsonFieldWithDefault
  dataVersion?: JsonFieldWithDefault
}

export interface CustomContext { topicId: string, publishTime: string, limits: PublishLimits, newId: () => string }

export function acceptCustomEvents (body: unknown, mapping: CustomMapping, ctx: CustomContext): AcceptedEvent[] {
  const items = checkBatch(body, ctx.limits, 'A topic with a custom input schema')
  return items.map((item, index) => {
    checkEventSize(item, index, ctx.limits)
    if (!isPlainObject(item)) throw new PublishRejected(400, `events[${index}] must be a JSON object, got ${show(item)}.`)
    const envelope = mapToEnvelope(item, index, mapping, ctx)
    return { inputSchema: 'CustomEventSchema', eventGrid: envelope, custom: item, id: envelope.id, type: envelope.eventType, publishTime: ctx.publishTime }
  })
}

function mapToEnvelope (item: Record<string, unknown>, index: number, mapping: CustomMapping, ctx: CustomContext): EventGridEvent {
  const read = (field: keyof CustomMapping, fallback: () => string): string => {
    const spec = mapping[field] as JsonFieldWithDefault | undefined
    const source = spec?.sourceField
    const value = source === undefined ? undefined : item[source]
    if (value === undefined || value === null) return spec?.defaultValue ?? fallback()
    if (typeof value !== 'string') {
      throw new PublishRejected(400, `events[${index}].${source!} is mapped to '${field}' and must be a string, got ${show(value)}.`)
    }
    return value
  }
  const eventTime = read('eventTime', () => ctx.publishTime)
  if (!isDateTime(eventTime)) {
    throw new PublishRejected(400, `events[${index}].${mapping.eventTime?.sourceField ?? 'eventTime'} is mapped to 'eventTime' and must be an ISO-8601 date-time, got ${show(eventTime)}.`)
  }
  const eventType = read('eventType', () => '')
  if (eventType === '') {
    throw new PublishRejected(400, `events[${index}] has no value for the mapped eventType field '${mapping.eventType?.sourceField ?? ''}' and the mapping gives no defaultValue.`)
  }
  return {
    id: read('id', ctx.newId),
    topic: ctx.topicId,
    subject: read('subject', () => ''),
    eventType,
    eventTime,
    data: item,
    dataVersion: read('dataVersion', () => ''),
    metadataVersion: '1'
  }
}
