/**
 * The delivery engine: routes accepted events to matching subscriptions, sends batches, retries on Event Grid's
 * schedule through one timer queue, and dead-letters or drops what cannot be delivered — recording every step.
 */
import { takeBatch } from '../domain/delivery/batching.js'
import { deadLetterRecord } from '../domain/delivery/dead-letter.js'
import { buildOutbound, renderEvent } from '../domain/delivery/outbound.js'
import { decideNextStep, deliveryOutcome, isExpired, isSuccessStatus, type DeadLetterReason } from '../domain/delivery/retry-policy.js'
import type { AcceptedEvent } from '../domain/events.js'
import type { DeadLetterStore } from './dead-letter-store.js'
import type { DeliveryLog, DeliveryRecord } from './delivery-log.js'
import type { Clock, Transport, TransportResult } from './ports.js'
import { Fifo } from './fifo.js'
import { selfLoopProblem } from './self-loop.js'
import { filterView, type SubscriptionRuntime } from './subscription.js'
import { TimerQueue } from './timer-queue.js'
import type { DeliveryObserver } from './observer.js'

export interface EngineOptions {
  clock: Clock
  transport: Transport
  log: DeliveryLog
  deadLetters: DeadLetterStore
  timeScale: number
  /** Response timeout per attempt (Event Grid: 30 s). Not scaled: it bounds a real HTTP exchange. */
  timeoutMs: number
  /** Base URL of this emulator, for endpoint URLs written as paths (`/sink/demo`). */
  baseUrl: () => string
  /** Base URLs of the topic, domain and namespace ports: publish endpoints too, so deliveries must not loop there. */
  ownPortUrls?: () => readonly string[]
  random?: () => number
  /** Parallel requests per subscription (Event Grid delivers in parallel, without ordering). */
  concurrency?: number
  logger?: EngineLogger
  /** Sees every attempt as sent and answered (event detail in the dashboard). Must be cheap and must not throw. */
  onAttempt?: (attempt: AttemptDetail) => void
  /** Sees events enter a subscription's care and every record about them (durable mode journals both). */
  observer?: DeliveryObserver
}

export interface EngineLogger {
  info: (obj: object, msg: string) => void
  warn: (obj: object, msg: string) => void
  debug?: (obj: object, msg: string) => void
  isLevelEnabled?: (level: string) => boolean
}

/** One delivery attempt as it went over the wire. */
export interface AttemptDetail {
  topic: string
  subscription: string
  eventIds: string[]
  attempt: number
  startedAt: number
  request: { method: 'POST', url: string, headers: Record<string, string>, body: string }
  result: TransportResult
}

/** Events held for a subscription that is not yet validated, at most; more are recorded as dropped. */
export const MAX_WAITING_EVENTS = 10_000

interface Batch {
  sub: SubscriptionRuntime
  events: AcceptedEvent[]
  /** Attempts made so far. */
  attempts: number
  last?: TransportResult
  /** When the last attempt ended (dead-letter `lastDeliveryAttemptTime`). */
  lastAttemptAt?: number
}

export class DeliveryEngine {
  /** Dead-letter writes under way (close() waits for them). */
  private readonly writes = new Set<Promise<void>>()
  private readonly retries: TimerQueue<Batch>
  private readonly random: () => number
  private readonly concurrency: number
  /** Retries whose time has come, waiting for a free slot of their subscription (retries obey the concurrency cap too). */
  private readonly dueRetries = new Map<SubscriptionRuntime, Fifo<Batch>>()
  private inFlightTotal = 0
  private closing = false
  private readonly idleWaiters: Array<() => void> = []

  constructor (private readonly opts: EngineOptions) {
    this.retries = new TimerQueue(opts.clock, (batch) => { this.retryDue(batch) })
    this.random = opts.random ?? Math.random
    this.concurrency = opts.concurrency ?? 16
  }

