/**
 * Accepting CloudEvents 1.0 in structured mode (reference §1.2): `application/cloudevents+json` carries one
 * event, `application/cloudevents-batch+json` an array. Extension attributes are kept as published.
 */
import { isPlainObject, type AcceptedEvent, type CloudEvent } from '../events.js'
import { checkBatch, checkEventSize, isDateTime, PublishRejected, show, type PublishLimits } from './rejection.js'

const SCHEMA_HINT = "This resource is configured for 'CloudEventV10' schema."
const CONTENT_TYPES = 'The content type header must either be application/cloudevents+json; charset=utf-8 or application/cloudevents-batch+json; charset=UTF-8.'
const CONTEXT_ATTRIBUTES = new Set(['specversion', 'id', 'source', 'type', 'subject', 'time', 'datacontenttype', 'dataschema', 'data', 'data_base64'])
const EXTENSION_NAME = /^[a-z0-9]+$/

export type CloudEventsMode = 'single' | 'batch'

/** Maps a request's content type to the CloudEvents structured mode, or refuses it with 415. */
export function cloudEventsMode (contentType: string | undefined): CloudEventsMode {
  const type = (contentType ?? '').split(';')[0]!.trim().toLowerCase()
  if (type === 'application/cloudevents+json') return 'single'
  if (type === 'application/cloudevents-batch+json') return 'batch'
  throw new PublishRejected(415, `The Content-Type header is either missing or it doesn't have a valid value (got ${contentType === undefined ? 'none' : `'${contentType}'`}). ${CONTENT_TYPES}`)
}

export function acceptCloudEvents (body: unknown, mode: CloudEventsMode, publishTime: string, limits: PublishLimits): AcceptedEvent[] {
  if (mode === 'single' && Array.isArray(body)) {
    throw new PublishRejected(400, `${SCHEMA_HINT} application/cloudevents+json carries one event object; send an array as application/cloudevents-batch+json.`)
  }
  const items = mode === 'single' ? [body] : checkBatch(body, limits, `${SCHEMA_HINT} application/cloudevents-batch+json`)
  return items.map((item, index) => {
    checkEventSize(item, index, limits)
    const ce = toCloudEvent(item, mode === 'single' ? 'event' : `events[${index}]`)
    return { inputSchema: 'CloudEventSchemaV1_0', cloudEvent: ce, id: ce.id, type: ce.type, publishTime }
  })
}

function toCloudEvent (item: unknown, at: string): CloudEvent {
  if (!isPlainObject(item)) throw new PublishRejected(400, `${SCHEMA_HINT} ${at} must be a JSON object, got ${show(item)}.`)
  if (item.specversion !== '1.0') {
    throw new PublishRejected(400, `${SCHEMA_HINT} ${at}.specversion must be "1.0", got ${show(item.specversion)}.`)
  }
  for (const field of ['id', 'source', 'type']) {
    const value = item[field]
    if (typeof value !== 'string' || value === '') {
      throw new PublishRejected(400, `${SCHEMA_HINT} It requires '${field}' property to be set: ${at}.${field} must be a non-empty string, got ${show(value)}.`)
    }
  }
  if (item.time !== undefined && !isDateTime(item.time)) {
    throw new PublishRejected(400, `${SCHEMA_HINT} ${at}.time must be an RFC 3339 date-time, got ${show(item.time)}.`)
  }
  for (const field of ['subject', 'datacontenttype', 'dataschema', 'data_base64']) {
    if (item[field] !== undefined && typeof item[field] !== 'string') {
      throw new PublishRejected(400, `${SCHEMA_HINT} ${at}.${field} must be a string, got ${show(item[field])}.`)
    }
  }
  if (item.data !== undefined && item.data_base64 !== undefined) {
    throw new PublishRejected(400, `${SCHEMA_HINT} ${at} has both 'data' and 'data_base64'; a CloudEvent carries at most one of them.`)
  }
  for (const name of Object.keys(item)) {
    if (!CONTEXT_ATTRIBUTES.has(name) && !EXTENSION_NAME.test(name)) {
      throw new PublishRejected(400, `${SCHEMA_HINT} ${at} has an invalid extension attribute name '${name}': CloudEvents attribute names use only lower-case letters a-z and digits 0-9.`)
    }
  }
  return item as CloudEvent
}
