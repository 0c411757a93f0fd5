/**
 * Event domains at runtime: creating them with their scopes, publishing (each event to its domain topic's and the
 * domain-scope subscriptions), and the domain-topic and subscription changes of the admin API, within Event Grid's
 * domain limits.
 */
import type { ResourceLimits } from '../config/limits.js'
import type { DomainConfig, SubscriptionBody } from '../config/types.js'
import type { DeliveryEngine } from '../delivery/engine.js'
import type { Clock, IdSource } from '../delivery/ports.js'
import type { AcceptedEvent } from '../domain/events.js'
import type { HeaderMap } from '../domain/publish/cloud-events-binary.js'
import { acceptDomainEvents, type DomainEvent } from '../domain/publish/domain-events.js'
import { DOMAIN_LIMITS } from '../domain/publish/domain-topic.js'
import { PublishRejected, type PublishLimits } from '../domain/publish/rejection.js'
import { throttled } from '../errors.js'
import type { TopicRuntime } from '../scopes.js'
import type { PutResult, SubscriptionRegistry } from '../subscription-registry.js'
import { createDomain, createDomainTopic, findDomainTopic, type DomainRuntime } from './domain-runtime.js'

export interface DomainDeps {
  domains: Map<string, DomainRuntime>
  registry: SubscriptionRegistry
  engine: DeliveryEngine
  clock: Clock
  newId: IdSource
  limits: PublishLimits
  resourceLimits: ResourceLimits
  /** Throws the 503 publishers get once shutdown has begun. */
  assertAccepting: () => void
  running: () => boolean
}

export class DomainOperations {
  constructor (private readonly deps: DomainDeps) {}

  /** Creates a domain with its domain-scope subscriptions and configured domain topics (validated once running). */
  add (name: string, config: DomainConfig): DomainRuntime {
    const { registry } = this.deps
    const domain = createDomain(name, config)
    this.deps.domains.set(name, domain)
    const add = (scope: TopicRuntime, subs: Record<string, SubscriptionBody>): void => {
      for (const [subName, body] of Object.entries(subs)) scope.subscriptions.set(subName, registry.create(scope, subName, body))
    }
    add(domain.scope, config.subscriptions)
    for (const [topicName, topic] of Object.entries(config.topics)) add(createDomainTopic(domain, topicName), topic.subscriptions)
    if (this.deps.running()) for (const scope of [domain.scope, ...domain.topics.values()]) for (const sub of scope.subscriptions.values()) registry.validate(sub)
    return domain
  }

  /**
   * Publishes to an event domain: each event goes to its domain topic's subscriptions and to the domain-scope
   * subscriptions. A domain topic that does not exist (no subscription created it) still reaches the latter.
   */
  publish (domain: DomainRuntime, body: unknown, contentType: string | undefined, headers: HeaderMap): DomainEvent[] {
    const { engine, registry } = this.deps
    this.deps.assertAccepting()
    // The same bound as a topic's, over the whole domain (its domain-scope and every domain topic's subscriptions).
    let backlog = domain.scope.subscriptions.backlog()
    for (const topic of domain.topics.values()) backlog += topic.subscriptions.backlog()
    const bound = this.deps.resourceLimits.maxPendingEventsPerTopic
    if (backlog >= bound) {
      throw throttled(`Domain '${domain.name}' has ${backlog} accepted events not yet delivered, the most it holds (limits.maxPendingEventsPerTopic: ${bound}). Retry after the Retry-After interval.`, 1)
    }
    const accepted = acceptDomainEvents(body, {
      domainResourceId: domain.resourceId,
      inputSchema: domain.inputSchema,
      mapping: domain.config.inputSchemaMapping?.properties ?? {},
      contentType,
      headers,
      publishTime: new Date(this.deps.clock.now()).toISOString(),
      limits: this.deps.limits,
      newId: this.deps.newId
    })
    const byTopic = new Map<string, AcceptedEvent[]>()
    for (const { domainTopic, event } of accepted) {
      const key = findDomainTopic(domain, domainTopic)?.name ?? domainTopic
      const list = byTopic.get(key)
      if (list === undefined) byTopic.set(key, [event])
      else list.push(event)
    }
    registry.removeExpired(domain.scope)
    for (const [topicName, events] of byTopic) {
      const topic = domain.topics.get(topicName)
      if (topic !== undefined) registry.removeExpired(topic)
      engine.route([...(topic?.subscriptions.values() ?? []), ...domain.scope.subscriptions.values()], events)
    }
    return accepted
  }