  /**
   * Offers accepted events to a topic's subscriptions, recording why each non-matching one declined. A filter
   * that throws on an event drops that event for that subscription only, with the error as reason.
   */
  route (subscriptions: Iterable<SubscriptionRuntime>, events: readonly AcceptedEvent[]): void {
    const time = new Date(this.opts.clock.now()).toISOString()
    for (const sub of subscriptions) {
      const matched: AcceptedEvent[] = []
      for (const event of events) {
        let verdict: boolean
        const view = filterView(event)
        try {
          verdict = sub.filter.matches(view)
        } catch (err) {
          this.fail(sub, [event], 'evaluating the filter', err, false)
          continue
        }
        if (verdict) { matched.push(event); continue }
        const record = this.opts.log.add(new NotMatchedRecord(sub, event, view, time))
        // Explaining costs as much as filtering: only when someone reads debug lines.
        if (this.debugEnabled()) this.opts.logger?.debug?.({ topic: sub.topic, subscription: sub.name, eventId: event.id, eventType: event.type, reason: record.reason }, 'event not matched')
      }
      if (matched.length > 0) this.enqueue(sub, matched)
    }
  }

  enqueue (sub: SubscriptionRuntime, events: AcceptedEvent[]): void {
    this.opts.observer?.enqueued(sub, events)
    // Counted first, so the Dropped record below settles exactly what was added.
    sub.backlog += events.length
    if (sub.state === 'Failed') {
      this.record(sub, events, { outcome: 'Dropped', reason: `subscription is Failed: ${sub.stateReason ?? 'validation failed'}` })
      return
    }
    if (sub.state !== 'Succeeded' && sub.ready.length + events.length > MAX_WAITING_EVENTS) {
      // Bounded while the endpoint is not validated: the excess is recorded, not silently lost.
      const excess = events.splice(Math.max(0, MAX_WAITING_EVENTS - sub.ready.length))
      this.record(sub, excess, { outcome: 'Dropped', reason: `subscription is ${sub.state} and already holds ${MAX_WAITING_EVENTS} events waiting for validation` })
      if (events.length === 0) return
    }
    sub.ready.pushAll(events)
    if (sub.state !== 'Succeeded') {
      this.record(sub, events, { outcome: 'Waiting', reason: `subscription is ${sub.state}; events are held until validation succeeds` })
      return
    }
    this.pump(sub)
  }

  /** Starts as many batches as the subscription's concurrency allows: due retries first, then new events. */
  pump (sub: SubscriptionRuntime): void {
    if (this.closing || !sub.active || sub.state !== 'Succeeded') return
    const retries = this.dueRetries.get(sub)
    while (retries !== undefined && retries.length > 0 && sub.inFlight < this.concurrency) this.launch(retries.shift()!)
    if (retries?.length === 0) this.dueRetries.delete(sub)
    const sizeOf = (e: AcceptedEvent): number => Buffer.byteLength(JSON.stringify(renderEvent(e, sub.deliverySchema)))
    while (sub.ready.length > 0 && sub.inFlight < this.concurrency) {
      let events: AcceptedEvent[]
      try {
        events = takeBatch(sub.ready, sub.batch, sizeOf)
      } catch (err) {
        // Some event cannot be rendered. If it is the head, it leaves the queue with a reason; if the head is fine
        // it goes alone, and the bad event becomes the head next time round. Either way the queue moves on.
        let headOk = true
        try { sizeOf(sub.ready.peek(0)!) } catch { headOk = false }
        const head = sub.ready.shift()!
        if (headOk) this.launch({ sub, events: [head], attempts: 0 })
        else this.fail(sub, [head], 'measuring the event for batching', err)
        continue
      }
      this.launch({ sub, events, attempts: 0 })
    }
  }

  /** Starts an attempt; whatever escapes it is recorded against its batch, never left as an unhandled rejection. */
  private launch (batch: Batch): void {
    this.attempt(batch).catch((err: unknown) => { this.fail(batch.sub, batch.events, 'delivering', err) })
  }

  /**
   * The last line of defence: an unexpected exception while handling events is recorded against those events and
   * that subscription as Dropped, with the error as reason; the queue and every other subscription carry on.
   */
  private fail (sub: SubscriptionRuntime, events: readonly AcceptedEvent[], doing: string, err: unknown, counted = true): void {
    const message = err instanceof Error ? `${err.name}: ${err.message}` : String(err)
    if (!counted) sub.backlog += events.length
    try {
      this.record(sub, events, { outcome: 'Dropped', reason: `internal error while ${doing}: ${message}` })
      this.opts.logger?.warn({ topic: sub.topic, subscription: sub.name, eventIds: events.map((e) => e.id), err: message }, `event dropped: internal error while ${doing}`)
    } catch { /* recording itself failed: nothing more can be done for these events */ }
  }

