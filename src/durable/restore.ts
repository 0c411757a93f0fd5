/**
 * Durable mode at the emulator's edges: the observer that journals what the delivery engine does, and the restore
 * that puts a replayed journal back into a new emulator (runtime subscriptions, history, dead-letter listing,
 * pending deliveries) before it starts.
 */
import type { DeadLetterEntry } from '../delivery/dead-letter-store.js'
import type { DeliveryLogStore } from '../delivery/ports.js'
import type { DeliveryObserver } from '../delivery/observer.js'
import type { SubscriptionRuntime } from '../delivery/subscription.js'
import type { AcceptedEvent } from '../domain/events.js'
import type { Emulator } from '../emulator.js'
import type { DurableStore } from './durable-store.js'

/** Durable mode journals runtime PUTs and DELETEs (a null body), so those subscriptions come back after a restart. */
export function runtimeChangeJournal (store: DurableStore): (scope: string, name: string, body: unknown) => void {
  return (scope, name, body) => {
    if (body === null) store.subscriptionDeleted([scope, name])
    else store.subscriptionPut([scope, name], body)
  }
}

export function durableObserver (store: DurableStore): DeliveryObserver {
  return {
    enqueued: (sub, events) => { store.enqueued([sub.topic, sub.name], events) },
    recorded: (sub, events, record) => { store.recorded([sub.topic, sub.name], events, record) }
  }
}

/** What the restore needs from the emulator (kept narrow so the emulator's internals stay its own). */
export interface RestoreTarget {
  log: DeliveryLogStore
  /** Lists a dead letter from before the restart. */
  restoreDeadLetter: (entry: DeadLetterEntry) => void
  /** A subscription by scope name (topic, `<domain>`, `<domain>/<topic>`) and name. */
  subscription: (scope: string, name: string) => SubscriptionRuntime | undefined
  /** Re-applies a runtime PUT; returns problems when the body no longer passes (a changed schema, a gone topic). */
  put: (scope: string, name: string, body: unknown) => string[] | undefined
  delete: (scope: string, name: string) => void
  /** Hands a pending batch to the retry scheduler, due at `dueAt` (at once when past). */
  restore: (retry: { sub: SubscriptionRuntime, events: AcceptedEvent[], attempts: number, dueAt: number }) => void
  now: () => number
  warn: (o: object, m: string) => void
}

export interface RestoreSummary { subscriptions: number, history: number, deadLetters: number, pendingEvents: number, droppedEvents: number }

export function restoreFromJournal (store: DurableStore, target: RestoreTarget): RestoreSummary {
  const state = store.state
  const summary: RestoreSummary = { subscriptions: 0, history: 0, deadLetters: 0, pendingEvents: 0, droppedEvents: 0 }
  const orphans: Array<{ scope: string, name: string, events: Array<[number, AcceptedEvent]> }> = []
  store.pause()
  try {
    for (const [key, body] of state.subscriptions) {
      const [scope, name] = key.split('\n') as [string, string]
      if (body === null) { target.delete(scope, name); continue }
      const problems = target.put(scope, name, body)
      if (problems !== undefined) target.warn({ topic: scope, subscription: name, problems }, 'journal: a subscription created at runtime could not be restored')
      else summary.subscriptions++
    }
    for (const r of state.historyRecords()) { target.log.add({ ...r }); summary.history++ }
    for (const e of state.deadLetterEntries()) { target.restoreDeadLetter(e); summary.deadLetters++ }
    const now = target.now()
    for (const batch of state.pendingBatches()) {
      for (const [n, event] of batch.events) store.register(n, event)
      const sub = target.subscription(batch.sub[0], batch.sub[1])
      if (sub === undefined) { orphans.push({ scope: batch.sub[0], name: batch.sub[1], events: batch.events }); continue }
      // Never-attempted events go in batches of the subscription's size; a retried batch stays as it was sent.
      const size = batch.attempts === 0 ? Math.max(1, sub.batch.maxEventsPerBatch) : batch.events.length
      for (let i = 0; i < batch.events.length; i += size) {
        const events = batch.events.slice(i, i + size).map(([, e]) => e)
        target.restore({ sub, events, attempts: batch.attempts, dueAt: batch.due ?? now })
      }
      summary.pendingEvents += batch.events.length
    }
  } finally {
    store.resume()
  }
  // A subscription gone from the config (or its topic gone) owes its events nothing any more: recorded, not lost.
  for (const o of orphans) {
    const events = o.events.map(([, e]) => e)
    const record = target.log.add({
      time: new Date(target.now()).toISOString(),
      topic: o.scope,
      subscription: o.name,
      eventIds: events.map((e) => e.id),
      outcome: 'Dropped',
      reason: `subscription '${o.name}' of '${o.scope}' no longer exists after the restart (removed from the config), so its pending events are dropped`
    })
    store.recorded([o.scope, o.name], events, record)
    target.warn({ topic: o.scope, subscription: o.name, events: events.length }, 'journal: pending events of a subscription that no longer exists were dropped')
    summary.droppedEvents += events.length
  }
  // The journal restarts as exactly this state: short, and without the torn or superseded parts.
  store.compactSoon()
  return summary
}

/** The restore target over an emulator's public methods: what compose.ts calls once the core is built. */
export function emulatorTarget (emulator: Emulator, now: () => number, warn: RestoreTarget['warn']): RestoreTarget {
  return {
    log: emulator.deliveryLog,
    // The store is paused while restoring: listing an entry again does not journal it again.
    restoreDeadLetter: (entry) => { emulator.deadLetters.record(entry) },
    subscription: (scope, name) => emulator.scopeNamed(scope)?.subscriptions.get(name),
    put: (scopeName, name, body) => {
      const topic = emulator.topics.get(scopeName)
      const [domainName, topicName] = scopeName.split('/', 2)
      const domain = topic === undefined ? emulator.domains.get(domainName ?? '') : undefined
      let result
      if (topic !== undefined) result = emulator.putSubscription(topic, name, body)
      else if (domain !== undefined) result = emulator.putDomainSubscription(domain, topicName, name, body)
      else return [`topic '${scopeName}' is no longer in the config`]
      if (result.ok) return undefined
      return 'notFound' in result ? [result.notFound] : result.problems
    },
    delete: (scopeName, name) => { const scope = emulator.scopeNamed(scopeName); if (scope !== undefined) emulator.deleteSubscription(scope, name) },
    restore: (retry) => { emulator.restoreRetry(retry) },
    now,
    warn
  }
}
