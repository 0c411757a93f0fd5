/**
 * How a publish request's Content-Type and `ce-*` headers decide the way its body is read. Shared by topics and
 * event domains, because Azure's domain endpoint is a publish endpoint like a topic's: the same CloudEvents modes,
 * leniencies, limits and 415s apply to both, and only what happens to the accepted events differs.
 */
import type { AcceptedEvent } from '../events.js'
import { acceptBinaryCloudEvent, isBinaryMode, type HeaderMap } from './cloud-events-binary.js'
import { acceptCloudEvents, cloudEventsMode } from './cloud-events.js'
import { PublishRejected, type PublishLimits } from './rejection.js'

/**
 * The events of a request to a CloudEvents endpoint: binary mode (one event from `ce-*` headers) or structured
 * mode by Content-Type. `single` says whether messages name the event `event` rather than `events[i]`.
 */
export function acceptCloudEventsRequest (body: unknown, contentType: string | undefined, headers: HeaderMap, publishTime: string, limits: PublishLimits): { events: AcceptedEvent[], single: boolean } {
  if (isBinaryMode(headers) && !isStructuredCloudEvents(contentType)) {
    const data = body instanceof Uint8Array ? { bytes: body } : { json: body }
    return { events: acceptBinaryCloudEvent(headers, contentType, data, publishTime, limits), single: true }
  }
  const mode = cloudEventsMode(contentType)
  return { events: acceptCloudEvents(body, mode, publishTime, limits), single: mode === 'single' }
}

/** Event Grid and custom schemas take JSON only; `what` is e.g. `topic` or `domain`, for the message. */
export function requireJsonContentType (contentType: string | undefined, what: 'topic' | 'domain', inputSchema: string): void {
  if (/^application\/json\s*(;|$)/i.test(contentType ?? '')) return
  throw new PublishRejected(415, `The Content-Type header must be application/json for a ${what} with input schema ${inputSchema}, got ${contentType === undefined ? 'none' : `'${contentType}'`}.`)
}

/** The CloudEvents media types mean structured mode even when `ce-*` headers are present (HTTP binding §3.1). */
function isStructuredCloudEvents (contentType: string | undefined): boolean {
  return /^application\/cloudevents(-batch)?\+json\s*(;|$)/i.test(contentType ?? '')
}
