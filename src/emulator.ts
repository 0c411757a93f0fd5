/**
 * The emulator's core, independent of HTTP: topics, subscriptions, the publish pipeline, the delivery engine,
 * the handshake runner, the sink and the stores. The composition root (compose.ts) builds it from its parts; the
 * Fastify app (server/build-app.ts) and the in-process API (runtime/running-emulator.ts) drive it.
 */
import { AcsMessaging } from './acs/messaging.js'
import type { ResourceLimits } from './config/limits.js'
import type { DomainConfig, EmulatorConfig, SubscriptionBody } from './config/types.js'
import type { DeliveryEngine, RestoredRetry, ShutdownSummary } from './delivery/engine.js'
import type { HandshakeRunner } from './delivery/handshake.js'
import type { DeadLetterStorage, DeliveryLogStore, SinkStorage } from './delivery/ports.js'
import type { EmulatorParts } from './emulator-parts.js'
import { wireCore } from './emulator-wiring.js'
import { describeSubscription, type SubscriptionRuntime } from './delivery/subscription.js'
import type { AcsProfile } from './domain/acs/index.js'
import type { AcceptedEvent, CloudEvent, EventGridEvent } from './domain/events.js'
import type { HeaderMap } from './domain/publish/cloud-events-binary.js'
import type { DomainEvent } from './domain/publish/domain-events.js'
import type { PublishLimits } from './domain/publish/rejection.js'
import { journalNotWritten, topicNotFound } from './errors.js'
import type { DomainOperations } from './event-domains/domain-operations.js'
import type { DomainRuntime } from './event-domains/domain-runtime.js'
import { Lifecycle, type LifecycleState } from './lifecycle.js'
import type { NamespaceBroker } from './namespaces/broker.js'
import type { NsTopic } from './namespaces/model.js'
import { OutcomeCounters } from './observe/counters.js'
import { EventStore, type StoredEvent } from './observe/event-store.js'
import { replayEvent, type ReplayOptions, type ReplayResult } from './observe/replay.js'
import { allScopes, createTopic, findScope, type TopicRuntime } from './scopes.js'
import type { PutResult, SubscriptionRegistry } from './subscription-registry.js'
import type { TopicPublisher } from './topic-publisher.js'
import { shutDownCore } from './emulator-shutdown.js'

export { createTopic, DEFAULT_SUBSCRIPTION_ID, type TopicRuntime } from './scopes.js'
export type { EmulatorLogger, EmulatorParts, EmulatorStores } from './emulator-parts.js'

export class Emulator {
  readonly topics = new Map<string, TopicRuntime>()
  readonly domains = new Map<string, DomainRuntime>()
  readonly deliveryLog: DeliveryLogStore
  readonly sink: SinkStorage
  readonly deadLetters: DeadLetterStorage
  /** Resource bounds from config `limits` (defaults in config/limits.ts). */
  readonly resourceLimits: ResourceLimits
  readonly limits: PublishLimits
  /** The ACS data plane (SMS, Email, Advanced Messaging) the app under test calls, and its outbox. */
  readonly acs: AcsMessaging
  /** Event Grid namespaces: namespace topics with pull and push subscriptions (src/namespaces). */
  readonly namespaces: NamespaceBroker
  /** The last published events with their delivery attempts (dashboard detail, replay). */
  readonly events = new EventStore()
  /** Decisions per subscription, for the dashboard and the `subscriptions` command. */
  readonly counters: OutcomeCounters
  private readonly publishListeners = new Set<(topic: string, events: readonly AcceptedEvent[]) => void>()
  private readonly engine: DeliveryEngine
  private readonly handshakes: HandshakeRunner
  private readonly registry: SubscriptionRegistry
  private readonly domainOps: DomainOperations
  private readonly publisher: TopicPublisher
  private baseUrl = 'http://127.0.0.1'
  /** Base URLs of the extra listeners (topic, domain, namespace `port:`), kept by the composition root. */
  private portUrls: readonly string[] = []
  private readonly lifecycle = new Lifecycle('the emulator')
  private current: EmulatorConfig

