/**
 * The emulator's core, independent of HTTP: topics, subscriptions, the publish pipeline, the delivery engine,
 * the validator, the sink and the stores. The Fastify app (server/build-app.ts) and the public API (index.ts)
 * both drive this object.
 */
import { randomUUID } from 'node:crypto'
import { resolve } from 'node:path'
import { serviceUnavailable } from './errors.js'
import { ACS_TOPIC_TYPE, type EmulatorConfig, type SubscriptionBody, type TopicConfig } from './config/types.js'
import { validateSubscriptionBody } from './config/validate-subscription.js'
import { acsTopicId, buildSimulatedEvents, listAcsEventTypes, type AcsProfile } from './domain/acs/index.js'
import type { AcceptedEvent, EventGridEvent, InputSchema } from './domain/events.js'
import { formatPath } from './domain/problems.js'
import { acceptCloudEvents, cloudEventsMode } from './domain/publish/cloud-events.js'
import { acceptCustomEvents } from './domain/publish/custom.js'
import { acceptEventGridEvents } from './domain/publish/event-grid.js'
import { DEFAULT_LIMITS, PublishRejected, type PublishLimits } from './domain/publish/rejection.js'
import { DeadLetterStore } from './delivery/dead-letter-store.js'
import { DeliveryLog } from './delivery/delivery-log.js'
import { DeliveryEngine } from './delivery/engine.js'
import type { Clock, Transport } from './delivery/ports.js'
import { createSubscription, describeSubscription, type SubscriptionRuntime } from './delivery/subscription.js'
import { Validator } from './delivery/validation.js'
import { SinkStore } from './sink/sink-store.js'
import { OutcomeCounters } from './observe/counters.js'
import { EventStore, type StoredEvent } from './observe/event-store.js'
import { replayEvent, type ReplayOptions, type ReplayResult } from './observe/replay.js'

export interface TopicRuntime {
  readonly name: string
  readonly config: TopicConfig
  readonly resourceId: string
  readonly inputSchema: InputSchema
  readonly isSystem: boolean
  readonly keys: readonly string[]
  readonly subscriptions: Map<string, SubscriptionRuntime>
}

export interface EmulatorLogger {
  info: (o: object, m: string) => void
  warn: (o: object, m: string) => void
  error: (o: object, m: string) => void
  debug?: (o: object, m: string) => void
  isLevelEnabled?: (level: string) => boolean
}

export interface EmulatorDeps {
  clock: Clock
  transport: Transport
  limits?: Partial<PublishLimits>
  /** Response timeout for deliveries and handshakes, in ms (default 30 s, as Event Grid). */
  deliveryTimeoutMs?: number
  random?: () => number
  logger?: EmulatorLogger
}

export const DEFAULT_SUBSCRIPTION_ID = '00000000-0000-0000-0000-000000000000'

export class Emulator {
  readonly topics = new Map<string, TopicRuntime>()
  readonly deliveryLog = new DeliveryLog()
  readonly sink = new SinkStore()
  readonly deadLetters: DeadLetterStore
  readonly limits: PublishLimits
  /** The last published events with their delivery attempts (dashboard detail, replay). */
  readonly events = new EventStore()
  /** Decisions per subscription, for the dashboard and the `subscriptions` command. */
  readonly counters = new OutcomeCounters(this.deliveryLog)
  private readonly publishListeners = new Set<(topic: string, events: readonly AcceptedEvent[]) => void>()
  private readonly engine: DeliveryEngine
  private readonly validator: Validator
  private baseUrl = 'http://127.0.0.1'
  private started = false
  private closing = false
  /** Where lifecycle logs go; set once the HTTP app (and its pino logger) exists. */
  private log: EmulatorLogger | undefined

  constructor (readonly config: EmulatorConfig, private readonly deps: EmulatorDeps) {
    this.log = deps.logger
    // The engine and validator log through this indirection, so a logger attached later still reaches them.
    const logger: EmulatorLogger = {
      info: (o, m) => { this.log?.info(o, m) },
      warn: (o, m) => { this.log?.warn(o, m) },
      error: (o, m) => { this.log?.error(o, m) },
      debug: (o, m) => { this.log?.debug?.(o, m) },
      // Without isLevelEnabled (Fastify's null logger) debug is treated as off: explaining a NotMatched costs a filter run.
      isLevelEnabled: (level) => this.log?.isLevelEnabled?.(level) ?? false
    }
    this.limits = { ...DEFAULT_LIMITS, ...deps.limits }
    this.deadLetters = new DeadLetterStore(resolve(config.delivery.deadLetterDir))
    const timeoutMs = deps.deliveryTimeoutMs ?? 30_000 // Event Grid waits 30 s for a response
    this.engine = new DeliveryEngine({
      clock: deps.clock,
      transport: deps.transport,
      log: this.deliveryLog,
      deadLetters: this.deadLetters,
      timeScale: config.delivery.timeScale,
      timeoutMs,
      baseUrl: () => this.baseUrl,
      random: deps.random,
      logger,
      onAttempt: (a) => { this.events.recordAttempt(a) }
    })
    this.validator = new Validator({
      clock: deps.clock,
      transport: deps.transport,
      timeScale: config.delivery.timeScale,
      timeoutMs,
      baseUrl: () => this.baseUrl,
      resolveUrl: (url) => this.engine.resolveUrl(url),
      topicId: (topic) => this.topics.get(topic)?.resourceId ?? topic,
      onSettled: (sub) => { this.engine.validationSettled(sub) },
      logger
    })
    for (const [name, topic] of Object.entries(config.topics)) {
      const runtime = createTopic(name, topic)
      this.topics.set(name, runtime)
      for (const [subName, body] of Object.entries(topic.subscriptions)) {
        runtime.subscriptions.set(subName, createSubscription(name, subName, body, runtime.inputSchema, config.delivery.azureFunctionsHostUrl))
      }
    }
  }

