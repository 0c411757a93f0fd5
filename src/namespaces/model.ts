/**
 * The live tree of namespaces → namespace topics → event subscriptions, built from config.
 */
import type { NamespaceConfig, NamespaceSubscriptionConfig } from '../config/namespace-types.js'
import { compileFilter, normalizeFilter, type CompiledFilter } from '../domain/filter/index.js'
import type { TimerHandle } from '../delivery/ports.js'
import { parseIsoDuration } from './iso-duration.js'
import { DEFAULT_MAX_DELIVERY_COUNT } from './push-policy.js'
import { SubscriptionQueue, type Received } from './queue.js'

const DAY_MS = 86_400_000
const DEFAULT_LOCK_SECONDS = 60 // ARM default receiveLockDurationInSeconds

export interface Waiter { max: number, resolve: (events: Received[]) => void, timer: TimerHandle | undefined }

export interface PendingPush { eventId: string, event: import('../domain/events.js').CloudEvent, publishTime: number, expiresAt: number, attempts: number, lastAttemptAt?: number }

export interface NsSubscription {
  readonly namespace: string
  readonly topic: string
  readonly name: string
  readonly config: NamespaceSubscriptionConfig
  readonly mode: 'Queue' | 'Push'
  readonly filter: CompiledFilter
  readonly maxDeliveryCount: number
  /** Emulator ms (already multiplied by delivery.timeScale). */
  readonly ttlMs: number
  readonly deadLetterContainer: string | undefined
  /** Queue mode only. */
  readonly queue: SubscriptionQueue | undefined
  readonly waiters: Waiter[]
  sweepTimer: TimerHandle | undefined
  sweepDue: number
  /** Push mode only. */
  readonly endpointUrl: string | undefined
  validated: boolean
  pushInFlight: number
  pushPending: number
}

export interface NsTopic { readonly namespace: string, readonly name: string, readonly retentionDays: number, readonly subscriptions: Map<string, NsSubscription> }
export interface NsNamespace { readonly name: string, readonly config: NamespaceConfig, readonly keys: readonly string[], readonly topics: Map<string, NsTopic> }

export function buildNamespaces (config: Record<string, NamespaceConfig>, timeScale: number, newToken: () => string): Map<string, NsNamespace> {
  const out = new Map<string, NsNamespace>()
  for (const [nsName, ns] of Object.entries(config)) {
    const topics = new Map<string, NsTopic>()
    for (const [topicName, topic] of Object.entries(ns.topics)) {
      const retentionDays = topic.eventRetentionInDays ?? 1
      const subs = new Map<string, NsSubscription>()
      for (const [subName, sub] of Object.entries(topic.eventSubscriptions)) {
        subs.set(subName, createNsSubscription(nsName, topicName, subName, sub, retentionDays, timeScale, newToken))
      }
      topics.set(topicName, { namespace: nsName, name: topicName, retentionDays, subscriptions: subs })
    }
    out.set(nsName, { name: nsName, config: ns, keys: ns.keys ?? [], topics })
  }
  return out
}

function createNsSubscription (ns: string, topic: string, name: string, config: NamespaceSubscriptionConfig, retentionDays: number, timeScale: number, newToken: () => string): NsSubscription {
  const dc = config.deliveryConfiguration
  const mode = dc.deliveryMode
  const info = mode === 'Queue' ? dc.queue : dc.push
  const ttl = info?.eventTimeToLive !== undefined ? parseIsoDuration(info.eventTimeToLive) : undefined
  const ttlMs = (ttl ?? retentionDays * DAY_MS) * timeScale
  const maxDeliveryCount = info?.maxDeliveryCount ?? DEFAULT_MAX_DELIVERY_COUNT
  const fc = config.filtersConfiguration
  const filter = compileFilter(normalizeFilter({ includedEventTypes: fc?.includedEventTypes, advancedFilters: fc?.filters }), 'CloudEventSchemaV1_0')
  const lockMs = (dc.queue?.receiveLockDurationInSeconds ?? DEFAULT_LOCK_SECONDS) * 1000 * timeScale
  return {
    namespace: ns,
    topic,
    name,
    config,
    mode,
    filter,
    maxDeliveryCount,
    ttlMs,
    deadLetterContainer: info?.deadLetterDestinationWithResourceIdentity?.deadLetterDestination.properties.blobContainerName,
    queue: mode === 'Queue' ? new SubscriptionQueue({ lockMs, maxDeliveryCount, ttlMs }, newToken) : undefined,
    waiters: [],
    sweepTimer: undefined,
    sweepDue: Infinity,
    endpointUrl: dc.push?.destination.properties.endpointUrl,
    validated: false,
    pushInFlight: 0,
    pushPending: 0
  }
}
