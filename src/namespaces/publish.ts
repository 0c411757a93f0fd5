/**
 * What `POST /topics/{topic}:publish` accepts on a namespace: CloudEvents 1.0 only, structured (one event as
 * application/cloudevents+json, a batch as application/cloudevents-batch+json) or binary mode (`ce-*` headers,
 * the data as the body), within the per-event and per-request limits.
 */
import type { CloudEvent } from '../domain/events.js'
import { acceptCloudEvents, cloudEventsMode } from '../domain/publish/cloud-events.js'
import { PublishRejected, type PublishLimits } from '../domain/publish/rejection.js'

export function acceptNamespaceEvents (body: unknown, rawText: string | undefined, headers: Record<string, string | string[] | undefined>, limits: PublishLimits): CloudEvent[] {
  const contentType = one(headers['content-type'])
  const type = (contentType ?? '').split(';')[0]!.trim().toLowerCase()
  const structured = type === 'application/cloudevents+json' || type === 'application/cloudevents-batch+json'
  if (!structured && one(headers['ce-specversion']) !== undefined) return [binaryEvent(body, rawText, headers, contentType, limits)]
  const publishTime = new Date(0).toISOString() // unused by namespaces: the queue stamps its own times
  return acceptCloudEvents(body, cloudEventsMode(contentType), publishTime, limits).map((e) => e.cloudEvent!)
}

/** Binary content mode: context attributes in `ce-` headers, the body is the data (reference §8). */
function binaryEvent (body: unknown, rawText: string | undefined, headers: Record<string, string | string[] | undefined>, contentType: string | undefined, limits: PublishLimits): CloudEvent {
  const event: Record<string, unknown> = {}
  for (const [name, value] of Object.entries(headers)) {
    if (!name.startsWith('ce-') || value === undefined) continue
    event[name.slice(3)] = one(value)
  }
  if (contentType !== undefined) event.datacontenttype = contentType
  const data = rawText ?? body
  if (data !== undefined && data !== '') event.data = data
  // Same attribute rules as structured mode, so a bad ce-id gets the same message.
  const [accepted] = acceptCloudEvents(event, 'single', new Date(0).toISOString(), limits)
  if (Buffer.byteLength(typeof data === 'string' ? data : JSON.stringify(data ?? null)) > limits.maxEventBytes) {
    throw new PublishRejected(413, `The event is larger than ${limits.maxEventBytes} bytes, the most one event may carry.`)
  }
  return accepted!.cloudEvent!
}

function one (v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v[0] : v
}
