/**
 * Event Grid namespaces at runtime: publishing to namespace topics, routing through each subscription's filter
 * into its queue (pull) or to its webhook (push), long-poll receive, settlement, lock and TTL timers on the
 * emulator clock, dead-lettering in the namespace format — every step recorded in the delivery log.
 */
import { randomBytes } from 'node:crypto'
import type { NamespaceConfig } from '../config/namespace-types.js'
import type { DeliveryOutcome } from '../delivery/delivery-log.js'
import type { DeadLetterStorage, DeliveryLogStore, Clock, Transport } from '../delivery/ports.js'
import type { CloudEvent } from '../domain/events.js'
import { NamespaceOutcomes } from './outcomes.js'
import { buildNamespaces, type NsNamespace, type NsSubscription, type NsTopic } from './model.js'
import { PushDispatcher } from './push.js'
import type { Received, Removal, SettleResult } from './queue.js'

export interface BrokerOptions {
  clock: Clock
  transport: Transport
  log: DeliveryLogStore
  deadLetters: DeadLetterStorage
  timeScale: number
  timeoutMs: number
  baseUrl: () => string
  logger: { info: (o: object, m: string) => void, warn: (o: object, m: string) => void, error: (o: object, m: string) => void }
}

export type Settlement = 'acknowledge' | 'release' | 'reject' | 'renewLock'

const OUTCOME: Record<Settlement, DeliveryOutcome> = { acknowledge: 'Acknowledged', release: 'Released', reject: 'Rejected', renewLock: 'LockRenewed' }

export class NamespaceBroker {
  readonly namespaces: Map<string, NsNamespace>
  private readonly push: PushDispatcher
  private readonly outcomes: NamespaceOutcomes
  private closed = false

  constructor (config: Record<string, NamespaceConfig>, private readonly opts: BrokerOptions) {
    // Opaque base64 tokens, like the service's (e.g. "CgMKATESCQoHdG9rZW4tMQ==").
    this.namespaces = buildNamespaces(config, opts.timeScale, () => randomBytes(24).toString('base64'))
    const outcomes = this.outcomes = new NamespaceOutcomes(opts)
    this.push = new PushDispatcher({
      clock: opts.clock,
      transport: opts.transport,
      log: opts.log,
      timeScale: opts.timeScale,
      timeoutMs: opts.timeoutMs,
      resolveUrl: (url) => (url.startsWith('/') ? `${opts.baseUrl()}${url}` : url),
      deadLetter: (sub, event, info) => { outcomes.deadLetter(sub, event, info) },
      drop: (sub, ids, reason) => { outcomes.dropped(sub, ids, reason) }
    })
  }

  topic (ns: string, topic: string): NsTopic | undefined { return this.namespaces.get(ns)?.topics.get(topic) }

  /** Routes accepted CloudEvents to every subscription of the topic whose filter matches. */
  route (topic: NsTopic, events: readonly CloudEvent[]): void {
    const now = this.opts.clock.now()
    const time = new Date(now).toISOString()
    const name = `${topic.namespace}/${topic.name}`
    for (const sub of topic.subscriptions.values()) {
      for (const event of events) {
        if (!sub.filter.matches(event as Record<string, unknown>)) {
          const filter = sub.filter
          this.opts.log.add({ time, topic: name, subscription: sub.name, eventIds: [event.id], outcome: 'NotMatched', get reason () { return filter.explain(event as Record<string, unknown>).reason } })
          continue
        }
        if (sub.queue !== undefined) sub.queue.enqueue(event, now)
        else this.push.enqueue(sub, event, now)
      }
      if (sub.queue !== undefined) { this.serveWaiters(sub); this.schedule(sub) }
    }
  }

  /** Long-poll receive: answers at once when events are available, else when one arrives or after `maxWaitMs` (emulator time). */
  async receive (sub: NsSubscription, maxEvents: number, maxWaitMs: number, signal?: AbortSignal): Promise<Received[]> {
    this.sweep(sub)
    const ready = this.take(sub, maxEvents)
    if (ready.length > 0 || this.closed || maxWaitMs <= 0) return ready
    return await new Promise<Received[]>((resolve) => {
      const waiter = {
        max: maxEvents,
        resolve: (events: Received[]) => {
          if (waiter.timer !== undefined) this.opts.clock.clearTimer(waiter.timer)
          signal?.removeEventListener('abort', onAbort)
          resolve(events)
        },
        timer: undefined as ReturnType<Clock['setTimer']> | undefined
      }
      const leave = (): void => {
        const i = sub.waiters.indexOf(waiter)
        if (i >= 0) sub.waiters.splice(i, 1)
        waiter.resolve([])
      }
      const onAbort = (): void => { leave() }
      waiter.timer = this.opts.clock.setTimer(leave, maxWaitMs * this.opts.timeScale)
      signal?.addEventListener('abort', onAbort, { once: true })
      sub.waiters.push(waiter)
    })
  }

  settle (sub: NsSubscription, op: Settlement, lockTokens: readonly string[], releaseDelaySeconds = 0): SettleResult {
    const queue = sub.queue!
    const now = this.opts.clock.now()
    this.sweep(sub)
    let result: SettleResult
    let removed: Removal[] = []
    switch (op) {
      case 'acknowledge': result = queue.acknowledge(lockTokens, now).result; break
      case 'release': {
        const r = queue.release(lockTokens, releaseDelaySeconds * 1000 * this.opts.timeScale, now)
        result = r.result
        removed = r.deadLettered
        break
      }
      case 'reject': { const r = queue.reject(lockTokens, now); result = r.result; removed = r.deadLettered; break }
      case 'renewLock': result = queue.renewLock(lockTokens, now)
    }
    if (result.succeededLockTokens.length > 0) {
      this.opts.log.add({
        time: new Date(now).toISOString(),
        topic: `${sub.namespace}/${sub.topic}`,
        subscription: sub.name,
        eventIds: [],
        outcome: OUTCOME[op],
        reason: `${result.succeededLockTokens.length} lock token(s)${op === 'release' && releaseDelaySeconds > 0 ? `, available again after ${releaseDelaySeconds} s` : ''}`
      })
    }
    this.handleRemovals(sub, removed)
    this.serveWaiters(sub)
    this.schedule(sub)
    return result
  }

