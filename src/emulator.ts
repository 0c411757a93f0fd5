/**
 * The emulator's core, independent of HTTP: topics, subscriptions, the publish pipeline, the delivery engine,
 * the validator, the sink and the stores. The Fastify app (server/build-app.ts) and the public API (index.ts)
 * both drive this object.
 */
import { badRequest, journalNotWritten, throttled } from './errors.js'
import type { ResourceLimits } from './config/limits.js'
import { ACS_TOPIC_TYPE, type EmulatorConfig, type SubscriptionBody, type TopicConfig } from './config/types.js'
import { validateSubscriptionBody } from './config/validate-subscription.js'
import { acsTopicId, buildSimulatedEvents, listAcsEventTypes, type AcsProfile } from './domain/acs/index.js'
import type { AcceptedEvent, CloudEvent, EventGridEvent, InputSchema } from './domain/events.js'
import { formatPath } from './domain/problems.js'
import type { HeaderMap } from './domain/publish/cloud-events-binary.js'
import { acceptCustomEvents } from './domain/publish/custom.js'
import { acceptEventGridEvents } from './domain/publish/event-grid.js'
import { PublishRejected, type PublishLimits } from './domain/publish/rejection.js'
import { acceptCloudEventsRequest, requireJsonContentType } from './domain/publish/request-mode.js'
import { DeliveryEngine, type RestoredRetry, type ShutdownSummary } from './delivery/engine.js'
import type { Clock, DeadLetterStorage, DeliveryLogStore, IdSource, SinkStorage, Transport } from './delivery/ports.js'
import { createSubscription, describeSubscription, type SubscriptionRuntime } from './delivery/subscription.js'
import { Validator } from './delivery/validation.js'
import { acceptDomainEvents, type DomainEvent } from './domain/publish/domain-events.js'
import { DOMAIN_LIMITS } from './domain/publish/domain-topic.js'
import { createDomain, createDomainTopic, findDomainTopic, type DomainRuntime } from './event-domains/domain-runtime.js'
import { AcsMessaging } from './acs/messaging.js'
import { NamespaceBroker } from './namespaces/broker.js'
import type { NsTopic } from './namespaces/model.js'
import { MAX_JSON_DEPTH, valueDepthExceeds } from './domain/json-depth.js'
import { OutcomeCounters } from './observe/counters.js'
import { EventStore, type StoredEvent } from './observe/event-store.js'
import { replayEvent, type ReplayOptions, type ReplayResult } from './observe/replay.js'
import { Lifecycle, type LifecycleState } from './lifecycle.js'
import type { DurableStore } from './durable/durable-store.js'
import { durableObserver } from './durable/restore.js'

export interface TopicRuntime {
  readonly name: string
  readonly config: TopicConfig
  readonly resourceId: string
  readonly inputSchema: InputSchema
  readonly isSystem: boolean
  readonly keys: readonly string[]
  readonly subscriptions: Map<string, SubscriptionRuntime>
  /** Set on a domain's scopes: the domain's name (its keys and endpoint are the domain's). */
  readonly domain?: string
}

export interface EmulatorLogger {
  info: (o: object, m: string) => void
  warn: (o: object, m: string) => void
  error: (o: object, m: string) => void
  debug?: (o: object, m: string) => void
  isLevelEnabled?: (level: string) => boolean
}

/** The stores records are kept in (interfaces in delivery/ports.ts; the composition root picks them). */
export interface EmulatorStores {
  deliveryLog: DeliveryLogStore
  deadLetters: DeadLetterStorage
  sink: SinkStorage
}

/** Everything the core uses from outside, chosen by the composition root (src/compose.ts). */
export interface EmulatorParts {
  clock: Clock
  transport: Transport
  /** Where lifecycle logs go (validation, retries, dead letters, drops). */
  logger: EmulatorLogger
  stores: EmulatorStores
  /** Resource bounds from config `limits` (config/limits.ts). */
  resourceLimits: ResourceLimits
  limits: PublishLimits
  /** Response timeout for deliveries and handshakes, in ms (Event Grid: 30 s). */
  deliveryTimeoutMs: number
  /** Source of ids the emulator makes up (events, handshake codes and tokens). */
  newId: IdSource
  random?: () => number
  /** Durable mode (a data dir): the journal that accepted events, outcomes and runtime subscriptions go to. */
  durable?: DurableStore
}

