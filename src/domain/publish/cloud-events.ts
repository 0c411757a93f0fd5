/**
 * Accepting CloudEvents 1.0 in structured mode (reference §1.2): `application/cloudevents+json` carries one
 * event, `application/cloudevents-batch+json` an array. Extension attributes are kept as published.
 */
import { isPlainObject, type AcceptedEvent, type CloudEvent } from '../events.js'
import { checkBatch, checkEventSize, isDateTime, PublishRejected, show, type PublishLimits } from './rejection.js'

const CONTENT_TYPES = 'The content type header must either be application/cloudevents+json; charset=utf-8 or application/cloudevents-batch+json; charset=UTF-8.'
const CONTEXT_ATTRIBUTES = new Set(['specversion', 'id', 'source', 'type', 'subject', 'time', 'datacontenttype', 'dataschema', 'data', 'data_base64'])
const EXTENSION_NAME = /^[a-z0-9]+$/

/** Azure's wording for a CloudEvents topic's refusals; the emulator's own explanation follows it. */
export const CE_SCHEMA = "This resource is configured for 'CloudEventV10' schema"
export const CE_NOT_CONFORMING = "This resource is configured to receive event in 'CloudEventV10' schema. The JSON received does not conform to the expected schema."

/** Azure names the CloudEvents `type` attribute by its Event Grid name, `eventType`. */
export const requiresProperty = (azureName: string): string => `${CE_SCHEMA} and requires '${azureName}' property to be set.`

export type CloudEventsMode = 'single' | 'batch'

/**
 * Maps a request's content type to the CloudEvents structured mode, or refuses it with 415. Azure also takes
 * `application/json` as one structured event (an array then fails as "Expected: StartObject").
 */
export function cloudEventsMode (contentType: string | undefined): CloudEventsMode {
  const type = (contentType ?? '').split(';')[0]!.trim().toLowerCase()
  if (type === 'application/cloudevents+json' || type === 'application/json') return 'single'
  if (type === 'application/cloudevents-batch+json') return 'batch'
  throw new PublishRejected(415, `The Content-Type header is either missing or it doesn't have a valid value. ${CONTENT_TYPES} Got ${contentType === undefined ? 'no Content-Type' : `'${contentType}'`}; binary content mode needs the ce-id, ce-source, ce-type and ce-specversion headers.`)
}

export function acceptCloudEvents (body: unknown, mode: CloudEventsMode, publishTime: string, limits: PublishLimits): AcceptedEvent[] {
  if (mode === 'single' && Array.isArray(body)) {
    throw new PublishRejected(400, `${CE_NOT_CONFORMING} Token Expected: StartObject, Actual Token Received: StartArray. A single-event content type carries one event object; send an array as application/cloudevents-batch+json.`)
  }
  const items = mode === 'single' ? [body] : checkBatch(body, limits, `${CE_NOT_CONFORMING} application/cloudevents-batch+json`)
  return items.map((item, index) => {
    const at = mode === 'single' ? 'event' : `events[${index}]`
    checkEventSize(item, index, limits, at)
    const ce = readCloudEvent(item, at)
    return accepted(ce, publishTime)
  })
}

export function accepted (ce: CloudEvent, publishTime: string): AcceptedEvent {
  return { inputSchema: 'CloudEventSchemaV1_0', cloudEvent: ce, id: ce.id, type: ce.type, publishTime }
}

/**
 * Validates one structured-mode event. Like Azure, it accepts a `specversion` other than "1.0", a missing
 * `specversion` and an empty or missing `source` (the Azure SDKs' own tests publish such events), and keeps
 * every attribute as published.
 */
function readCloudEvent (item: unknown, at: string): CloudEvent {
  if (!isPlainObject(item)) throw new PublishRejected(400, `${CE_NOT_CONFORMING} ${at} must be a JSON object, got ${show(item)}.`)
  for (const [field, azureName] of [['id', 'id'], ['type', 'eventType']] as const) {
    const value = item[field]
    if (typeof value !== 'string' || value === '') {
      throw new PublishRejected(400, `${requiresProperty(azureName)} ${at}.${field} must be a non-empty string, got ${show(value)}.`)
    }
  }
  for (const field of ['specversion', 'source']) {
    if (item[field] !== undefined && item[field] !== null && typeof item[field] !== 'string') {
      throw new PublishRejected(400, `${CE_SCHEMA}. ${at}.${field} must be a string, got ${show(item[field])}.`)
    }
  }
  if (item.time !== undefined && !isDateTime(item.time)) {
    throw new PublishRejected(400, `${CE_SCHEMA}. ${at}.time must be an RFC 3339 date-time, got ${show(item.time)}.`)
  }
  for (const field of ['subject', 'datacontenttype', 'dataschema', 'data_base64']) {
    if (item[field] !== undefined && typeof item[field] !== 'string') {
      throw new PublishRejected(400, `${CE_SCHEMA}. ${at}.${field} must be a string, got ${show(item[field])}.`)
    }
  }
  if (item.data !== undefined && item.data_base64 !== undefined) {
    throw new PublishRejected(400, `${CE_SCHEMA}. ${at} has both 'data' and 'data_base64'; a CloudEvent carries at most one of them.`)
  }
  for (const name of Object.keys(item)) {
    if (!CONTEXT_ATTRIBUTES.has(name) && !EXTENSION_NAME.test(name)) {
      throw new PublishRejected(400, `${CE_SCHEMA}. ${at} has an invalid extension attribute name '${name}': CloudEvents attribute names use only lower-case letters a-z and digits 0-9.`)
    }
  }
  return item as CloudEvent
}