  /** Called once the server listens: endpoint URLs written as paths resolve against it, and handshakes run. */
  start (baseUrl: string): void {
    this.baseUrl = baseUrl.replace(/\/$/, '')
    this.started = true
    for (const topic of this.topics.values()) for (const sub of topic.subscriptions.values()) this.validate(sub)
  }

  get url (): string { return this.baseUrl }

  /** Sends lifecycle logs (validation, retries, dead letters, drops) to this logger. */
  attachLogger (logger: EmulatorLogger): void { this.log = logger }

  /** The emulator's clock, for checks that must agree with it (SAS expiry). */
  now (): Date { return new Date(this.deps.clock.now()) }

  topic (name: string): TopicRuntime | undefined { return this.topics.get(name) }

  /** Validates a publish body for the topic's input schema and routes the accepted events. */
  publish (topic: TopicRuntime, body: unknown, contentType: string | undefined): AcceptedEvent[] {
    if (this.closing) throw serviceUnavailable('The emulator is shutting down and accepts no more events.')
    const publishTime = new Date(this.deps.clock.now()).toISOString()
    let accepted: AcceptedEvent[]
    if (topic.inputSchema === 'CloudEventSchemaV1_0') {
      accepted = acceptCloudEvents(body, cloudEventsMode(contentType), publishTime, this.limits)
    } else {
      if (!isJsonContentType(contentType)) {
        throw new PublishRejected(415, `The Content-Type header must be application/json for a topic with input schema ${topic.inputSchema}, got ${contentType === undefined ? 'none' : `'${contentType}'`}.`)
      }
      accepted = topic.inputSchema === 'CustomEventSchema'
        ? acceptCustomEvents(body, topic.config.inputSchemaMapping?.properties ?? {}, { topicId: topic.resourceId, publishTime, limits: this.limits, newId: randomUUID })
        : acceptEventGridEvents(body, { topicId: topic.resourceId, publishTime, limits: this.limits })
    }
    this.removeExpired(topic)
    this.events.add(topic.name, accepted)
    for (const l of this.publishListeners) l(topic.name, accepted)
    this.engine.route(topic.subscriptions.values(), accepted)
    return accepted
  }

  /** Generates synthetic ACS events on a system topic and publishes them through the same pipeline. */
  simulate (topic: TopicRuntime, body: unknown, options: { allowUnknown?: boolean, profile?: AcsProfile }): EventGridEvent[] {
    if (!topic.isSystem) {
      throw new PublishRejected(400, `Topic '${topic.name}' is not an ACS system topic (it has no topicType: ${ACS_TOPIC_TYPE}); /simulate generates ACS events on system topics only.`)
    }
    const events = buildSimulatedEvents(body, { allowUnknown: options.allowUnknown, profile: options.profile ?? this.config.acs.profile }, {
      topic: topic.resourceId,
      now: () => new Date(this.deps.clock.now()),
      newGuid: randomUUID
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
    if (this.started) this.validate(sub)
    return { ok: true, created: previous === undefined, subscription: sub }
  }

  deleteSubscription (topic: TopicRuntime, name: string): boolean {
    const sub = topic.subscriptions.get(name)
    if (sub === undefined) return false
    this.validator.cancel(sub)
    this.engine.detach(sub, 'subscription was deleted')
    topic.subscriptions.delete(name)
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
        this.log?.info({ topic: topic.name, subscription: name, expires }, 'subscription expired and was deleted')
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
    if (this.closing) throw serviceUnavailable('The emulator is shutting down and accepts no more events.')
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
    this.deliveryLog.clear()
    this.sink.clear()
    this.deadLetters.clear()
    this.events.clear()
    this.counters.clear()
  }

  get pendingRetries (): number { return this.engine.pendingRetries }
  async idle (): Promise<void> { await this.engine.idle() }

  /** Refuses new events, records what was not sent, lets in-flight deliveries finish within `graceMs`, then cuts them. */
  async close (graceMs = 10_000): Promise<void> {
    this.closing = true
    await this.engine.close(graceMs, this.allSubscriptions(), async () => { await this.deps.transport.destroy() })
    await this.deps.transport.close()
  }

  private allSubscriptions (): SubscriptionRuntime[] {
    return [...this.topics.values()].flatMap((t) => [...t.subscriptions.values()])
  }
}

function createTopic (name: string, config: TopicConfig): TopicRuntime {
  const isSystem = config.topicType !== undefined
  const resourceId = isSystem
    ? acsTopicId(config.source!)
    : config.resourceId ?? `/subscriptions/${DEFAULT_SUBSCRIPTION_ID}/resourceGroups/local/providers/Microsoft.EventGrid/topics/${name}`
  return { name, config, resourceId, inputSchema: config.inputSchema ?? 'EventGridSchema', isSystem, keys: config.keys ?? [], subscriptions: new Map() }
}

function isJsonContentType (contentType: string | undefined): boolean {
  return /^application\/json\s*(;|$)/i.test(contentType ?? '')
}

