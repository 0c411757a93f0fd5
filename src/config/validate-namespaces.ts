/**
 * Rules for `namespaces:` a JSON Schema cannot express: which block goes with which delivery mode, durations
 * and their bounds, endpoint URLs, filters (the shared filter engine's validator), ports. Paths are absolute.
 */
import { validateFilter } from '../domain/filter/index.js'
import type { Problem } from '../domain/problems.js'
import { parseIsoDuration } from '../namespaces/iso-duration.js'
import type { NamespaceConfig, NamespaceSubscriptionConfig } from './namespace-types.js'

const MIN_TTL_MS = 60_000 // ARM: eventTimeToLive is at least 1 minute
const DAY_MS = 86_400_000

type RawNamespace = Omit<NamespaceConfig, 'topics'> & { topics?: Record<string, { eventRetentionInDays?: number, eventSubscriptions?: Record<string, NamespaceSubscriptionConfig> | null } | null> | null }

/** `ports` maps ports already taken (server.port, topic ports) to who took them; namespace ports are added. */
export function checkNamespaces (namespaces: Record<string, RawNamespace>, ports: Map<number, string>): Problem[] {
  const problems: Problem[] = []
  for (const [nsName, ns] of Object.entries(namespaces)) {
    const at = ['namespaces', nsName]
    if (ns.port !== undefined) {
      const other = ports.get(ns.port)
      if (other !== undefined) problems.push({ path: [...at, 'port'], message: `port ${ns.port} is already used by ${other}` })
      else ports.set(ns.port, `namespace '${nsName}'`)
    }
    for (const [topicName, topic] of Object.entries(ns.topics ?? {})) {
      const retentionDays = topic?.eventRetentionInDays ?? 1
      for (const [subName, sub] of Object.entries(topic?.eventSubscriptions ?? {})) {
        const subAt = [...at, 'topics', topicName, 'eventSubscriptions', subName]
        problems.push(...checkSubscription(sub, retentionDays).map((p) => ({ path: [...subAt, ...p.path], message: p.message })))
      }
    }
  }
  return problems
}

export function checkSubscription (sub: NamespaceSubscriptionConfig, retentionDays: number): Problem[] {
  const problems: Problem[] = []
  const dc = sub.deliveryConfiguration
  const mode = dc.deliveryMode
  const own = mode === 'Queue' ? 'queue' : 'push'
  const other = mode === 'Queue' ? 'push' : 'queue'
  if (dc[other] !== undefined) {
    problems.push({ path: ['deliveryConfiguration', other], message: `'${other}' does not apply to deliveryMode ${mode}; use '${own}' (or set deliveryMode: ${mode === 'Queue' ? 'Push' : 'Queue'})` })
  }
  if (mode === 'Push' && dc.push === undefined) {
    problems.push({ path: ['deliveryConfiguration'], message: 'missing required key \'push\' (deliveryMode Push needs push.destination with an endpointUrl)' })
  }
  const block = dc[own]
  const ttl = block?.eventTimeToLive
  if (ttl !== undefined) {
    const ms = parseIsoDuration(ttl)
    const path = ['deliveryConfiguration', own, 'eventTimeToLive']
    if (ms === undefined) problems.push({ path, message: `'${ttl}' is not an ISO 8601 duration of days/hours/minutes/seconds, like P1D, PT10M or P1DT12H` })
    else if (ms < MIN_TTL_MS) problems.push({ path, message: `'${ttl}' is shorter than the minimum of 1 minute (PT1M)` })
    else if (ms > retentionDays * DAY_MS) problems.push({ path, message: `'${ttl}' is longer than the topic's eventRetentionInDays (${retentionDays} day${retentionDays === 1 ? '' : 's'}); raise eventRetentionInDays (at most 7) or shorten the TTL` })
  }
  const url = dc.push?.destination.properties.endpointUrl
  if (mode === 'Push' && url !== undefined && !/^https?:\/\/[^/\s]+/i.test(url) && !url.startsWith('/')) {
    problems.push({ path: ['deliveryConfiguration', 'push', 'destination', 'properties', 'endpointUrl'], message: `'${url}' is not an http(s) URL or a path on this emulator (like /sink/demo)` })
  }
  const fc = sub.filtersConfiguration
  if (fc !== undefined) {
    const asFilter = { includedEventTypes: fc.includedEventTypes, advancedFilters: fc.filters }
    for (const p of validateFilter(asFilter)) {
      const [head, ...rest] = p.path
      const mapped = head === 'advancedFilters' ? ['filters', ...rest] : p.path
      problems.push({ path: ['filtersConfiguration', ...mapped], message: p.message.replace(/advancedFilters/g, 'filters') })
    }
  }
  return problems
}