  /** Creates a domain topic explicitly (Azure allows it in both creation modes); false if it already exists. */
  createTopic (domain: DomainRuntime, topic: string): { created: boolean, runtime: TopicRuntime } {
    const found = findDomainTopic(domain, topic)
    if (found !== undefined) return { created: false, runtime: found.runtime }
    if (domain.topics.size >= DOMAIN_LIMITS.topicsPerDomain) {
      throw new PublishRejected(400, `Domain '${domain.name}' already has ${domain.topics.size} domain topics; Event Grid allows at most ${DOMAIN_LIMITS.topicsPerDomain}.`)
    }
    return { created: true, runtime: createDomainTopic(domain, topic) }
  }

  /** Deletes a domain topic and its subscriptions (their pending events are recorded as dropped). */
  deleteTopic (domain: DomainRuntime, topic: string): boolean {
    const found = findDomainTopic(domain, topic)
    if (found === undefined) return false
    for (const sub of found.runtime.subscriptions.values()) this.deps.engine.detach(sub, `domain topic '${found.name}' was deleted`)
    domain.topics.delete(found.name)
    return true
  }

  /**
   * PUT of a domain-scope subscription (`topic` undefined) or a domain-topic subscription. A missing domain topic
   * is created when autoCreateTopicWithFirstSubscription is on (Azure's default), else the PUT gets a 404.
   */
  putSubscription (domain: DomainRuntime, topic: string | undefined, name: string, body: unknown): PutResult | { ok: false, notFound: string } {
    const { registry } = this.deps
    if (topic === undefined) {
      if (!domain.scope.subscriptions.has(name) && domain.scope.subscriptions.size >= DOMAIN_LIMITS.domainScopeSubscriptions) {
        return { ok: false, problems: [`(body): domain '${domain.name}' already has ${domain.scope.subscriptions.size} domain-scope subscriptions; Event Grid allows at most ${DOMAIN_LIMITS.domainScopeSubscriptions}`] }
      }
      return registry.put(domain.scope, name, body)
    }
    let found = findDomainTopic(domain, topic)
    let created = false
    if (found === undefined) {
      if (!domain.autoCreate) {
        return { ok: false, notFound: `Domain topic '${topic}' does not exist in domain '${domain.name}', and autoCreateTopicWithFirstSubscription is false: create it first (PUT /admin/domains/${domain.name}/topics/${topic} or domains.${domain.name}.topics.${topic} in the config).` }
      }
      found = { name: topic, runtime: this.createTopic(domain, topic).runtime }
      created = true
    }
    const scope = found.runtime
    if (!scope.subscriptions.has(name) && scope.subscriptions.size >= DOMAIN_LIMITS.subscriptionsPerDomainTopic) {
      return { ok: false, problems: [`(body): domain topic '${found.name}' already has ${scope.subscriptions.size} subscriptions; Event Grid allows at most ${DOMAIN_LIMITS.subscriptionsPerDomainTopic}`] }
    }
    const result = registry.put(scope, name, body)
    if (!result.ok && created) domain.topics.delete(found.name) // a refused first subscription creates nothing
    return result
  }

  /** DELETE of a domain-scope or domain-topic subscription; the last one takes its domain topic along when autoDeleteTopicWithLastSubscription is on. */
  deleteSubscription (domain: DomainRuntime, topic: string | undefined, name: string): boolean {
    const { registry } = this.deps
    if (topic === undefined) return registry.delete(domain.scope, name)
    const found = findDomainTopic(domain, topic)
    if (found === undefined || !registry.delete(found.runtime, name)) return false
    if (domain.autoDelete && found.runtime.subscriptions.size === 0) domain.topics.delete(found.name)
    return true
  }
}
