/**
 * The delivery engine: routes accepted events to matching subscriptions, sends batches, retries on Event Grid's
 * schedule, and dead-letters or drops what cannot be delivered — recording every step. This class wires the parts
 * in ./engine/ (router, queues, attempt runner, retry scheduler, dead-letterer, outcome recorder) and decides what
 * follows an attempt; each part owns its own state.
 */
import { decideNextStep, isSuccessStatus } from '../domain/delivery-rules/retry-policy.js'
import type { AcceptedEvent } from '../domain/events.js'
import { AttemptRunner } from './engine/attempt-runner.js'
import { DeadLetterer } from './engine/dead-letterer.js'
import { OutcomeRecorder } from './engine/outcome-recorder.js'
import { RetryScheduler } from './engine/retry-scheduler.js'
import { Router } from './engine/router.js'
import { SubscriptionQueues } from './engine/subscription-queue.js'
import type { AttemptDetail, EngineLogger, PendingBatch, RestoredRetry, ShutdownSummary } from './engine/types.js'
import type { Clock, DeadLetterWriter, DeliveryLogStore, TimerHandle, Transport, TransportResult } from './ports.js'
import type { SubscriptionRuntime } from './subscription.js'
import type { SubscriptionMap } from './subscription-map.js'
import type { DeliveryObserver } from './observer.js'

export { MAX_WAITING_EVENTS } from './engine/subscription-queue.js'
export type { AttemptDetail, EngineLogger, PendingBatch, RestoredRetry, ShutdownSummary } from './engine/types.js'

export interface EngineOptions {
  clock: Clock
  transport: Transport
  log: DeliveryLogStore
  deadLetters: DeadLetterWriter
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

export class DeliveryEngine {
  private readonly recorder: OutcomeRecorder
  private readonly router: Router
  private readonly queues: SubscriptionQueues
  private readonly runner: AttemptRunner
  private readonly retries: RetryScheduler
  private readonly deadLetterer: DeadLetterer
  private readonly random: () => number
  private closing = false

  constructor (private readonly opts: EngineOptions) {
    const { clock } = opts
    this.random = opts.random ?? Math.random
    const recorder = this.recorder = new OutcomeRecorder({ clock, log: opts.log, logger: opts.logger, observer: opts.observer })
    this.deadLetterer = new DeadLetterer({ clock, store: opts.deadLetters, recorder })
    this.queues = new SubscriptionQueues({
      recorder,
      concurrency: opts.concurrency ?? 16,
      // Whatever escapes an attempt is recorded against its batch, never left as an unhandled rejection.
      launch: (batch) => { this.runner.run(batch).catch((err: unknown) => { recorder.fail(batch.sub, batch.events, 'delivering', err) }) }
    })
    this.runner = new AttemptRunner({
      clock,
      transport: opts.transport,
      recorder,
      timeoutMs: opts.timeoutMs,
      baseUrl: opts.baseUrl,
      ownPortUrls: opts.ownPortUrls,
      onAttempt: opts.onAttempt,
      settle: (batch, started, result) => { this.afterAttempt(batch, started, result) },
      slotFree: (sub) => { this.queues.pump(sub) }
    })
    this.retries = new RetryScheduler({
      clock,
      timeScale: opts.timeScale,
      recorder,
      due: (batch) => { this.queues.retryDue(batch) },
      deadLetter: (batch, reason) => { this.deadLetterer.deadLetter(batch, reason) }
    })
    this.router = new Router(clock, recorder, (sub, events) => { this.queues.enqueue(sub, events) })
  }

  /** Offers accepted events to a scope's subscriptions, recording why each non-matching one declined. */
  route (subscriptions: Iterable<SubscriptionRuntime> | SubscriptionMap, events: readonly AcceptedEvent[]): void {
    this.router.route(subscriptions, events)
  }

  /** Hands events straight to one subscription (replay), skipping its filter. */
  enqueue (sub: SubscriptionRuntime, events: AcceptedEvent[]): void {
    this.queues.enqueue(sub, events)
  }

  /** Starts as many batches as the subscription's concurrency allows: due retries first, then new events. */
  pump (sub: SubscriptionRuntime): void {
    if (this.closing) return
    this.queues.pump(sub)
  }

