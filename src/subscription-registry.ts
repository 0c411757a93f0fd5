/**
 * Creating, replacing, expiring and deleting subscriptions in their scopes: each change tells the delivery engine
 * (pending work recorded as dropped) and the handshake runner (a new subscription is validated once running).
 */
import type { SubscriptionBody } from './config/types.js'
import { validateSubscriptionBody } from './config/validate-subscription.js'
import type { DeliveryEngine } from './delivery/engine.js'
import type { HandshakeRunner } from './delivery/handshake.js'
import type { Clock } from './delivery/ports.js'
import { createSubscription, type SubscriptionRuntime } from './delivery/subscription.js'
import { listAcsEventTypes } from './domain/acs/index.js'
import { formatPath } from './domain/problems.js'
import type { TopicRuntime } from './scopes.js'

export type PutResult = { ok: true, created: boolean, subscription: SubscriptionRuntime } | { ok: false, problems: string[] }

export interface RegistryDeps {
  engine: DeliveryEngine
  handshakes: HandshakeRunner
  clock: Clock
  logger: { info: (o: object, m: string) => void }
  /** Where AzureFunction destinations without a URL go (config delivery.azureFunctionsHostUrl). */
  functionsHostUrl: () => string | undefined
  /** Handshakes run only once the emulator listens (its URL is known). */
  running: () => boolean
  /** Told of every runtime PUT (`body`) and DELETE (`null`): durable mode journals them. */
  onRuntimeChange?: (scope: string, name: string, body: unknown) => void
}

export class SubscriptionRegistry {
  constructor (private readonly deps: RegistryDeps) {}

  /** A subscription runtime for a body in a scope (not attached, not validated). */
  create (scope: TopicRuntime, name: string, body: SubscriptionBody): SubscriptionRuntime {
    return createSubscription(scope.name, name, body, scope.inputSchema, this.deps.functionsHostUrl())
  }

  /**
   * Changes a live subscription's settings in place (a reload that keeps its destination, or a new input schema for
   * its scope): the engine's pending retries, waiting events and in-flight requests point at this very object, so
   * they survive and follow the new settings. The registry, which makes every runtime, is the one writer of its
   * settings; the runtime state (provisioning state, queue, in-flight and back-pressure counts, validation) stays.
   */
  reconfigure (scope: TopicRuntime, sub: SubscriptionRuntime, body: SubscriptionBody): void {
    const { state: _state, stateReason: _reason, ready: _ready, inFlight: _inFlight, active: _active, validation: _validation, backlog: _backlog, ...settings } = this.create(scope, sub.name, body)
    Object.assign(sub, settings)
    // Its filter may have changed: what routing worked out from the scope's subscriptions is stale.
    scope.subscriptions.changed()
  }

  /** Puts a subscription from a (validated) config body into a scope, replacing one of that name. */
  attach (scope: TopicRuntime, name: string, body: SubscriptionBody, why: string): SubscriptionRuntime {
    this.detach(scope, name, why)
    const sub = this.create(scope, name, body)
    scope.subscriptions.set(name, sub)
    if (this.deps.running()) this.validate(sub)
    return sub
  }

  /** Removes a subscription, recording its pending work as dropped with `why`; false if there was none. */
  detach (scope: TopicRuntime, name: string, why: string): boolean {
    const sub = scope.subscriptions.get(name)
    if (sub === undefined) return false
    this.deps.engine.detach(sub, why)
    scope.subscriptions.delete(name)
    return true
  }

  /** Creates or replaces a subscription at runtime; returns problems instead of throwing for bad bodies. */
  put (topic: TopicRuntime, name: string, body: unknown): PutResult {
    const problems = validateSubscriptionBody(body, {
      inputSchema: topic.inputSchema,
      knownEventTypes: topic.isSystem ? new Set(listAcsEventTypes().map((t) => t.eventType)) : undefined,
      now: new Date(this.deps.clock.now())
    })
    if (!/^[A-Za-z0-9-]{3,64}$/.test(name)) problems.unshift({ path: [], message: `subscription name '${name}' is not valid: use 3-64 letters, digits or hyphens` })
    if (problems.length > 0) return { ok: false, problems: problems.map((p) => `${formatPath(p.path) || '(body)'}: ${p.message}`) }
    const previous = topic.subscriptions.get(name)
    if (previous !== undefined) { this.deps.handshakes.cancel(previous); this.deps.engine.detach(previous, 'subscription was replaced by PUT') }
    const sub = this.create(topic, name, body as SubscriptionBody)
    topic.subscriptions.set(name, sub)
    this.deps.onRuntimeChange?.(topic.name, name, body)
    if (this.deps.running()) this.validate(sub)
    return { ok: true, created: previous === undefined, subscription: sub }
  }

  delete (topic: TopicRuntime, name: string): boolean {
    const sub = topic.subscriptions.get(name)
    if (sub === undefined) return false
    this.deps.handshakes.cancel(sub)
    this.deps.engine.detach(sub, 'subscription was deleted')
    topic.subscriptions.delete(name)
    this.deps.onRuntimeChange?.(topic.name, name, null)
    return true
  }

  /** Event Grid deletes a subscription once its expirationTimeUtc has passed. */
  removeExpired (topic: TopicRuntime): void {
    const now = this.deps.clock.now()
    // Every publish asks: while no subscription is due, that is one comparison.
    if (topic.subscriptions.earliestExpiry() > now) return
    for (const [name, sub] of topic.subscriptions) {
      const expires = sub.body.expirationTimeUtc
      if (expires !== undefined && Date.parse(expires) <= now) {
        this.deps.engine.detach(sub, `subscription expired at ${expires}`)
        topic.subscriptions.delete(name)
        this.deps.logger.info({ topic: topic.name, subscription: name, expires }, 'subscription expired and was deleted')
      }
    }
  }

  /** Starts a subscription's handshake; a handshake that cannot even run fails the subscription. */
  validate (sub: SubscriptionRuntime): void {
    this.deps.handshakes.validate(sub).catch((err: Error) => { this.deps.handshakes.fail(sub, `validation could not run: ${err.message}`) })
  }

  /** Re-runs a subscription's handshake now (POST /admin/topics/{t}/subscriptions/{s}/validate). */
  async revalidate (sub: SubscriptionRuntime): Promise<void> {
    await this.deps.handshakes.revalidate(sub).catch((err: Error) => { this.deps.handshakes.fail(sub, `validation could not run: ${err.message}`) })
  }
}