  /** Called when validation ended: deliver what waited, or drop it if the subscription failed. */
  validationSettled (sub: SubscriptionRuntime): void {
    if (sub.state === 'Succeeded') { this.pump(sub); return }
    // A refused handshake (also after a re-validate) ends everything the subscription still holds: waiting events,
    // due and scheduled retries. Left alone they would never get an outcome, and the topic's back-pressure count
    // would never come down.
    if (sub.state === 'Failed') this.dropWaiting(sub, `subscription validation failed: ${sub.stateReason ?? ''}`)
  }

  /** Removes a subscription's pending work (on delete or replace); pending events are recorded as dropped. */
  detach (sub: SubscriptionRuntime, why: string): void {
    sub.active = false
    this.dropWaiting(sub, why)
  }

  /**
   * Takes back a batch that was pending when the emulator stopped (durable mode): it is attempted at `dueAt` (now
   * or earlier: at once) with its attempt count, after the checks every retry gets (subscription state, TTL).
   */
  restore (retry: { sub: SubscriptionRuntime, events: AcceptedEvent[], attempts: number, dueAt: number }): void {
    retry.sub.backlog += retry.events.length
    this.retries.push({ sub: retry.sub, events: retry.events, attempts: retry.attempts }, retry.dueAt)
  }

  get pendingRetries (): number { return this.retries.size + [...this.dueRetries.values()].reduce((n, b) => n + b.length, 0) }

  /** Accepted events of these subscriptions that have no final outcome yet (the back-pressure measure). */
  backlogOf (subscriptions: Iterable<SubscriptionRuntime>): number {
    let n = 0
    for (const sub of subscriptions) n += sub.backlog
    return n
  }
  get inFlight (): number { return this.inFlightTotal }

  /** Resolves when no request is in flight (used by graceful shutdown and tests). */
  async idle (): Promise<void> {
    if (this.inFlightTotal === 0) return
    await new Promise<void>((resolve) => this.idleWaiters.push(resolve))
  }

  /**
   * Graceful stop: no new attempts; everything not yet sent is recorded as dropped at once; in-flight requests get
   * `graceMs` to finish, then `abort` cuts them (their batches are recorded as dropped too). Nothing accepted
   * leaves without a record.
   */
  async close (graceMs: number, subscriptions: Iterable<SubscriptionRuntime>, abort: () => Promise<void>): Promise<ShutdownSummary> {
    this.closing = true
    this.retries.stop()
    const inFlight = this.inFlightTotal
    let dropped = 0
    const stopCounting = this.opts.log.onRecord((r) => { if (r.outcome === 'Dropped') dropped += r.eventIds.length })
    let pending = 0
    for (const sub of subscriptions) pending += this.dropWaiting(sub, 'emulator shut down before delivery')
    let timer: NodeJS.Timeout | undefined
    const graceOver = new Promise<'timeout'>((resolve) => { timer = setTimeout(() => { resolve('timeout') }, graceMs) })
    const outcome = await Promise.race([this.idle().then(() => 'idle' as const), graceOver])
    clearTimeout(timer)
    if (outcome === 'timeout') {
      await abort()
      await this.idle()
    }
    // Dead-letter files being written (attempts that just ended) get their final records before close() resolves.
    while (this.writes.size > 0) await Promise.allSettled([...this.writes])
    stopCounting()
    return { inFlightRequests: inFlight, pendingDropped: pending, droppedTotal: dropped, cutAfterGrace: outcome === 'timeout' }
  }

  /** Forgets waiting events and pending retries (POST /admin/reset). */
  reset (subscriptions: Iterable<SubscriptionRuntime>): void {
    for (const sub of subscriptions) this.dropWaiting(sub, 'cleared by POST /admin/reset')
  }

  /** Records as dropped, and forgets, a subscription's unsent events and pending retries. */
  private dropWaiting (sub: SubscriptionRuntime, why: string): number {
    const pending = sub.ready.drain()
    let n = pending.length
    if (pending.length > 0) this.record(sub, pending, { outcome: 'Dropped', reason: why })
    for (const batch of this.dueRetries.get(sub)?.drain() ?? []) { n += batch.events.length; this.record(sub, batch.events, { outcome: 'Dropped', reason: why }) }
    this.dueRetries.delete(sub)
    for (const batch of this.retries.remove((b) => b.sub === sub)) { n += batch.events.length; this.record(sub, batch.events, { outcome: 'Dropped', reason: why }) }
    return n
  }

