/**
 * Event domains at runtime. A domain's domain-scope subscriptions and each domain topic's subscriptions live in
 * TopicRuntime-shaped scopes, so the subscription machinery (validation, delivery, admin descriptions, expiry)
 * serves them unchanged. Scope names are what the delivery log and dead letters show: `<domain>` for
 * domain-scope subscriptions, `<domain>/<domainTopic>` for a domain topic's.
 */
import type { DomainConfig, TopicConfig } from '../config/types.js'
import type { InputSchema } from '../domain/events.js'
import { SubscriptionMap } from '../delivery/subscription-map.js'
import { domainTopicId } from '../domain/publish/domain-topic.js'
import type { TopicRuntime } from '../scopes.js'

export interface DomainRuntime {
  readonly name: string
  readonly config: DomainConfig
  readonly resourceId: string
  readonly inputSchema: InputSchema
  readonly keys: readonly string[]
  /** Domain-scope subscriptions: they see every domain topic's events. */
  readonly scope: TopicRuntime
  /** Domain topics by the name they were created with (looked up case-insensitively, as Azure names are). */
  readonly topics: Map<string, TopicRuntime>
  readonly autoCreate: boolean
  readonly autoDelete: boolean
}

const DEFAULT_SUBSCRIPTION_ID = '00000000-0000-0000-0000-000000000000'

export function createDomain (name: string, config: DomainConfig): DomainRuntime {
  const resourceId = config.resourceId ?? `/subscriptions/${DEFAULT_SUBSCRIPTION_ID}/resourceGroups/local/providers/Microsoft.EventGrid/domains/${name}`
  const inputSchema = config.inputSchema ?? 'EventGridSchema'
  const keys = config.keys ?? []
  return {
    name,
    config,
    resourceId,
    inputSchema,
    keys,
    scope: scopeRuntime(name, resourceId, config, keys, name),
    topics: new Map(),
    // Both default to true in Azure (ARM domain properties).
    autoCreate: config.autoCreateTopicWithFirstSubscription ?? true,
    autoDelete: config.autoDeleteTopicWithLastSubscription ?? true
  }
}

/** A new, empty domain topic (its subscriptions are added by the caller). */
export function createDomainTopic (domain: DomainRuntime, topic: string): TopicRuntime {
  const runtime = scopeRuntime(`${domain.name}/${topic}`, domainTopicId(domain.resourceId, topic), domain.config, domain.keys, domain.name)
  domain.topics.set(topic, runtime)
  return runtime
}

/** The domain topic with this name, compared case-insensitively; undefined when it does not exist. */
export function findDomainTopic (domain: DomainRuntime, topic: string): { name: string, runtime: TopicRuntime } | undefined {
  const exact = domain.topics.get(topic)
  if (exact !== undefined) return { name: topic, runtime: exact }
  const lower = topic.toLowerCase()
  for (const [name, runtime] of domain.topics) if (name.toLowerCase() === lower) return { name, runtime }
  return undefined
}

/** The short name of a domain topic scope (`orders` for `shop/orders`). */
export function domainTopicName (domain: DomainRuntime, scope: TopicRuntime): string {
  return scope.name.slice(domain.name.length + 1)
}

function scopeRuntime (name: string, resourceId: string, config: DomainConfig, keys: readonly string[], domain: string): TopicRuntime {
  const topicConfig: TopicConfig = {
    inputSchema: config.inputSchema,
    ...(config.inputSchemaMapping !== undefined ? { inputSchemaMapping: config.inputSchemaMapping } : {}),
    keys: [...keys],
    subscriptions: {}
  }
  return { name, config: topicConfig, resourceId, inputSchema: config.inputSchema ?? 'EventGridSchema', isSystem: false, keys, subscriptions: new SubscriptionMap(), domain }
}
