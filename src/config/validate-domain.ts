/**
 * Cross-field rules for `domains:` (the JSON Schema checks their shape): input schema and mapping, ports, names
 * shared with topics, Azure's subscription limits, and every subscription's own semantics.
 */
import { DOMAIN_LIMITS } from '../domain/publish/domain-topic.js'
import type { Problem } from '../domain/problems.js'
import type { DomainConfig, SubscriptionBody, TopicConfig } from './types.js'
import { checkSubscriptionSemantics } from './validate-subscription.js'

/** A domain as written in the file, before defaults (`subscriptions:` and `topics:` may be empty or null). */
export type RawDomain = Omit<DomainConfig, 'subscriptions' | 'topics'> & {
  subscriptions?: Record<string, SubscriptionBody> | null
  topics?: Record<string, { subscriptions?: Record<string, SubscriptionBody> | null } | null> | null
}

const DOMAIN_ID = /^\/subscriptions\/[^/]+\/resourceGroups\/[^/]+\/providers\/Microsoft\.EventGrid\/domains\/[^/]+$/i

export function checkDomains (domains: Record<string, RawDomain>, topics: Record<string, Pick<TopicConfig, 'port'>>, serverPort: number | undefined, now: Date): Problem[] {
  const problems: Problem[] = []
  const ports = new Map<number, string>()
  for (const [name, t] of Object.entries(topics)) if (t.port !== undefined) ports.set(t.port, `topic '${name}'`)
  for (const [name, domain] of Object.entries(domains)) {
    const at = ['domains', name]
    if (Object.hasOwn(topics, name)) {
      problems.push({ path: at, message: `name '${name}' is also a topic; give the domain another name (the delivery log and dead letters tell topics and domains apart by name)` })
    }
    if (domain.resourceId !== undefined && !DOMAIN_ID.test(domain.resourceId)) {
      problems.push({ path: [...at, 'resourceId'], message: `'${domain.resourceId}' is not a domain resource id: expected /subscriptions/SUB/resourceGroups/RG/providers/Microsoft.EventGrid/domains/NAME` })
    }
    const inputSchema = domain.inputSchema ?? 'EventGridSchema'
    if (inputSchema === 'CustomEventSchema') {
      if (domain.inputSchemaMapping === undefined) problems.push({ path: at, message: 'missing required key \'inputSchemaMapping\' (required when inputSchema is CustomEventSchema)' })
      else if (domain.inputSchemaMapping.properties.topic?.sourceField === undefined) {
        problems.push({ path: [...at, 'inputSchemaMapping', 'properties'], message: 'missing \'topic: { sourceField: ... }\': on a domain the mapped topic field names each event\'s domain topic' })
      }
    } else if (domain.inputSchemaMapping !== undefined) {
      problems.push({ path: [...at, 'inputSchemaMapping'], message: `inputSchemaMapping is only used with inputSchema: CustomEventSchema (this domain uses ${inputSchema})` })
    }
    for (const field of ['eventType', 'subject', 'dataVersion'] as const) {
      const m = domain.inputSchemaMapping?.properties[field]
      if (m !== undefined && m.sourceField === undefined && m.defaultValue === undefined) {
        problems.push({ path: [...at, 'inputSchemaMapping', 'properties', field], message: 'give sourceField, defaultValue or both' })
      }
    }
    if (domain.port !== undefined) {
      const other = ports.get(domain.port)
      if (other !== undefined) problems.push({ path: [...at, 'port'], message: `port ${domain.port} is already used by ${other}` })
      else if (domain.port === serverPort) problems.push({ path: [...at, 'port'], message: `port ${domain.port} is the emulator's own server.port` })
      ports.set(domain.port, `domain '${name}'`)
    }
    const ctx = { inputSchema, knownEventTypes: undefined, now }
    const scoped = Object.entries(domain.subscriptions ?? {})
    if (scoped.length > DOMAIN_LIMITS.domainScopeSubscriptions) {
      problems.push({ path: [...at, 'subscriptions'], message: `${scoped.length} domain-scope subscriptions; Event Grid allows at most ${DOMAIN_LIMITS.domainScopeSubscriptions} per domain` })
    }
    for (const [subName, sub] of scoped) {
      for (const p of checkSubscriptionSemantics(sub, ctx)) problems.push({ path: [...at, 'subscriptions', subName, ...p.path], message: p.message })
    }
    for (const [topicName, topic] of Object.entries(domain.topics ?? {})) {
      const subs = Object.entries(topic?.subscriptions ?? {})
      if (subs.length > DOMAIN_LIMITS.subscriptionsPerDomainTopic) {
        problems.push({ path: [...at, 'topics', topicName, 'subscriptions'], message: `${subs.length} subscriptions; Event Grid allows at most ${DOMAIN_LIMITS.subscriptionsPerDomainTopic} per domain topic` })
      }
      for (const [subName, sub] of subs) {
        for (const p of checkSubscriptionSemantics(sub, ctx)) problems.push({ path: [...at, 'topics', topicName, 'subscriptions', subName, ...p.path], message: p.message })
      }
    }
  }
  return problems
}