  private async attempt (batch: Batch): Promise<void> {
    const { sub } = batch
    let message: ReturnType<typeof buildOutbound>
    try {
      message = buildOutbound(batch.events, {
        subscriptionName: sub.name,
        deliverySchema: sub.deliverySchema,
        batching: sub.batching,
        attributeMappings: sub.body.destination.properties.deliveryAttributeMappings ?? []
      }, batch.attempts)
    } catch (err) {
      // No pump() here: the pump loop that launched this attempt carries on (a call would recurse per event).
      this.fail(sub, batch.events, 'building the request', err)
      return
    }
    const url = this.resolveUrl(sub.endpointUrl)
    const loop = [this.opts.baseUrl(), ...(this.opts.ownPortUrls?.() ?? [])].map((own) => selfLoopProblem(url, own)).find((p) => p !== undefined)
    if (loop !== undefined) {
      this.record(sub, batch.events, { outcome: 'Dropped', reason: `endpoint ${loop}` })
      return
    }
    sub.inFlight++
    this.inFlightTotal++
    const started = this.opts.clock.now()
    let result: TransportResult
    try {
      result = await this.opts.transport.send({ method: 'POST', url, headers: message.headers, body: message.body, timeoutMs: this.opts.timeoutMs })
    } catch (err) {
      // A transport is not supposed to throw; if one does, the attempt failed like a broken connection would.
      result = { headers: {}, error: 'SocketError', errorMessage: (err as Error).message, durationMs: this.opts.clock.now() - started }
    } finally {
      sub.inFlight--
      this.inFlightTotal--
    }
    batch.attempts++
    if (this.opts.onAttempt !== undefined) {
      const url = this.resolveUrl(sub.endpointUrl)
      // The wire detail is for people looking; it must never cost the delivery its outcome.
      try {
        this.opts.onAttempt({ topic: sub.topic, subscription: sub.name, eventIds: batch.events.map((e) => e.id), attempt: batch.attempts, startedAt: started, request: { method: 'POST', url, headers: message.headers, body: message.body }, result })
      } catch { /* the observer reports its own errors */ }
    }
    batch.last = result
    batch.lastAttemptAt = this.opts.clock.now()
    try {
      this.afterAttempt(batch, started)
    } catch (err) {
      this.fail(sub, batch.events, 'recording the attempt', err)
    }
    if (this.inFlightTotal === 0) for (const w of this.idleWaiters.splice(0)) w()
    this.pump(sub)
  }

  private afterAttempt (batch: Batch, started: number): void {
    const { sub, last } = batch
    const common = { attempt: batch.attempts, status: last?.status, error: last?.error, durationMs: round(last?.durationMs) }
    if (!sub.active || this.closing) {
      const ok = last?.status !== undefined && isSuccessStatus(last.status)
      const why = this.closing ? `emulator shut down after this attempt (${failureText(last)})` : 'subscription was deleted or replaced'
      this.record(sub, batch.events, { ...common, outcome: ok ? 'Delivered' : 'Dropped', reason: ok ? undefined : why }, started)
      return
    }
    const step = decideNextStep({ attempts: batch.attempts, maxDeliveryAttempts: sub.maxDeliveryAttempts, result: last ?? {}, timeScale: this.opts.timeScale, random: this.random() })
    if (step.kind === 'delivered') {
      this.record(sub, batch.events, { ...common, outcome: 'Delivered' }, started)
    } else if (step.kind === 'retry') {
      const due = this.opts.clock.now() + step.delayMs
      this.record(sub, batch.events, { ...common, outcome: 'Failed', reason: failureText(last), nextAttemptTime: new Date(due).toISOString() }, started)
      this.retries.push(batch, due)
    } else {
      this.record(sub, batch.events, { ...common, outcome: 'Failed', reason: failureText(last) }, started)
      this.deadLetter(batch, step.reason)
    }
  }

  private retryDue (batch: Batch): void {
    try {
      this.retryDueUnsafe(batch)
    } catch (err) {
      this.fail(batch.sub, batch.events, 'scheduling a retry', err)
    }
  }