  constructor (config: EmulatorConfig, private readonly deps: EmulatorParts) {
    this.current = config
    const { clock, logger } = deps
    this.limits = deps.limits
    this.resourceLimits = deps.resourceLimits
    this.deliveryLog = deps.stores.deliveryLog
    this.counters = new OutcomeCounters(this.deliveryLog)
    this.sink = deps.stores.sink
    this.deadLetters = deps.stores.deadLetters
    const core = wireCore(config, deps, {
      baseUrl: () => this.baseUrl,
      portUrls: () => this.portUrls,
      config: () => this.current,
      scopeNamed: (name) => this.scopeNamed(name),
      lifecycle: this.lifecycle,
      events: this.events,
      listeners: this.publishListeners,
      domains: this.domains
    })
    this.engine = core.engine
    this.handshakes = core.handshakes
    this.registry = core.registry
    this.domainOps = core.domainOps
    this.publisher = core.publisher
    this.namespaces = core.namespaces
    for (const [name, topic] of Object.entries(config.topics)) {
      const runtime = createTopic(name, topic)
      this.topics.set(name, runtime)
      for (const [subName, body] of Object.entries(topic.subscriptions)) runtime.subscriptions.set(subName, this.registry.create(runtime, subName, body))
    }
    for (const [name, domainConfig] of Object.entries(config.domains ?? {})) this.addDomain(name, domainConfig)
    this.acs = new AcsMessaging({ config, clock, topics: () => this.topics.values(), publish: (name, events) => { this.publish(this.requireTopic(name), events, 'application/json') }, logger })
  }

  /** The config in effect; hot reload (reload/apply-config.ts) replaces it through `replaceConfig`. */
  get config (): EmulatorConfig { return this.current }

  /** Hot reload: the new config in effect (`server` and `delivery` stay as started). */
  replaceConfig (next: EmulatorConfig): void { this.current = { ...next, server: this.current.server, delivery: this.current.delivery } }

  /** Where the core is in its life: Starting (built), Running (listening), Closing, Closed. */
  get state (): LifecycleState { return this.lifecycle.state }

  /** Called once the server listens: endpoint URLs written as paths resolve against it, and handshakes run. */
  start (baseUrl: string): void {
    this.lifecycle.started()
    this.baseUrl = baseUrl.replace(/\/$/, '')
    for (const sub of this.allSubscriptions()) this.registry.validate(sub)
  }

  get url (): string { return this.baseUrl }

  /** Tells the delivery engine which extra ports are this emulator's own (after each port change). */
  setPortUrls (urls: readonly string[]): void { this.portUrls = urls }

  /** The emulator's clock, for checks that must agree with it (SAS expiry, sink timestamps). */
  now (): Date { return new Date(this.deps.clock.now()) }

  topic (name: string): TopicRuntime | undefined { return this.topics.get(name) }

  /** A topic by name, or the 404 Event Grid answers (naming the configured topics). */
  requireTopic (name: string): TopicRuntime {
    const topic = this.topics.get(name)
    if (topic === undefined) throw topicNotFound(name, [...this.topics.keys()])
    return topic
  }

  /** A topic, a domain's domain-scope subscriptions (`<domain>`) or a domain topic (`<domain>/<topic>`), by scope name. */
  scopeNamed (name: string): TopicRuntime | undefined { return findScope(this.topics, this.domains, name) }

  /** Topics, domain scopes and domain topics: everything that holds subscriptions. */
  allScopes (): TopicRuntime[] { return allScopes(this.topics, this.domains) }

  /**
   * Validates a publish body for the topic's input schema and routes the accepted events (topic-publisher.ts).
   * `body` is parsed JSON, or the raw bytes of a body in another media type; `headers` (lower-case names) carry a
   * CloudEvents binary-mode event's `ce-*` attributes.
   */
  publish (topic: TopicRuntime, body: unknown, contentType: string | undefined, headers: HeaderMap = {}): AcceptedEvent[] {
    return this.publisher.publish(topic, body, contentType, headers)
  }

  /** Routes CloudEvents accepted on a namespace topic to its subscriptions' queues and webhooks. */
  publishNamespace (topic: NsTopic, events: CloudEvent[]): void {
    this.lifecycle.assertAccepting()
    this.namespaces.route(topic, events)
  }

  /** Generates synthetic ACS events on a system topic and publishes them through the same pipeline. */
  simulate (topic: TopicRuntime, body: unknown, options: { allowUnknown?: boolean, profile?: AcsProfile }): EventGridEvent[] {
    return this.publisher.simulate(topic, body, options)
  }

  /* ---- subscriptions (subscription-registry.ts) and domains (event-domains/domain-operations.ts) */

  /** Creates or replaces a subscription at runtime; returns problems instead of throwing for bad bodies. */
  putSubscription (topic: TopicRuntime, name: string, body: unknown): PutResult { return this.registry.put(topic, name, body) }
  deleteSubscription (topic: TopicRuntime, name: string): boolean { return this.registry.delete(topic, name) }
  /** Puts a subscription from a (validated) config body into a scope, replacing one of that name (hot reload). */
  attachSubscription (scope: TopicRuntime, name: string, body: SubscriptionBody, why: string): SubscriptionRuntime { return this.registry.attach(scope, name, body, why) }
  /** Removes a subscription, recording its pending work as dropped with `why`; false if there was none. */
  detachSubscription (scope: TopicRuntime, name: string, why: string): boolean { return this.registry.detach(scope, name, why) }
  /** New settings for a live subscription, keeping its pending work (hot reload). */
  reconfigureSubscription (scope: TopicRuntime, sub: SubscriptionRuntime, body: SubscriptionBody): void { this.registry.reconfigure(scope, sub, body) }
  describe (sub: SubscriptionRuntime): Record<string, unknown> { return describeSubscription(sub) }
  /** Re-runs a subscription's validation handshake now (POST /admin/topics/{t}/subscriptions/{s}/validate). */
  async revalidate (sub: SubscriptionRuntime): Promise<void> { await this.registry.revalidate(sub) }
  confirmValidation (token: string): ReturnType<HandshakeRunner['confirm']> { return this.handshakes.confirm(token) }

