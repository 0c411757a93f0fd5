/**
 * What changed between two validated configs, as a plan the emulator applies. Topics and domains are flattened
 * into subscription scopes (`<topic>`, `<domain>`, `<domain>/<domainTopic>`), compared by their settings (all
 * keys but subscriptions) and their subscriptions by body. Only the files are compared: subscriptions created at
 * runtime (PUT /admin/...) are left alone unless the file now declares the same name.
 */
import { isDeepStrictEqual } from 'node:util'
import type { DomainConfig, EmulatorConfig, SubscriptionBody, TopicConfig } from '../config/types.js'

export interface SubscriptionChange {
  name: string
  /** `changed`: same destination, new settings (pending events and state kept); `replaced`: new destination (handshake again). */
  kind: 'added' | 'removed' | 'changed' | 'replaced'
  body?: SubscriptionBody
}

export interface ConfigDiff {
  topics: { added: string[], removed: string[], changed: string[] }
  domains: { added: string[], removed: string[], changed: string[] }
  /** Per scope that exists in both files (after its topic/domain settings were applied). */
  subscriptions: Map<string, SubscriptionChange[]>
  /** Domain topics declared in the new file but not the old one, per domain (created even without subscriptions). */
  domainTopicsAdded: Map<string, string[]>
  /** Keys that only take effect after a restart. */
  needsRestart: string[]
}

export function diffConfigs (before: EmulatorConfig, after: EmulatorConfig): ConfigDiff {
  const topics = diffNamed(before.topics, after.topics, (a, b) => isDeepStrictEqual(withoutSubs(a), withoutSubs(b)))
  const domains = diffNamed(before.domains ?? {}, after.domains ?? {}, (a, b) => isDeepStrictEqual(domainSettings(a), domainSettings(b)))
  const subscriptions = new Map<string, SubscriptionChange[]>()
  const note = (scope: string, old: Record<string, SubscriptionBody>, next: Record<string, SubscriptionBody>): void => {
    const changes = diffSubscriptions(old, next)
    if (changes.length > 0) subscriptions.set(scope, changes)
  }
  for (const name of [...topics.changed, ...unchangedNames(before.topics, after.topics, topics)]) {
    note(name, before.topics[name]!.subscriptions, after.topics[name]!.subscriptions)
  }
  const domainTopicsAdded = new Map<string, string[]>()
  const beforeDomains = before.domains ?? {}
  const afterDomains = after.domains ?? {}
  for (const name of [...domains.changed, ...unchangedNames(beforeDomains, afterDomains, domains)]) {
    const old = beforeDomains[name]!
    const next = afterDomains[name]!
    note(name, old.subscriptions, next.subscriptions)
    const added: string[] = []
    for (const topic of new Set([...Object.keys(old.topics), ...Object.keys(next.topics)])) {
      if (old.topics[topic] === undefined) added.push(topic)
      note(`${name}/${topic}`, old.topics[topic]?.subscriptions ?? {}, next.topics[topic]?.subscriptions ?? {})
    }
    if (added.length > 0) domainTopicsAdded.set(name, added)
  }
  const needsRestart: string[] = []
  if (!isDeepStrictEqual(before.server, after.server)) needsRestart.push('server')
  if (!isDeepStrictEqual(before.delivery, after.delivery)) needsRestart.push('delivery')
  // Built once at start: the resource bounds, the namespace broker and the ACS data plane (keys, outcome rules).
  if (!isDeepStrictEqual(before.limits, after.limits)) needsRestart.push('limits')
  if (!isDeepStrictEqual(before.namespaces, after.namespaces)) needsRestart.push('namespaces')
  if (!isDeepStrictEqual(before.acs, after.acs)) needsRestart.push('acs')
  return { topics, domains, subscriptions, domainTopicsAdded, needsRestart }
}

/** Two subscription bodies deliver to the same place when their destinations (and handshake setting) are equal. */
export function sameDestination (a: SubscriptionBody, b: SubscriptionBody): boolean {
  return isDeepStrictEqual(a.destination, b.destination) && (a.validation ?? 'auto') === (b.validation ?? 'auto')
}

/** The one-line summary a reload logs: "topics +a -b ~c; subscriptions +x ~y ±z -w" with names. */
export function describeDiff (diff: ConfigDiff): string {
  const parts: string[] = []
  const list = (what: string, sign: string, names: string[]): void => { if (names.length > 0) parts.push(`${sign}${what} ${names.join(', ')}`) }
  list('topic', '+', diff.topics.added)
  list('topic', '~', diff.topics.changed)
  list('topic', '-', diff.topics.removed)
  list('domain', '+', diff.domains.added)
  list('domain', '~', diff.domains.changed)
  list('domain', '-', diff.domains.removed)
  const subs = (kind: SubscriptionChange['kind']): string[] =>
    [...diff.subscriptions].flatMap(([scope, changes]) => changes.filter((c) => c.kind === kind).map((c) => `${scope}/${c.name}`))
  list('subscription', '+', subs('added'))
  list('subscription', '~', subs('changed'))
  list('subscription (new destination, handshake again)', '~', subs('replaced'))
  list('subscription', '-', subs('removed'))
  if (diff.needsRestart.length > 0) parts.push(`not applied until restart: ${diff.needsRestart.join(', ')}`)
  return parts.length === 0 ? 'no changes' : parts.join('; ')
}

function diffSubscriptions (old: Record<string, SubscriptionBody>, next: Record<string, SubscriptionBody>): SubscriptionChange[] {
  const changes: SubscriptionChange[] = []
  for (const [name, body] of Object.entries(next)) {
    const was = old[name]
    if (was === undefined) changes.push({ name, kind: 'added', body })
    else if (!isDeepStrictEqual(was, body)) changes.push({ name, kind: sameDestination(was, body) ? 'changed' : 'replaced', body })
  }
  for (const name of Object.keys(old)) if (next[name] === undefined) changes.push({ name, kind: 'removed' })
  return changes
}

function diffNamed<T> (before: Record<string, T>, after: Record<string, T>, same: (a: T, b: T) => boolean): { added: string[], removed: string[], changed: string[] } {
  const added = Object.keys(after).filter((n) => before[n] === undefined)
  const removed = Object.keys(before).filter((n) => after[n] === undefined)
  const changed = Object.keys(after).filter((n) => before[n] !== undefined && !same(before[n]!, after[n]!))
  return { added, removed, changed }
}

function unchangedNames<T> (before: Record<string, T>, after: Record<string, T>, d: { changed: string[] }): string[] {
  return Object.keys(after).filter((n) => before[n] !== undefined && !d.changed.includes(n))
}

function withoutSubs (t: TopicConfig): Omit<TopicConfig, 'subscriptions'> {
  const { subscriptions: _s, ...rest } = t
  return rest
}

function domainSettings (d: DomainConfig): Omit<DomainConfig, 'subscriptions' | 'topics'> {
  const { subscriptions: _s, topics: _t, ...rest } = d
  return rest
}

/** The diff as plain JSON (the body of `POST /admin/reload`). */
export function diffToJson (diff: ConfigDiff): Record<string, unknown> {
  return {
    topics: diff.topics,
    domains: diff.domains,
    subscriptions: Object.fromEntries([...diff.subscriptions].map(([scope, changes]) => [scope, changes.map((c) => ({ name: c.name, change: c.kind }))])),
    needsRestart: diff.needsRestart
  }
}