  private retryDueUnsafe (batch: Batch): void {
    const { sub } = batch
    if (!sub.active) { this.record(sub, batch.events, { outcome: 'Dropped', reason: 'subscription was deleted or replaced' }); return }
    // A retry whose attempt was in flight when the handshake failed comes due after validationSettled dropped the rest.
    if (sub.state === 'Failed') { this.record(sub, batch.events, { outcome: 'Dropped', reason: `subscription validation failed: ${sub.stateReason ?? ''}` }); return }
    // Event Grid checks the time-to-live only when the next attempt is due (reference §5.7).
    const now = this.opts.clock.now()
    const oldest = Math.min(...batch.events.map((e) => Date.parse(e.publishTime)))
    if (isExpired(oldest, now, sub.ttlMinutes, this.opts.timeScale)) { this.deadLetter(batch, 'TimeToLiveExceeded'); return }
    let due = this.dueRetries.get(sub)
    if (due === undefined) { due = new Fifo(); this.dueRetries.set(sub, due) }
    due.push(batch)
    this.pump(sub)
  }

  private deadLetter (batch: Batch, reason: DeadLetterReason): void {
    const { sub, last } = batch
    const facts = {
      reason,
      deliveryAttempts: batch.attempts,
      lastDeliveryOutcome: deliveryOutcome(last?.status, last?.error),
      lastHttpStatusCode: last?.status,
      lastDeliveryAttemptTime: new Date(batch.lastAttemptAt ?? this.opts.clock.now()).toISOString()
    }
    // The last attempt's facts go on the log line (the record itself is not an attempt).
    const lastAttempt = { attempt: batch.attempts, status: last?.status, error: last?.error }
    if (sub.deadLetterContainer === undefined) {
      this.record(sub, batch.events, { outcome: 'Dropped', reason: `${reason}; no deadLetterDestination is configured, so the event is dropped` }, undefined, lastAttempt)
      return
    }
    const eventIds = batch.events.map((e) => e.id)
    // Promise.resolve().then: a synchronous throw (rendering a record, serialising it) lands in the same catch.
    // close() waits for these writes, so the DeadLettered records exist when it resolves.
    const write = Promise.resolve()
      .then(async () => await this.opts.deadLetters.write({ topic: sub.topic, subscription: sub.name, container: sub.deadLetterContainer!, reason, eventIds, events: batch.events.map((e) => deadLetterRecord(e, sub.deliverySchema, facts)), now: new Date(this.opts.clock.now()) }))
      .then((entry) => { this.record(sub, batch.events, { outcome: 'DeadLettered', reason: `${reason}; written to ${entry.path}` }, undefined, lastAttempt) },
        (err: Error) => { this.record(sub, batch.events, { outcome: 'Dropped', reason: `${reason}; writing the dead-letter file failed: ${err.message}` }, undefined, lastAttempt) })
      .catch((err: unknown) => { this.fail(sub, batch.events, 'recording a dead-letter', err, true) })
    this.writes.add(write)
    void write.finally(() => { this.writes.delete(write) })
  }

  private record (sub: SubscriptionRuntime, events: readonly AcceptedEvent[], fields: { outcome: 'Delivered' | 'Failed' | 'DeadLettered' | 'Dropped' | 'NotMatched' | 'Waiting', reason?: string, attempt?: number, status?: number, error?: string, durationMs?: number, nextAttemptTime?: string }, at?: number, logExtra?: object): void {
    // Final outcomes settle the events' place in the back-pressure count.
    if (fields.outcome === 'Delivered' || fields.outcome === 'DeadLettered' || fields.outcome === 'Dropped') sub.backlog = Math.max(0, sub.backlog - events.length)
    const clean = Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined)) as typeof fields
    const record = this.opts.log.add({ time: new Date(at ?? this.opts.clock.now()).toISOString(), topic: sub.topic, subscription: sub.name, eventIds: events.map((e) => e.id), ...describeEvents(events), ...clean })
    this.opts.observer?.recorded(sub, events, record)
    this.logOutcome(record, logExtra)
  }

  /**
   * One log line per decision: what went wrong at warn (retry scheduled, dead-lettered, dropped), what went right
   * or was merely held at debug, so the default level stays quiet and fast.
   */
  private logOutcome (r: DeliveryRecord, extra?: object): void {
    const logger = this.opts.logger
    if (logger === undefined) return
    // The common case (delivered) logs at debug: skip building the line when nobody reads it.
    const quiet = r.outcome === 'Delivered' || r.outcome === 'Waiting' || (r.outcome === 'Failed' && r.nextAttemptTime === undefined)
    if (quiet && !this.debugEnabled()) return
    const fields = { topic: r.topic, subscription: r.subscription, eventId: r.eventIds.length === 1 ? r.eventIds[0] : r.eventIds, eventType: r.eventType, status: r.status, error: r.error, attempt: r.attempt, ...extra, reason: r.reason }
    switch (r.outcome) {
      case 'Failed':
        if (r.nextAttemptTime !== undefined) logger.warn({ ...fields, nextAttemptTime: r.nextAttemptTime }, 'delivery failed, retry scheduled')
        else logger.debug?.(fields, 'delivery failed, no attempts left') // the DeadLettered/Dropped line follows
        return
      case 'DeadLettered': logger.warn(fields, 'event dead-lettered'); return
      case 'Dropped': logger.warn(fields, 'event dropped'); return
      case 'Delivered': logger.debug?.({ ...fields, durationMs: r.durationMs }, 'event delivered'); return
      default: logger.debug?.(fields, r.outcome === 'Waiting' ? 'event waiting for validation' : 'event recorded')
    }
  }

  private debugEnabled (): boolean {
    const logger = this.opts.logger
    return logger?.debug !== undefined && (logger.isLevelEnabled?.('debug') ?? true)
  }

  resolveUrl (url: string): string {
    return url.startsWith('/') ? `${this.opts.baseUrl()}${url}` : url
  }
}