  addDomain (name: string, config: DomainConfig): DomainRuntime { return this.domainOps.add(name, config) }
  domain (name: string): DomainRuntime | undefined { return this.domains.get(name) }
  publishToDomain (domain: DomainRuntime, body: unknown, contentType: string | undefined, headers: HeaderMap = {}): DomainEvent[] { return this.domainOps.publish(domain, body, contentType, headers) }
  createDomainTopic (domain: DomainRuntime, topic: string): { created: boolean, runtime: TopicRuntime } { return this.domainOps.createTopic(domain, topic) }
  deleteDomainTopic (domain: DomainRuntime, topic: string): boolean { return this.domainOps.deleteTopic(domain, topic) }
  putDomainSubscription (domain: DomainRuntime, topic: string | undefined, name: string, body: unknown): ReturnType<DomainOperations['putSubscription']> { return this.domainOps.putSubscription(domain, topic, name, body) }
  deleteDomainSubscription (domain: DomainRuntime, topic: string | undefined, name: string): boolean { return this.domainOps.deleteSubscription(domain, topic, name) }

  /** Called with every accepted batch of events, before routing (the live stream). Returns the unsubscribe function. */
  onPublish (listener: (topic: string, events: readonly AcceptedEvent[]) => void): () => void {
    this.publishListeners.add(listener)
    return () => { this.publishListeners.delete(listener) }
  }

  /** Redelivers a recorded event to one subscription, or re-publishes it to its topic. */
  replay (stored: StoredEvent, options: ReplayOptions): ReplayResult {
    const topic = this.topics.get(stored.topic)
    if (topic === undefined) return { ok: false, status: 404, message: `Topic '${stored.topic}' no longer exists.` }
    this.lifecycle.assertAccepting()
    return replayEvent(topic, stored, options, {
      now: this.now().toISOString(),
      route: (subs, events) => {
        for (const l of this.publishListeners) l(topic.name, events)
        this.engine.route(subs, events)
      },
      enqueue: (sub, events) => { this.engine.enqueue(sub, events) }
    })
  }

  /** Clears recorded state: waiting events and pending retries, the delivery log, sinks, the dead-letter listing. */
  reset (): void {
    this.engine.reset(this.allSubscriptions())
    this.acs.reset()
    this.namespaces.reset()
    this.deliveryLog.clear()
    this.sink.clear()
    this.deadLetters.clear()
    this.events.clear()
    this.counters.clear()
    this.deps.durable?.reset()
  }

  /**
   * Resolves once every event accepted so far is on disk (durable mode; at once without a data dir). Publish
   * responses wait for it; it rejects when the journal could not be written.
   */
  /** Whether a data dir is in use: only then does a publish wait for durable() before answering. */
  get isDurable (): boolean { return this.deps.durable !== undefined }

  async durable (): Promise<void> {
    const store = this.deps.durable
    if (store === undefined) return
    try {
      await store.durable()
    } catch (err) {
      throw journalNotWritten(store.file, (err as Error).message)
    }
  }

  /** Takes back a batch that was pending when the emulator last stopped (durable mode, before start()). */
  restoreRetry (retry: RestoredRetry): void { this.engine.restoreRetry(retry) }

  get pendingRetries (): number { return this.engine.pendingRetries }
  async idle (): Promise<void> { await this.engine.idle() }

  /** Accepted events of a topic with no final outcome yet (what `limits.maxPendingEventsPerTopic` bounds). */
  backlog (topic: TopicRuntime): number { return this.engine.backlogOf(topic.subscriptions.values()) }

  /**
   * Refuses new events, records what was not sent, lets in-flight deliveries finish within `graceMs`, then cuts
   * them. Resolves when every accepted event has its final record; a second call waits for the first.
   */
  async close (graceMs = 10_000): Promise<ShutdownSummary> {
    return await this.lifecycle.close(async () => await shutDownCore({
      graceMs,
      transport: this.deps.transport,
      durable: this.deps.durable,
      acs: this.acs,
      namespaces: this.namespaces,
      engine: this.engine,
      subscriptions: this.allSubscriptions()
    }))
  }

  private allSubscriptions (): SubscriptionRuntime[] {
    return this.allScopes().flatMap((t) => [...t.subscriptions.values()])
  }
}
