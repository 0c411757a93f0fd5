/**
 * How the core's components are connected: the delivery engine, the handshake runner, the subscription registry,
 * domain operations, the topic publisher and the namespace broker, each given only what it needs of the others.
 * The Emulator's constructor calls this once; the hooks are how components reach the Emulator's own state.
 */
import type { EmulatorConfig } from './config/types.js'
import { DeliveryEngine } from './delivery/engine.js'
import { HandshakeRunner } from './delivery/handshake.js'
import type { AcceptedEvent } from './domain/events.js'
import { durableObserver, runtimeChangeJournal } from './durable/restore.js'
import { deliveryIo, type EmulatorParts } from './emulator-parts.js'
import { DomainOperations } from './event-domains/domain-operations.js'
import type { DomainRuntime } from './event-domains/domain-runtime.js'
import type { Lifecycle } from './lifecycle.js'
import { NamespaceBroker } from './namespaces/broker.js'
import type { EventStore } from './observe/event-store.js'
import type { TopicRuntime } from './scopes.js'
import { SubscriptionRegistry } from './subscription-registry.js'
import { TopicPublisher } from './topic-publisher.js'

export interface CoreHooks {
  baseUrl: () => string
  /** Base URLs of the extra listeners: publish endpoints too, so deliveries must not loop there. */
  portUrls: () => readonly string[]
  /** The config in effect (hot reload replaces it). */
  config: () => EmulatorConfig
  scopeNamed: (name: string) => TopicRuntime | undefined
  lifecycle: Lifecycle
  events: EventStore
  listeners: Set<(topic: string, events: readonly AcceptedEvent[]) => void>
  domains: Map<string, DomainRuntime>
}

export interface CoreComponents {
  engine: DeliveryEngine
  handshakes: HandshakeRunner
  registry: SubscriptionRegistry
  domainOps: DomainOperations
  publisher: TopicPublisher
  namespaces: NamespaceBroker
}

export function wireCore (config: EmulatorConfig, parts: EmulatorParts, hooks: CoreHooks): CoreComponents {
  const { clock, logger, durable, newId, limits, resourceLimits } = parts
  const { deliveryLog, deadLetters } = parts.stores
  const io = deliveryIo(config, parts, hooks.baseUrl)
  const engine = new DeliveryEngine({
    ...io,
    log: deliveryLog,
    deadLetters,
    ownPortUrls: hooks.portUrls,
    random: parts.random,
    onAttempt: (a) => { hooks.events.recordAttempt(a) },
    ...(durable !== undefined ? { observer: durableObserver(durable) } : {})
  })
  const handshakes = new HandshakeRunner({
    ...io,
    resolveUrl: (url) => engine.resolveUrl(url),
    topicId: (topic) => hooks.scopeNamed(topic)?.resourceId ?? topic,
    onSettled: (sub) => { engine.validationSettled(sub) }
  })
  const running = (): boolean => hooks.lifecycle.running
  const assertAccepting = (): void => { hooks.lifecycle.assertAccepting() }
  const onRuntimeChange = durable === undefined ? undefined : runtimeChangeJournal(durable)
  const registry = new SubscriptionRegistry({ engine, handshakes, clock, logger, functionsHostUrl: () => hooks.config().delivery.azureFunctionsHostUrl, running, onRuntimeChange })
  const domainOps = new DomainOperations({ domains: hooks.domains, registry, engine, clock, newId, limits, resourceLimits, assertAccepting, running })
  const publisher = new TopicPublisher({
    engine,
    registry,
    events: hooks.events,
    listeners: hooks.listeners,
    clock,
    newId,
    limits,
    resourceLimits,
    assertAccepting,
    acsProfile: () => hooks.config().acs.profile
  })
  const namespaces = new NamespaceBroker(config.namespaces ?? {}, { ...io, log: deliveryLog, deadLetters })
  return { engine, handshakes, registry, domainOps, publisher, namespaces }
}
