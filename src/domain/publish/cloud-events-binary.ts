/**
 * CloudEvents binary content mode (CloudEvents HTTP protocol binding 1.0, §3.1): the context attributes travel
 * as `ce-<name>` headers and the body is the event's data, in any content type. Event Grid accepts it on
 * CloudEvents topics; the event is then delivered like a structured one, extensions included.
 */
import type { AcceptedEvent, CloudEvent } from '../events.js'
import { accepted } from './cloud-events.js'
import { checkEventSize, isDateTime, PublishRejected, show, type PublishLimits } from './rejection.js'

/** The four attributes CloudEvents 1.0 requires, in the order Azure checks them. */
const REQUIRED = ['ce-id', 'ce-source', 'ce-type', 'ce-specversion'] as const
const REQUIRED_HINT = 'Please check required attributes at https://github.com/cloudevents/spec/blob/v1.0/spec.md#required-attributes'
const EXTENSION_NAME = /^[a-z0-9]+$/

export type HeaderMap = Readonly<Record<string, string | string[] | undefined>>

/** The request body as the HTTP layer read it: parsed JSON for JSON media types, raw bytes otherwise. */
export type BinaryBody = { json: unknown } | { bytes: Uint8Array }

/** A request is in binary mode when it carries any of the required `ce-*` headers (header names are lower-case). */
export function isBinaryMode (headers: HeaderMap): boolean {
  return REQUIRED.some((name) => headers[name] !== undefined)
}

export function acceptBinaryCloudEvent (headers: HeaderMap, contentType: string | undefined, body: BinaryBody, publishTime: string, limits: PublishLimits): AcceptedEvent[] {
  const event: Record<string, unknown> = {}
  for (const name of REQUIRED) {
    const value = headerValue(headers, name)
    if (value === undefined) throw invalidHeader(`${name} header is missing for the cloud event. ${REQUIRED_HINT}`)
    if (value === '') throw invalidHeader(`${name} header is empty for the cloud event. ${REQUIRED_HINT}`)
  }
  for (const [header, raw] of Object.entries(headers)) {
    if (!header.startsWith('ce-') || raw === undefined) continue
    const name = header.slice(3)
    if (!EXTENSION_NAME.test(name)) {
      throw invalidHeader(`Header '${header}' does not name a valid CloudEvents attribute: attribute names use only lower-case letters a-z and digits 0-9.`)
    }
    if (name === 'data' || name === 'data_base64' || name === 'datacontenttype') {
      throw invalidHeader(`Header '${header}' is not allowed in binary content mode: the body is the data and Content-Type is its datacontenttype.`)
    }
    event[name] = decodeHeader(headerValue(headers, header)!)
  }
  if (event.time !== undefined && !isDateTime(event.time)) {
    throw invalidHeader(`ce-time header must be an RFC 3339 date-time, got ${show(event.time)}.`)
  }
  if (contentType !== undefined && contentType !== '') event.datacontenttype = contentType
  if ('json' in body) {
    if (body.json !== undefined) event.data = body.json
  } else if (body.bytes.length > 0) {
    // Text stays text; anything else travels base64-encoded, as the JSON event format prescribes for binary data.
    if (isTextual(contentType)) event.data = new TextDecoder().decode(body.bytes)
    else event.data_base64 = Buffer.from(body.bytes).toString('base64')
  }
  checkEventSize(event, 0, limits, 'event')
  return [accepted(event as unknown as CloudEvent, publishTime)]
}

function headerValue (headers: HeaderMap, name: string): string | undefined {
  const value = headers[name]
  return Array.isArray(value) ? value.join(',') : value
}

/** The binding percent-encodes characters outside printable ASCII (§3.1.3.2); a stray `%` is kept as is. */
function decodeHeader (value: string): string {
  try { return decodeURIComponent(value) } catch { return value }
}

function isTextual (contentType: string | undefined): boolean {
  const type = (contentType ?? '').split(';')[0]!.trim().toLowerCase()
  return type.startsWith('text/') || type.endsWith('+xml') || type === 'application/xml'
}

function invalidHeader (message: string): PublishRejected {
  return new PublishRejected(400, message, 'InvalidCloudEventHeader')
}
