/**
 * Scopes: what holds subscriptions — topics, a domain's domain-scope (`<domain>`) and its domain topics
 * (`<domain>/<topic>`) — and the one way to find one by name.
 */
import type { TopicConfig } from './config/types.js'
import { SubscriptionMap } from './delivery/subscription-map.js'
import { acsTopicId } from './domain/acs/index.js'
import type { InputSchema } from './domain/events.js'
import type { DomainRuntime } from './event-domains/domain-runtime.js'

export interface TopicRuntime {
  readonly name: string
  readonly config: TopicConfig
  readonly resourceId: string
  readonly inputSchema: InputSchema
  readonly isSystem: boolean
  readonly keys: readonly string[]
  /** A Map that also keeps the list and expiry routing reads per event (delivery/subscription-map.ts). */
  readonly subscriptions: SubscriptionMap
  /** Set on a domain's scopes: the domain's name (its keys and endpoint are the domain's). */
  readonly domain?: string
}

export const DEFAULT_SUBSCRIPTION_ID = '00000000-0000-0000-0000-000000000000'

export function createTopic (name: string, config: TopicConfig): TopicRuntime {
  const isSystem = config.topicType !== undefined
  const resourceId = isSystem
    ? acsTopicId(config.source!)
    : config.resourceId ?? `/subscriptions/${DEFAULT_SUBSCRIPTION_ID}/resourceGroups/local/providers/Microsoft.EventGrid/topics/${name}`
  return { name, config, resourceId, inputSchema: config.inputSchema ?? 'EventGridSchema', isSystem, keys: config.keys ?? [], subscriptions: new SubscriptionMap() }
}

/** A topic, a domain's domain-scope subscriptions (`<domain>`) or a domain topic (`<domain>/<topic>`), by scope name. */
export function findScope (topics: ReadonlyMap<string, TopicRuntime>, domains: ReadonlyMap<string, DomainRuntime>, name: string): TopicRuntime | undefined {
  const topic = topics.get(name)
  if (topic !== undefined) return topic
  const [domainName, topicName] = name.split('/', 2)
  const domain = domains.get(domainName ?? '')
  if (domain === undefined) return undefined
  return topicName === undefined ? domain.scope : domain.topics.get(topicName)
}

/** Topics, domain scopes and domain topics: everything that holds subscriptions. */
export function allScopes (topics: ReadonlyMap<string, TopicRuntime>, domains: ReadonlyMap<string, DomainRuntime>): TopicRuntime[] {
  return [...topics.values(), ...[...domains.values()].flatMap((d) => [d.scope, ...d.topics.values()])]
}
