/**
 * What a webhook receives for a batch of events: the body in the subscription's delivery schema and
 * Event Grid's headers (reference §5.1, §2.4, §3.5).
 */
import { toCloudEvent } from '../convert.js'
import type { AcceptedEvent, DeliverySchema } from '../events.js'
import { valueAt } from '../json-path.js'

export interface AttributeMapping {
  name: string
  type: 'Static' | 'Dynamic'
  properties: { value?: string, isSecret?: boolean, sourceField?: string }
}

export interface OutboundSettings {
  subscriptionName: string
  deliverySchema: DeliverySchema
  /** CloudEvents go as a JSON array only when the subscription batches; otherwise one object per request. */
  batching: boolean
  attributeMappings: readonly AttributeMapping[]
}

export interface OutboundMessage { headers: Record<string, string>, body: string }

/** The event as it is delivered in the given schema. */
export function renderEvent (event: AcceptedEvent, schema: DeliverySchema): Record<string, unknown> {
  switch (schema) {
    case 'CloudEventSchemaV1_0':
      return (event.cloudEvent ?? toCloudEvent(event.eventGrid!)) as Record<string, unknown>
    case 'CustomInputSchema':
      return event.custom!
    default:
      return event.eventGrid as unknown as Record<string, unknown>
  }
}

/**
 * The request for a batch. `body`, when given, is the body this batch was already sent with (a retry) or that
 * wireBody() joined from the events' serialisations made while sizing the batch: events are serialised once.
 */
export function buildOutbound (events: readonly AcceptedEvent[], settings: OutboundSettings, priorAttempts: number, body?: string): OutboundMessage {
  const schema = settings.deliverySchema
  // Events are rendered only for what needs them: the body when it was not made while batching, and mappings.
  const first = events[0]
  // Custom headers first so the aeg-* headers below can never be overridden by a mapping.
  const headers: Record<string, string> = settings.attributeMappings.length > 0
    ? attributeHeaders(settings.attributeMappings, first !== undefined ? renderEvent(first, schema) : {})
    : {}
  if (schema === 'CloudEventSchemaV1_0') {
    const asArray = settings.batching
    headers['content-type'] = asArray ? 'application/cloudevents-batch+json; charset=utf-8' : 'application/cloudevents+json; charset=utf-8'
    body ??= JSON.stringify(asArray ? renderAll(events, schema) : renderAll(events, schema)[0])
    headers['aeg-metadata-version'] = '1.0'
    // Observed on CloudEvents deliveries (the CloudEvents webhook spec's sender origin).
    headers.origin = 'eventgrid.azure.net'
  } else {
    headers['content-type'] = 'application/json; charset=utf-8'
    body ??= JSON.stringify(renderAll(events, schema))
    headers['aeg-metadata-version'] = '1'
    // dataVersion is any string the publisher chose; one that cannot be a header value (CR/LF, characters beyond
    // Latin-1) would make every attempt fail before it leaves, so the header is sent empty instead (the body keeps it).
    const dataVersion = events[0]?.eventGrid?.dataVersion ?? ''
    headers['aeg-data-version'] = isHeaderValue(dataVersion) ? dataVersion : ''
  }
  headers['aeg-event-type'] = 'Notification'
  headers['aeg-subscription-name'] = settings.subscriptionName.toUpperCase()
  headers['aeg-delivery-count'] = String(priorAttempts)
  return { headers, body }
}

function renderAll (events: readonly AcceptedEvent[], schema: DeliverySchema): Array<Record<string, unknown>> {
  return events.map((e) => renderEvent(e, schema))
}

/**
 * The body buildOutbound() would make, from each rendered event's JSON.stringify() (the texts batching measured):
 * an array joins its elements' texts with commas, exactly as JSON.stringify does.
 */
export function wireBody (parts: readonly string[], deliverySchema: DeliverySchema, batching: boolean): string {
  if (deliverySchema === 'CloudEventSchemaV1_0' && !batching) return parts[0]!
  return `[${parts.join(',')}]`
}

/**
 * Static and dynamic delivery attributes; a dynamic field that is missing, not a scalar, or not a valid header
 * value (control characters such as CR/LF, characters beyond Latin-1) adds no header — sending it would make
 * every attempt fail before it leaves.
 */
export function attributeHeaders (mappings: readonly AttributeMapping[], event: Record<string, unknown>): Record<string, string> {
  const headers: Record<string, string> = {}
  for (const m of mappings) {
    if (m.type === 'Static') {
      if (m.properties.value !== undefined) headers[m.name] = m.properties.value
      continue
    }
    const value = readPath(event, m.properties.sourceField ?? '')
    if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') {
      const text = String(value)
      if (isHeaderValue(text)) headers[m.name] = text
    }
  }
  return headers
}

/** RFC 9110 field-value characters: visible Latin-1, space and tab; no CR, LF, NUL or other controls. */
export function isHeaderValue (value: string): boolean {
  return /^[\t\x20-\x7e\x80-\xff]*$/.test(value)
}

/** RFC 9110 `token`, the syntax of a header name. */
export function isHeaderName (name: string): boolean {
  return /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/.test(name)
}

/** `data.a.b` lookup: exact property names first, then case-insensitive (as Event Grid's keys are). */
export function readPath (root: unknown, path: string): unknown {
  return valueAt(root, path, { caseInsensitive: true, objectsOnly: true })
}
