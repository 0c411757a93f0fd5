/**
 * Accepting a publish request on an event domain: the domain's input schema decides how events are read (as on a
 * topic), and each event's domain topic comes from `topic` (Event Grid schema), `source` (CloudEvents) or the
 * custom mapping's `topic` field. Event Grid and custom events are stamped with the domain topic's resource id.
 */
import { isPlainObject, type AcceptedEvent, type InputSchema } from '../events.js'
import type { HeaderMap } from './cloud-events-binary.js'
import { acceptCustomEvents, type CustomMapping } from './custom.js'
import { domainTopicId, resolveDomainTopic } from './domain-topic.js'
import { acceptEventGridEvents } from './event-grid.js'
import { checkBatch, type PublishLimits } from './rejection.js'
import { acceptCloudEventsRequest, requireJsonContentType } from './request-mode.js'

export interface DomainPublishContext {
  domainResourceId: string
  inputSchema: InputSchema
  mapping: CustomMapping
  /** The request's Content-Type and (lower-case) headers: they pick the CloudEvents mode, as on a topic. */
  contentType: string | undefined
  headers: HeaderMap
  publishTime: string
  limits: PublishLimits
  newId: () => string
}

/** One accepted event and the (short) name of the domain topic it was published to. */
export interface DomainEvent { domainTopic: string, event: AcceptedEvent }

export function acceptDomainEvents (body: unknown, ctx: DomainPublishContext): DomainEvent[] {
  const { domainResourceId, publishTime, limits } = ctx
  if (ctx.inputSchema === 'CloudEventSchemaV1_0') {
    // Binary mode, structured mode and their leniencies exactly as on a CloudEvents topic.
    const { events, single } = acceptCloudEventsRequest(body, ctx.contentType, ctx.headers, publishTime, limits)
    // `source` selects the domain topic and is delivered as published.
    return events.map((event, i) => ({ domainTopic: resolveDomainTopic(event.cloudEvent!.source, domainResourceId, 'source', single ? 'event' : `events[${i}]`), event }))
  }
  requireJsonContentType(ctx.contentType, 'domain', ctx.inputSchema)
  if (ctx.inputSchema === 'CustomEventSchema') {
    const field = ctx.mapping.topic?.sourceField ?? 'topic'
    const events = acceptCustomEvents(body, ctx.mapping, { topicId: domainResourceId, publishTime, limits, newId: ctx.newId })
    return events.map((event, i) => {
      const domainTopic = resolveDomainTopic(event.custom![field], domainResourceId, field, `events[${i}]`)
      event.eventGrid!.topic = domainTopicId(domainResourceId, domainTopic)
      return { domainTopic, event }
    })
  }
  // Event Grid schema: the topic is read here, then the rest of the event is checked as on a topic.
  const items = checkBatch(body, limits, "This resource is configured to receive event in 'EventGridEvent' schema. It")
  const names = items.map((item, i) => isPlainObject(item) ? resolveDomainTopic(item.topic, domainResourceId, 'topic', `events[${i}]`) : '')
  const stripped = items.map((item) => {
    if (!isPlainObject(item)) return item
    const { topic: _topic, ...rest } = item
    return rest
  })
  return acceptEventGridEvents(stripped, { topicId: domainResourceId, publishTime, limits }).map((event, i) => {
    event.eventGrid!.topic = domainTopicId(domainResourceId, names[i]!)
    return { domainTopic: names[i]!, event }
  })
}