  start (): void { /* push deliveries resolve /paths against baseUrl lazily; nothing to do yet */ }

  /** Drops every queued event, lock and pending push retry (POST /admin/reset). */
  reset (): void {
    this.push.clearRetries()
    for (const sub of this.subscriptions()) {
      sub.queue?.drain()
      if (sub.sweepTimer !== undefined) this.opts.clock.clearTimer(sub.sweepTimer)
      sub.sweepTimer = undefined
      sub.sweepDue = Infinity
    }
  }

  async close (): Promise<void> {
    this.closed = true
    for (const sub of this.subscriptions()) {
      for (const w of sub.waiters.splice(0)) w.resolve([])
      if (sub.sweepTimer !== undefined) this.opts.clock.clearTimer(sub.sweepTimer)
      const left = sub.queue?.drain() ?? []
      if (left.length > 0) this.outcomes.dropped(sub, left.map((e) => e.event.id), 'the emulator shut down with the event still in the queue')
    }
    for (const job of this.push.stop()) this.outcomes.dropped(job.sub, [job.item.eventId], 'the emulator shut down before the next push retry')
    // In-flight push attempts are not awaited here: the emulator's shutdown grace period (and transport
    // destroy) bounds them, and an attempt ending after stop() records its own outcome.
    await this.outcomes.settled()
  }

  subscriptions (): NsSubscription[] {
    return [...this.namespaces.values()].flatMap((ns) => [...ns.topics.values()].flatMap((t) => [...t.subscriptions.values()]))
  }

  describe (sub: NsSubscription): Record<string, unknown> {
    const q = sub.queue
    return {
      name: sub.name,
      deliveryMode: sub.mode,
      ...(q !== undefined
        ? { queueDepth: q.depth, locked: q.lockedCount, delayed: q.delayedCount, receiveLockDurationInSeconds: q.settings.lockMs / 1000 / this.opts.timeScale }
        : { endpointUrl: sub.endpointUrl, pending: sub.pushPending, inFlight: sub.pushInFlight }),
      maxDeliveryCount: sub.maxDeliveryCount,
      deadLettered: this.opts.deadLetters.list({ topic: `${sub.namespace}/${sub.topic}`, subscription: sub.name }).length,
      deadLetterContainer: sub.deadLetterContainer ?? null
    }
  }

  private take (sub: NsSubscription, max: number): Received[] {
    const got = sub.queue!.receive(max, this.opts.clock.now())
    if (got.length > 0) {
      this.opts.log.add({ time: new Date(this.opts.clock.now()).toISOString(), topic: `${sub.namespace}/${sub.topic}`, subscription: sub.name, eventIds: got.map((r) => r.event.id), outcome: 'Received', attempt: Math.max(...got.map((r) => r.deliveryCount)) })
      this.schedule(sub)
    }
    return got
  }

  private serveWaiters (sub: NsSubscription): void {
    while (sub.waiters.length > 0 && sub.queue!.depth - sub.queue!.delayedCount > 0) {
      const w = sub.waiters.shift()!
      w.resolve(this.take(sub, w.max))
    }
  }

  private sweep (sub: NsSubscription): void {
    if (sub.queue === undefined) return
    this.handleRemovals(sub, sub.queue.sweep(this.opts.clock.now()))
  }

  /** Arms one timer per queue for its next lock expiry, delayed release or TTL. */
  private schedule (sub: NsSubscription): void {
    if (this.closed || sub.queue === undefined) return
    const due = sub.queue.nextDue()
    if (due === sub.sweepDue) return
    if (sub.sweepTimer !== undefined) this.opts.clock.clearTimer(sub.sweepTimer)
    sub.sweepTimer = undefined
    sub.sweepDue = due ?? Infinity
    if (due === undefined) return
    sub.sweepTimer = this.opts.clock.setTimer(() => {
      sub.sweepTimer = undefined
      sub.sweepDue = Infinity
      this.sweep(sub)
      this.serveWaiters(sub)
      this.schedule(sub)
    }, Math.max(0, due - this.opts.clock.now()))
  }

  private handleRemovals (sub: NsSubscription, removed: readonly Removal[]): void {
    for (const r of removed) {
      if (r.kind === 'lock-expired') {
        this.opts.log.add({ time: new Date(this.opts.clock.now()).toISOString(), topic: `${sub.namespace}/${sub.topic}`, subscription: sub.name, eventIds: [r.entry.event.id], outcome: 'LockExpired', attempt: r.entry.deliveryCount, reason: 'the lock expired before the event was settled; it returns to the queue' })
      } else {
        this.outcomes.deadLetter(sub, r.entry.event, { reason: r.reason, result: r.result, attempts: r.entry.deliveryCount, publishTime: r.entry.publishTime, lastAttemptAt: r.entry.lastDeliveryAttempt ?? r.entry.publishTime })
      }
    }
  }

  /** Resolves when dead-letter writes and push attempts in progress are done (tests). */
  async idle (): Promise<void> { await this.outcomes.settled(); await this.push.idle() }
}