/**
 * The record for a subscription that declined an event. Explaining a verdict costs as much as reaching it, and
 * most such records are never read, so the reason is worked out when first read (and then kept).
 */
class NotMatchedRecord {
  readonly outcome = 'NotMatched' as const
  readonly topic: string
  readonly subscription: string
  readonly eventIds: string[]
  seq = 0
  private explained: string | undefined

  constructor (private readonly sub: SubscriptionRuntime, event: AcceptedEvent, private readonly view: Record<string, unknown>, readonly time: string) {
    this.topic = sub.topic
    this.subscription = sub.name
    this.eventIds = [event.id]
    this.eventType = event.type
    this.subject = subjectOf(event)
  }

  readonly eventType: string
  readonly subject: string | undefined

  get reason (): string {
    if (this.explained !== undefined) return this.explained
    try {
      this.explained = this.sub.filter.explain(this.view).reason
    } catch (err) {
      this.explained = `the filter did not match (explaining why failed: ${(err as Error).message})`
    }
    return this.explained
  }

  toJSON (): DeliveryRecord {
    return { seq: this.seq, time: this.time, topic: this.topic, subscription: this.subscription, eventIds: this.eventIds, eventType: this.eventType, ...(this.subject !== undefined ? { subject: this.subject } : {}), outcome: this.outcome, reason: this.reason }
  }
}

/** What close() found: logged as the shutdown summary line. */
export interface ShutdownSummary {
  /** Requests in flight when shutdown began. */
  inFlightRequests: number
  /** Events queued or waiting for a retry, recorded as Dropped at once. */
  pendingDropped: number
  /** Events recorded as Dropped during shutdown (the pending ones and those of cut requests). */
  droppedTotal: number
  /** True when in-flight requests outlived the grace and were cut (their events recorded as Dropped too). */
  cutAfterGrace: boolean
}

function subjectOf (event: AcceptedEvent): string | undefined {
  return event.eventGrid?.subject ?? event.cloudEvent?.subject
}

/** The type and subject a record shows: the event's own, or for a batch the distinct types and the shared subject. */
function describeEvents (events: readonly AcceptedEvent[]): { eventType?: string, subject?: string } {
  const first = events[0]
  if (first === undefined) return {}
  if (events.length === 1) { const subject = subjectOf(first); return subject === undefined ? { eventType: first.type } : { eventType: first.type, subject } }
  const types = [...new Set(events.map((e) => e.type))].join(',')
  const subject = subjectOf(first)
  return subject !== undefined && events.every((e) => subjectOf(e) === subject) ? { eventType: types, subject } : { eventType: types }
}

function failureText (r: TransportResult | undefined): string {
  if (r === undefined) return 'no response'
  if (r.error !== undefined) return `${r.error}: ${r.errorMessage ?? ''}`
  return `HTTP ${r.status ?? '?'}`
}

function round (ms: number | undefined): number | undefined {
  return ms === undefined ? undefined : Math.round(ms * 10) / 10
}