  /** Takes back a batch that waited for a retry when the emulator last stopped (durable mode). */
  restoreRetry (retry: RestoredRetry): void {
    this.retries.restore(retry)
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

  get pendingRetries (): number { return this.retries.size + this.queues.dueCount }

  /** Accepted events of these subscriptions that have no final outcome yet (the back-pressure measure). */
  backlogOf (subscriptions: Iterable<SubscriptionRuntime>): number {
    let n = 0
    for (const sub of subscriptions) n += sub.backlog
    return n
  }

  get inFlight (): number { return this.runner.inFlight }

  /** Resolves when no request is in flight (used by graceful shutdown and tests). */
  async idle (): Promise<void> { await this.runner.idle() }

  /**
   * Graceful stop: no new attempts; everything not yet sent is recorded as dropped at once; in-flight requests get
   * `graceMs` to finish, then `abort` cuts them (their batches are recorded as dropped too). Resolves once every
   * accepted event has its final record, dead-letter files under way included.
   */
  async close (graceMs: number, subscriptions: Iterable<SubscriptionRuntime>, abort: () => Promise<void>): Promise<ShutdownSummary> {
    this.closing = true
    this.queues.stop()
    this.retries.stop()
    const inFlight = this.runner.inFlight
    let dropped = 0
    const stopCounting = this.recorder.watch((r) => { if (r.outcome === 'Dropped') dropped += r.eventIds.length })
    let pending = 0
    for (const sub of subscriptions) pending += this.dropWaiting(sub, 'emulator shut down before delivery')
    const { clock } = this.opts
    let timer: TimerHandle | undefined
    const graceOver = new Promise<'timeout'>((resolve) => { timer = clock.setTimer(() => { resolve('timeout') }, graceMs) })
    const outcome = await Promise.race([this.runner.idle().then(() => 'idle' as const), graceOver])
    if (timer !== undefined) clock.clearTimer(timer)
    if (outcome === 'timeout') {
      await abort()
      await this.runner.idle()
    }
    await this.deadLetterer.settled()
    stopCounting()
    return { inFlightRequests: inFlight, pendingDropped: pending, droppedTotal: dropped, cutAfterGrace: outcome === 'timeout' }
  }

  /** Forgets waiting events and pending retries (POST /admin/reset). */
  reset (subscriptions: Iterable<SubscriptionRuntime>): void {
    for (const sub of subscriptions) this.dropWaiting(sub, 'cleared by POST /admin/reset')
  }

  resolveUrl (url: string): string { return this.runner.resolveUrl(url) }

  /** Records as dropped, and forgets, a subscription's unsent events and pending retries. */
  private dropWaiting (sub: SubscriptionRuntime, why: string): number {
    let n = this.queues.drop(sub, why)
    for (const batch of this.retries.remove(sub)) { n += batch.events.length; this.recorder.record(sub, batch.events, { outcome: 'Dropped', reason: why }) }
    return n
  }

  /** What follows an attempt: delivered, a retry at the policy's time, or dead-lettering (domain/delivery-rules/retry-policy.ts). */
  private afterAttempt (batch: PendingBatch, started: number, result: TransportResult): void {
    const { sub } = batch
    const { recorder } = this
    const { status, error, durationMs } = result
    if (!sub.active || this.closing) {
      const ok = status !== undefined && isSuccessStatus(status)
      const why = this.closing ? `emulator shut down after this attempt (${failureText(result)})` : 'subscription was deleted or replaced'
      recorder.attempted(sub, batch.events, { attempt: batch.attempts, status, error, durationMs, outcome: ok ? 'Delivered' : 'Dropped', reason: ok ? undefined : why }, started)
      return
    }
    const step = decideNextStep({ attempts: batch.attempts, maxDeliveryAttempts: sub.maxDeliveryAttempts, result, timeScale: this.opts.timeScale, random: this.random() })
    if (step.kind === 'delivered') {
      recorder.attempted(sub, batch.events, { attempt: batch.attempts, status, error, durationMs, outcome: 'Delivered' }, started)
    } else if (step.kind === 'retry') {
      const due = this.opts.clock.now() + step.delayMs
      recorder.attempted(sub, batch.events, { attempt: batch.attempts, status, error, durationMs, outcome: 'Failed', reason: failureText(result), nextAttemptAt: due }, started)
      this.retries.schedule(batch, due)
    } else {
      recorder.attempted(sub, batch.events, { attempt: batch.attempts, status, error, durationMs, outcome: 'Failed', reason: failureText(result) }, started)
      this.deadLetterer.deadLetter(batch, step.reason)
    }
  }
}

/** `HTTP 500` and the like, one string per status: 100,000 failed attempts' records share it. */
const httpTexts = new Map<number, string>()

function failureText (r: TransportResult): string {
  if (r.error !== undefined) return `${r.error}: ${r.errorMessage ?? ''}`
  const status = r.status
  if (status === undefined) return 'HTTP ?'
  let text = httpTexts.get(status)
  if (text === undefined) {
    text = `HTTP ${status}`
    if (httpTexts.size < 1000) httpTexts.set(status, text)
  }
  return text
}