export const DEFAULT_SUBSCRIPTION_ID = '00000000-0000-0000-0000-000000000000'

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
  private readonly validator: Validator
  private baseUrl = 'http://127.0.0.1'
  /** Base URLs of the extra listeners (topic, domain, namespace `port:`), kept by the composition root. */
  private portUrls: readonly string[] = []
  private readonly lifecycle = new Lifecycle('the emulator')
  /** Where lifecycle logs go (validation, retries, dead letters, drops): the composition root's logger. */
  private readonly log: EmulatorLogger

  /** The config in effect; hot reload (reload/apply-config.ts) replaces it, except `server` and `delivery`. */
  config: EmulatorConfig

  /** Built by the composition root (compose.ts), which chooses every part. */
  constructor (config: EmulatorConfig, private readonly deps: EmulatorParts) {
    this.config = config
    const logger = deps.logger
    this.log = logger
    this.limits = deps.limits
    this.resourceLimits = deps.resourceLimits
    this.deliveryLog = deps.stores.deliveryLog
    this.counters = new OutcomeCounters(this.deliveryLog)
    this.sink = deps.stores.sink
    this.deadLetters = deps.stores.deadLetters
    const timeoutMs = deps.deliveryTimeoutMs
    // What the delivery engine, the validator and the namespace broker all need from the outside.
    const io = { clock: deps.clock, transport: deps.transport, newId: deps.newId, timeScale: config.delivery.timeScale, timeoutMs, baseUrl: () => this.baseUrl, logger }
    this.engine = new DeliveryEngine({
      ...io,
      log: this.deliveryLog,
      deadLetters: this.deadLetters,
      ownPortUrls: () => this.portUrls,
      random: deps.random,
      onAttempt: (a) => { this.events.recordAttempt(a) },
      ...(deps.durable !== undefined ? { observer: durableObserver(deps.durable) } : {})
    })
    this.validator = new Validator({
      ...io,
      resolveUrl: (url) => this.engine.resolveUrl(url),
      topicId: (topic) => this.scopeNamed(topic)?.resourceId ?? topic,
      onSettled: (sub) => { this.engine.validationSettled(sub) }
    })
    this.namespaces = new NamespaceBroker(config.namespaces ?? {}, { ...io, log: this.deliveryLog, deadLetters: this.deadLetters })
    for (const [name, topic] of Object.entries(config.topics)) {
      const runtime = createTopic(name, topic)
      this.topics.set(name, runtime)
      for (const [subName, body] of Object.entries(topic.subscriptions)) {
        runtime.subscriptions.set(subName, createSubscription(name, subName, body, runtime.inputSchema, config.delivery.azureFunctionsHostUrl))
      }
    }
    for (const [name, domainConfig] of Object.entries(config.domains ?? {})) this.addDomain(name, domainConfig)
    this.acs = new AcsMessaging({
      config,
      clock: deps.clock,
      topics: () => this.topics.values(),
      publish: (name, events) => { this.publish(this.topics.get(name)!, events, 'application/json') },
      logger
    })
  }

  /** Creates a domain with its domain-scope subscriptions and configured domain topics (validated once started). */
  addDomain (name: string, config: NonNullable<EmulatorConfig['domains']>[string]): DomainRuntime {
    const domain = createDomain(name, config)
    this.domains.set(name, domain)
    const add = (scope: TopicRuntime, subs: Record<string, SubscriptionBody>): void => {
      for (const [subName, body] of Object.entries(subs)) {
        scope.subscriptions.set(subName, createSubscription(scope.name, subName, body, domain.inputSchema, this.config.delivery.azureFunctionsHostUrl))
      }
    }
    add(domain.scope, config.subscriptions)
    for (const [topicName, topic] of Object.entries(config.topics)) add(createDomainTopic(domain, topicName), topic.subscriptions)
    if (this.lifecycle.running) for (const scope of [domain.scope, ...domain.topics.values()]) for (const sub of scope.subscriptions.values()) this.validate(sub)
    return domain
  }

  domain (name: string): DomainRuntime | undefined { return this.domains.get(name) }

  /**
   * Puts a subscription from a (validated) config body into a scope, replacing one of that name (its pending work
   * is recorded as dropped with `why`), and starts its handshake once the emulator runs. Used by hot reload.
   */
  attachSubscription (scope: TopicRuntime, name: string, body: SubscriptionBody, why: string): SubscriptionRuntime {
    this.detachSubscription(scope, name, why)
    const sub = this.newSubscription(scope, name, body)
    scope.subscriptions.set(name, sub)
    if (this.lifecycle.running) this.validate(sub)
    return sub
  }

  /** Removes a subscription, recording its pending work as dropped with `why`; false if there was none. */
  detachSubscription (scope: TopicRuntime, name: string, why: string): boolean {
    const sub = scope.subscriptions.get(name)
    if (sub === undefined) return false
    this.engine.detach(sub, why)
    scope.subscriptions.delete(name)
    return true
  }

  /** A subscription runtime for a body in a scope (not attached, not validated). */
  newSubscription (scope: TopicRuntime, name: string, body: SubscriptionBody): SubscriptionRuntime {
    return createSubscription(scope.name, name, body, scope.inputSchema, this.config.delivery.azureFunctionsHostUrl)
  }

  /** A topic, a domain's domain-scope subscriptions (`<domain>`) or a domain topic (`<domain>/<topic>`), by scope name. */
  scopeNamed (name: string): TopicRuntime | undefined {
    const topic = this.topics.get(name)
    if (topic !== undefined) return topic
    const [domainName, topicName] = name.split('/', 2)
    const domain = this.domains.get(domainName ?? '')
    if (domain === undefined) return undefined
    return topicName === undefined ? domain.scope : domain.topics.get(topicName)
  }

  /**
   * Publishes to an event domain: each event goes to its domain topic's subscriptions and to the domain-scope
   * subscriptions. A domain topic that does not exist (no subscription created it) still reaches the latter.
   * `body`, `contentType` and `headers` are read exactly as for `publish` (binary mode included).
   */
  publishToDomain (domain: DomainRuntime, body: unknown, contentType: string | undefined, headers: HeaderMap = {}): DomainEvent[] {
    this.lifecycle.assertAccepting()
    // The same bound as a topic's, over the whole domain (its domain-scope and every domain topic's subscriptions).
    const backlog = this.engine.backlogOf([domain.scope, ...domain.topics.values()].flatMap((s) => [...s.subscriptions.values()]))
    const bound = this.resourceLimits.maxPendingEventsPerTopic
    if (backlog >= bound) {
      throw throttled(`Domain '${domain.name}' has ${backlog} accepted events not yet delivered, the most it holds (limits.maxPendingEventsPerTopic: ${bound}). Retry after the Retry-After interval.`, 1)
    }
    const publishTime = new Date(this.deps.clock.now()).toISOString()
    const accepted = acceptDomainEvents(body, {
      domainResourceId: domain.resourceId,
      inputSchema: domain.inputSchema,
      mapping: domain.config.inputSchemaMapping?.properties ?? {},
      contentType,
      headers,
      publishTime,
      limits: this.limits,
      newId: this.deps.newId
    })
    const byTopic = new Map<string, AcceptedEvent[]>()
    for (const { domainTopic, event } of accepted) {
      const key = findDomainTopic(domain, domainTopic)?.name ?? domainTopic
      const list = byTopic.get(key)
      if (list === undefined) byTopic.set(key, [event])
      else list.push(event)
    }
    this.removeExpired(domain.scope)
    for (const [topicName, events] of byTopic) {
      const topic = domain.topics.get(topicName)
      if (topic !== undefined) this.removeExpired(topic)
      this.engine.route([...(topic?.subscriptions.values() ?? []), ...domain.scope.subscriptions.values()], events)
    }
    return accepted
  }

  /** Creates a domain topic explicitly (Azure allows it in both creation modes); false if it already exists. */
  createDomainTopic (domain: DomainRuntime, topic: string): { created: boolean, runtime: TopicRuntime } {
    const found = findDomainTopic(domain, topic)
    if (found !== undefined) return { created: false, runtime: found.runtime }
    if (domain.topics.size >= DOMAIN_LIMITS.topicsPerDomain) {
      throw new PublishRejected(400, `Domain '${domain.name}' already has ${domain.topics.size} domain topics; Event Grid allows at most ${DOMAIN_LIMITS.topicsPerDomain}.`)
    }
    return { created: true, runtime: createDomainTopic(domain, topic) }
  }

  /** Deletes a domain topic and its subscriptions (their pending events are recorded as dropped). */
  deleteDomainTopic (domain: DomainRuntime, topic: string): boolean {
    const found = findDomainTopic(domain, topic)
    if (found === undefined) return false
    for (const sub of found.runtime.subscriptions.values()) this.engine.detach(sub, `domain topic '${found.name}' was deleted`)
    domain.topics.delete(found.name)
    return true
  }

  /**
   * PUT of a domain-scope subscription (`topic` undefined) or a domain-topic subscription. A missing domain topic
   * is created when autoCreateTopicWithFirstSubscription is on (Azure's default), else the PUT gets a 404.
   */
  putDomainSubscription (domain: DomainRuntime, topic: string | undefined, name: string, body: unknown): ReturnType<Emulator['putSubscription']> | { ok: false, notFound: string } {
    if (topic === undefined) {
      if (!domain.scope.subscriptions.has(name) && domain.scope.subscriptions.size >= DOMAIN_LIMITS.domainScopeSubscriptions) {
        return { ok: false, problems: [`(body): domain '${domain.name}' already has ${domain.scope.subscriptions.size} domain-scope subscriptions; Event Grid allows at most ${DOMAIN_LIMITS.domainScopeSubscriptions}`] }
      }
      return this.putSubscription(domain.scope, name, body)
    }
    let found = findDomainTopic(domain, topic)
    let created = false
    if (found === undefined) {
      if (!domain.autoCreate) {
        return { ok: false, notFound: `Domain topic '${topic}' does not exist in domain '${domain.name}', and autoCreateTopicWithFirstSubscription is false: create it first (PUT /admin/domains/${domain.name}/topics/${topic} or domains.${domain.name}.topics.${topic} in the config).` }
      }
      found = { name: topic, runtime: this.createDomainTopic(domain, topic).runtime }
      created = true
    }
    const scope = found.runtime
    if (!scope.subscriptions.has(name) && scope.subscriptions.size >= DOMAIN_LIMITS.subscriptionsPerDomainTopic) {
      return { ok: false, problems: [`(body): domain topic '${found.name}' already has ${scope.subscriptions.size} subscriptions; Event Grid allows at most ${DOMAIN_LIMITS.subscriptionsPerDomainTopic}`] }
    }
    const result = this.putSubscription(scope, name, body)
    if (!result.ok && created) domain.topics.delete(found.name) // a refused first subscription creates nothing
    return result
  }

  /** DELETE of a domain-scope or domain-topic subscription; the last one takes its domain topic along when autoDeleteTopicWithLastSubscription is on. */
  deleteDomainSubscription (domain: DomainRuntime, topic: string | undefined, name: string): boolean {
    if (topic === undefined) return this.deleteSubscription(domain.scope, name)
    const found = findDomainTopic(domain, topic)
    if (found === undefined || !this.deleteSubscription(found.runtime, name)) return false
    if (domain.autoDelete && found.runtime.subscriptions.size === 0) domain.topics.delete(found.name)
    return true
  }

  /** Called once the server listens: endpoint URLs written as paths resolve against it, and handshakes run. */
  start (baseUrl: string): void {
    this.lifecycle.started()
    this.baseUrl = baseUrl.replace(/\/$/, '')
    for (const sub of this.allSubscriptions()) this.validate(sub)
  }

  get url (): string { return this.baseUrl }

  /** Tells the delivery engine which extra ports are this emulator's own (index.ts, after each port change). */
  setPortUrls (urls: readonly string[]): void { this.portUrls = urls }

  /** The emulator's clock, for checks that must agree with it (SAS expiry). */
  now (): Date { return new Date(this.deps.clock.now()) }

  topic (name: string): TopicRuntime | undefined { return this.topics.get(name) }

  /**
   * Validates a publish body for the topic's input schema and routes the accepted events. `body` is parsed
   * JSON, or the raw bytes of a body in another media type. `headers` (lower-case names) carry a CloudEvents
   * binary-mode event's `ce-*` attributes.
   */
  publish (topic: TopicRuntime, body: unknown, contentType: string | undefined, headers: HeaderMap = {}): AcceptedEvent[] {
    this.lifecycle.assertAccepting()
    const backlog = this.engine.backlogOf(topic.subscriptions.values())
    const bound = this.resourceLimits.maxPendingEventsPerTopic
    if (backlog >= bound) {
      // Never accept what cannot be held: the publisher is told to come back, as Event Grid does when it throttles.
      throw throttled(`Topic '${topic.name}' has ${backlog} accepted events not yet delivered, the most it holds (limits.maxPendingEventsPerTopic: ${bound}). Retry after the Retry-After interval.`, 1)
    }
    const publishTime = new Date(this.deps.clock.now()).toISOString()
    let accepted: AcceptedEvent[]
    if (topic.inputSchema === 'CloudEventSchemaV1_0') {
      accepted = acceptCloudEventsRequest(body, contentType, headers, publishTime, this.limits).events
    } else {
      requireJsonContentType(contentType, 'topic', topic.inputSchema)
      accepted = topic.inputSchema === 'CustomEventSchema'
        ? acceptCustomEvents(body, topic.config.inputSchemaMapping?.properties ?? {}, { topicId: topic.resourceId, publishTime, limits: this.limits, newId: this.deps.newId })
        : acceptEventGridEvents(body, { topicId: topic.resourceId, publishTime, limits: this.limits })
    }
    this.removeExpired(topic)
    this.events.add(topic.name, accepted)
    for (const l of this.publishListeners) l(topic.name, accepted)
    this.engine.route(topic.subscriptions.values(), accepted)
    return accepted
  }

  /** Routes CloudEvents accepted on a namespace topic to its subscriptions' queues and webhooks. */
  publishNamespace (topic: NsTopic, events: CloudEvent[]): void {
    this.lifecycle.assertAccepting()
    this.namespaces.route(topic, events)
  }

  /** Generates synthetic ACS events on a system topic and publishes them through the same pipeline. */
  simulate (topic: TopicRuntime, body: unknown, options: { allowUnknown?: boolean, profile?: AcsProfile }): EventGridEvent[] {
    if (!topic.isSystem) {
      throw new PublishRejected(400, `Topic '${topic.name}' is not an ACS system topic (it has no topicType: ${ACS_TOPIC_TYPE}); /simulate generates ACS events on system topics only.`)
    }
    const events = buildSimulatedEvents(body, { allowUnknown: options.allowUnknown, profile: options.profile ?? this.config.acs.profile }, {
      topic: topic.resourceId,
      now: () => new Date(this.deps.clock.now()),
      newGuid: this.deps.newId
    })
    return this.publish(topic, events, 'application/json').map((e) => e.eventGrid!)
  }

  /** Creates or replaces a subscription at runtime; returns problems instead of throwing for bad bodies. */
  putSubscription (topic: TopicRuntime, name: string, body: unknown): { ok: true, created: boolean, subscription: SubscriptionRuntime } | { ok: false, problems: string[] } {
    const problems = validateSubscriptionBody(body, {
      inputSchema: topic.inputSchema,
      knownEventTypes: topic.isSystem ? new Set(listAcsEventTypes().map((t) => t.eventType)) : undefined,
      now: new Date(this.deps.clock.now())
    })
    if (!/^[A-Za-z0-9-]{3,64}$/.test(name)) problems.unshift({ path: [], message: `subscription name '${name}' is not valid: use 3-64 letters, digits or hyphens` })
    if (problems.length > 0) return { ok: false, problems: problems.map((p) => `${formatPath(p.path) || '(body)'}: ${p.message}`) }
    const previous = topic.subscriptions.get(name)
    if (previous !== undefined) { this.validator.cancel(previous); this.engine.detach(previous, 'subscription was replaced by PUT') }
    const sub = createSubscription(topic.name, name, body as SubscriptionBody, topic.inputSchema, this.config.delivery.azureFunctionsHostUrl)
    topic.subscriptions.set(name, sub)
    this.deps.durable?.subscriptionPut([topic.name, name], body)
    if (this.lifecycle.running) this.validate(sub)
    return { ok: true, created: previous === undefined, subscription: sub }
  }

  deleteSubscription (topic: TopicRuntime, name: string): boolean {
    const sub = topic.subscriptions.get(name)
    if (sub === undefined) return false
    this.validator.cancel(sub)
    this.engine.detach(sub, 'subscription was deleted')
    topic.subscriptions.delete(name)
    this.deps.durable?.subscriptionDeleted([topic.name, name])
    return true
  }

  /** Event Grid deletes a subscription once its expirationTimeUtc has passed. */
  private removeExpired (topic: TopicRuntime): void {
    const now = this.deps.clock.now()
    for (const [name, sub] of topic.subscriptions) {
      const expires = sub.body.expirationTimeUtc
      if (expires !== undefined && Date.parse(expires) <= now) {
        this.engine.detach(sub, `subscription expired at ${expires}`)
        topic.subscriptions.delete(name)
        this.log.info({ topic: topic.name, subscription: name, expires }, 'subscription expired and was deleted')
      }
    }
  }

  private validate (sub: SubscriptionRuntime): void {
    this.validator.validate(sub).catch((err: Error) => { this.validator.fail(sub, `validation could not run: ${err.message}`) })
  }

  describe (sub: SubscriptionRuntime): Record<string, unknown> { return describeSubscription(sub) }

  /** Re-runs a subscription's validation handshake now (POST /admin/topics/{t}/subscriptions/{s}/validate). */
  async revalidate (sub: SubscriptionRuntime): Promise<void> {
    await this.validator.revalidate(sub).catch((err: Error) => { this.validator.fail(sub, `validation could not run: ${err.message}`) })
  }

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
      now: new Date(this.deps.clock.now()).toISOString(),
      route: (subs, events) => {
        for (const l of this.publishListeners) l(topic.name, events)
        this.engine.route(subs, events)
      },
      enqueue: (sub, events) => { this.engine.enqueue(sub, events) }
    })
  }

  confirmValidation (token: string): ReturnType<Validator['confirm']> { return this.validator.confirm(token) }

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
  async durable (): Promise<void> {
    if (this.deps.durable === undefined) return
    try {
      await this.deps.durable.durable()
    } catch (err) {
      throw journalNotWritten(this.deps.durable.file, (err as Error).message)
    }
  }

  /** Takes back a batch that was pending when the emulator last stopped (durable mode, before start()). */
  restoreRetry (retry: RestoredRetry): void { this.engine.restoreRetry(retry) }

  get pendingRetries (): number { return this.engine.pendingRetries }
  async idle (): Promise<void> { await this.engine.idle() }

  /** Refuses new events, records what was not sent, lets in-flight deliveries finish within `graceMs`, then cuts them. */
  async close (graceMs = 10_000): Promise<ShutdownSummary> {
    return await this.lifecycle.close(async () => await this.shutDown(graceMs))
  }

  /** Where the core is in its life: Starting (built), Running (listening), Closing, Closed. */
  get state (): LifecycleState { return this.lifecycle.state }

  private async shutDown (graceMs: number): Promise<ShutdownSummary> {
    // Durable mode: what is still pending stays in the journal for the next start instead of being dropped.
    this.deps.durable?.beginShutdown()
    this.acs.close()
    await this.namespaces.close()
    const summary = await this.engine.close(graceMs, this.allSubscriptions(), async () => { await this.deps.transport.destroy() })
    // Namespace push attempts still running get the same grace period, then their connections are cut.
    const cut = setTimeout(() => { void this.deps.transport.destroy() }, graceMs)
    await this.namespaces.idle()
    clearTimeout(cut)
    // A handshake still in flight would hold transport.close() until its response timeout (30 s): the grace bounds it.
    let stop: NodeJS.Timeout | undefined
    const graceOver = new Promise<void>((resolve) => { stop = setTimeout(resolve, graceMs) })
    // close() may reject once destroy() cut it: that is the expected end, not an error to surface.
    await Promise.race([this.deps.transport.close().catch(() => {}), graceOver.then(async () => { await this.deps.transport.destroy() })])
    clearTimeout(stop)
    await this.deps.durable?.close()
    return summary
  }

  /** Accepted events of a topic with no final outcome yet (what `limits.maxPendingEventsPerTopic` bounds). */
  backlog (topic: TopicRuntime): number { return this.engine.backlogOf(topic.subscriptions.values()) }

  /**
   * In-process publishing hands over values, not text, so the JSON nesting bound the HTTP parser applies is
   * checked here instead (the same limit and message).
   */
  checkNesting (value: unknown): void {
    if (valueDepthExceeds(value, MAX_JSON_DEPTH)) throw badRequest(`The events are nested more than ${MAX_JSON_DEPTH} levels deep; at most ${MAX_JSON_DEPTH} levels of nested objects and arrays are allowed.`, 'InputJsonInvalid')
  }

  private allSubscriptions (): SubscriptionRuntime[] {
    return this.allScopes().flatMap((t) => [...t.subscriptions.values()])
  }

  /** Topics, domain scopes and domain topics: everything that holds subscriptions. */
  allScopes (): TopicRuntime[] {
    return [...this.topics.values(), ...[...this.domains.values()].flatMap((d) => [d.scope, ...d.topics.values()])]
  }
}

export function createTopic (name: string, config: TopicConfig): TopicRuntime {
  const isSystem = config.topicType !== undefined
  const resourceId = isSystem
    ? acsTopicId(config.source!)
    : config.resourceId ?? `/subscriptions/${DEFAULT_SUBSCRIPTION_ID}/resourceGroups/local/providers/Microsoft.EventGrid/topics/${name}`
  return { name, config, resourceId, inputSchema: config.inputSchema ?? 'EventGridSchema', isSystem, keys: config.keys ?? [], subscriptions: new Map() }
}

