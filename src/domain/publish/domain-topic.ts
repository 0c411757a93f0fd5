/**
 * Event domains (reference §1, "Event domains"): every event published to a domain names its domain topic —
 * `topic` in the Event Grid schema, `source` for CloudEvents, the mapped `topic` field for a custom schema — as
 * the domain topic's short name or its full resource id. Anything else is refused with Azure's 400.
 */
import { PublishRejected } from './rejection.js'

/** Emulator rule for domain-topic names (Azure documents none beyond "a name"): 3-128 letters, digits, `-`, `_`, `.`. */
export const DOMAIN_TOPIC_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{2,127}$/

/** Azure: 100,000 topics per domain, 500 subscriptions per domain topic, 50 domain-scope subscriptions. */
export const DOMAIN_LIMITS = { topicsPerDomain: 100_000, subscriptionsPerDomainTopic: 500, domainScopeSubscriptions: 50 } as const

/** The resource id of a domain topic: `<domain resource id>/topics/<name>`. */
export function domainTopicId (domainResourceId: string, topic: string): string {
  return `${domainResourceId}/topics/${topic}`
}

/**
 * The domain-topic name an event names, or a 400 with Azure's message. `field` is the property that carried it
 * (`topic`, `source` or the custom mapping's source field) and `at` the event's place in the request.
 */
export function resolveDomainTopic (value: unknown, domainResourceId: string, field: string, at: string): string {
  const fail = (): never => {
    throw new PublishRejected(400, `Required property '${field}' needs to either be a full resource id or should be just the name of the domain topic. Found: ${value === undefined || value === null ? '' : String(typeof value === 'string' ? value : JSON.stringify(value))}. ` +
      `(${at}.${field}: use a domain-topic name of 3-128 letters, digits, '-', '_' or '.', or '${domainResourceId}/topics/<name>'.)`)
  }
  if (typeof value !== 'string' || value === '') return fail()
  const prefix = `${domainResourceId}/topics/`
  const name = value.toLowerCase().startsWith(prefix.toLowerCase()) ? value.slice(prefix.length) : value
  if (!DOMAIN_TOPIC_NAME.test(name)) return fail()
  return name
}
