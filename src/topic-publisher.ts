/**
 * Publishing to a topic: the back-pressure bound, the input schema's checks (domain/publish), expired
 * subscriptions, the event store and live listeners, then routing to the delivery engine.
 */
import { ACS_TOPIC_TYPE } from './config/types.js'
import type { ResourceLimits } from './config/limits.js'
import type { DeliveryEngine } from './delivery/engine.js'
import type { Clock, IdSource } from './delivery/ports.js'
import { buildSimulatedEvents, type AcsProfile } from './domain/acs/index.js'
import type { AcceptedEvent, EventGridEvent } from './domain/events.js'
import type { HeaderMap } from './domain/publish/cloud-events-binary.js'
import { acceptCustomEvents } from './domain/publish/custom.js'
import { acceptEventGridEvents } from './domain/publish/event-grid.js'
import { PublishRejected, type PublishLimits } from './domain/publish/rejection.js'
import { acceptCloudEventsRequest, requireJsonContentType } from './domain/publish/request-mode.js'
import { throttled } from './errors.js'
import type { EventStore } from './observe/event-store.js'
import type { TopicRuntime } from './scopes.js'
import type { SubscriptionRegistry } from './subscription-registry.js'

export interface PublisherDeps {
  engine: DeliveryEngine
  registry: SubscriptionRegistry
  events: EventStore
  /** Called with every accepted batch, before routing (the live stream). */
  listeners: ReadonlySet<(topic: string, events: readonly AcceptedEvent[]) => void>
  clock: Clock
  newId: IdSource
  limits: PublishLimits
  resourceLimits: ResourceLimits
  /** Throws the 503 publishers get once shutdown has begun. */
  assertAccepting: () => void
  acsProfile: () => AcsProfile
}

export class TopicPublisher {
  constructor (private readonly deps: PublisherDeps) {}

  /**
   * Validates a publish body for the topic's input schema and routes the accepted events. `body` is parsed
   * JSON, or the raw bytes of a body in another media type. `headers` (lower-case names) carry a CloudEvents
   * binary-mode event's `ce-*` attributes.
   */
  publish (topic: TopicRuntime, body: unknown, contentType: string | undefined, headers: HeaderMap = {}): AcceptedEvent[] {
    this.deps.assertAccepting()
    const backlog = topic.subscriptions.backlog()
    const bound = this.deps.resourceLimits.maxPendingEventsPerTopic
    if (backlog >= bound) {
      // Never accept what cannot be held: the publisher is told to come back, as Event Grid does when it throttles.
      throw throttled(`Topic '${topic.name}' has ${backlog} accepted events not yet delivered, the most it holds (limits.maxPendingEventsPerTopic: ${bound}). Retry after the Retry-After interval.`, 1)
    }
    const publishTime = new Date(this.deps.clock.now()).toISOString()
    let accepted: AcceptedEvent[]
    if (topic.inputSchema === 'CloudEventSchemaV1_0') {
      accepted = acceptCloudEventsRequest(body, contentType, headers, publishTime, this.deps.limits).events
    } else {
      requireJsonContentType(contentType, 'topic', topic.inputSchema)
      accepted = topic.inputSchema === 'CustomEventSchema'
        ? acceptCustomEvents(body, topic.config.inputSchemaMapping?.properties ?? {}, { topicId: topic.resourceId, publishTime, limits: this.deps.limits, newId: this.deps.newId })
        : acceptEventGridEvents(body, { topicId: topic.resourceId, publishTime, limits: this.deps.limits })
    }
    this.deps.registry.removeExpired(topic)
    this.deps.events.add(topic.name, accepted)
    for (const l of this.deps.listeners) l(topic.name, accepted)
    this.deps.engine.route(topic.subscriptions, accepted)
    return accepted
  }

  /** Generates synthetic ACS events on a system topic and publishes them through the same pipeline. */
  simulate (topic: TopicRuntime, body: unknown, options: { allowUnknown?: boolean, profile?: AcsProfile }): EventGridEvent[] {
    if (!topic.isSystem) {
      throw new PublishRejected(400, `Topic '${topic.name}' is not an ACS system topic (it has no topicType: ${ACS_TOPIC_TYPE}); /simulate generates ACS events on system topics only.`)
    }
    const events = buildSimulatedEvents(body, { allowUnknown: options.allowUnknown, profile: options.profile ?? this.deps.acsProfile() }, {
      topic: topic.resourceId,
      now: () => new Date(this.deps.clock.now()),
      newGuid: this.deps.newId
    })
    return this.publish(topic, events, 'application/json').map((e) => e.eventGrid!)
  }
}
