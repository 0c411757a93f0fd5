/**
 * Hot reload: applies what changed between the config in effect and a new (validated) one to a running
 * emulator. Untouched subscriptions keep everything; a changed one keeps its pending events and state when its
 * destination is the same, else it is replaced and its handshake runs again. `server` and `delivery` need a
 * restart (the diff says so).
 */
import type { EmulatorConfig } from '../config/types.js'
import type { Emulator } from '../emulator.js'
import { createTopic, type TopicRuntime } from '../scopes.js'
import { createDomain, createDomainTopic, findDomainTopic } from '../event-domains/domain-runtime.js'
import { diffConfigs, type ConfigDiff, type SubscriptionChange } from './config-diff.js'

export function applyConfig (emulator: Emulator, next: EmulatorConfig): ConfigDiff {
  const before = emulator.config
  const diff = diffConfigs(before, next)
  emulator.replaceConfig(next)
  const detachAll = (scope: TopicRuntime, why: string): void => {
    for (const name of [...scope.subscriptions.keys()]) emulator.detachSubscription(scope, name, why)
  }
  // A topic or domain whose settings changed gets a new runtime that adopts the live subscriptions.
  const adopt = (fresh: TopicRuntime, old: TopicRuntime): void => {
    for (const [name, sub] of old.subscriptions) {
      fresh.subscriptions.set(name, sub)
      // The filter is compiled for the input schema, so a schema change rebuilds every subscription's settings.
      if (fresh.inputSchema !== old.inputSchema || fresh.isSystem !== old.isSystem) emulator.reconfigureSubscription(fresh, sub, sub.body)
    }
  }

  for (const name of diff.topics.removed) {
    const topic = emulator.topics.get(name)
    if (topic !== undefined) detachAll(topic, `topic '${name}' was removed from the config file`)
    emulator.topics.delete(name)
  }
  for (const name of diff.topics.added) {
    const topic = createTopic(name, next.topics[name]!)
    emulator.topics.set(name, topic)
    for (const [subName, body] of Object.entries(next.topics[name]!.subscriptions)) emulator.attachSubscription(topic, subName, body, '')
  }
  for (const name of diff.topics.changed) {
    const fresh = createTopic(name, next.topics[name]!)
    adopt(fresh, emulator.topics.get(name)!)
    emulator.topics.set(name, fresh)
  }

  for (const name of diff.domains.removed) {
    const domain = emulator.domains.get(name)
    if (domain !== undefined) for (const scope of [domain.scope, ...domain.topics.values()]) detachAll(scope, `domain '${name}' was removed from the config file`)
    emulator.domains.delete(name)
  }
  for (const name of diff.domains.added) emulator.addDomain(name, next.domains![name]!)
  for (const name of diff.domains.changed) {
    const old = emulator.domains.get(name)!
    const fresh = createDomain(name, next.domains![name]!)
    adopt(fresh.scope, old.scope)
    // Domain topics created at runtime (PUT /admin/domains/...) stay too.
    for (const [topicName, topic] of old.topics) adopt(createDomainTopic(fresh, topicName), topic)
    emulator.domains.set(name, fresh)
  }
  for (const [domainName, topics] of diff.domainTopicsAdded) {
    const domain = emulator.domains.get(domainName)!
    for (const topic of topics) if (findDomainTopic(domain, topic) === undefined) createDomainTopic(domain, topic)
  }

  for (const [scopeName, changes] of diff.subscriptions) applySubscriptionChanges(emulator, scopeName, changes)
  // A domain topic the file no longer declares goes once it has no subscriptions left.
  for (const [name, domain] of emulator.domains) {
    for (const topic of Object.keys(before.domains?.[name]?.topics ?? {})) {
      const found = findDomainTopic(domain, topic)
      if (next.domains?.[name]?.topics[topic] === undefined && found !== undefined && found.runtime.subscriptions.size === 0) domain.topics.delete(found.name)
    }
  }
  return diff
}

function applySubscriptionChanges (emulator: Emulator, scopeName: string, changes: SubscriptionChange[]): void {
  let scope = emulator.scopeNamed(scopeName)
  if (scope === undefined) {
    // A domain topic first declared by this file.
    const [domainName, topicName] = scopeName.split('/', 2)
    const domain = emulator.domains.get(domainName ?? '')
    if (domain === undefined || topicName === undefined) return
    scope = createDomainTopic(domain, topicName)
  }
  for (const change of changes) {
    const current = scope.subscriptions.get(change.name)
    if (change.kind === 'changed' && current !== undefined) {
      emulator.reconfigureSubscription(scope, current, change.body!)
    } else if (change.kind === 'removed') {
      emulator.detachSubscription(scope, change.name, 'subscription was removed from the config file')
    } else {
      const why = change.kind === 'replaced' ? 'subscription destination changed in the config file' : 'subscription was replaced by the config file'
      emulator.attachSubscription(scope, change.name, change.body!, why)
    }
  }
}
