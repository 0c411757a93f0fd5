/**
 * Batches waiting for their next attempt, in one timer queue on the injected clock. When one comes due it is
 * checked once more (subscription gone or failed, time-to-live over — reference §5.7) and handed to its queue.
 * The schedule itself is decided by the pure policy in domain/delivery-rules/retry-policy.ts.
 */
import { isExpired, type DeadLetterReason } from '../../domain/delivery-rules/retry-policy.js'
import type { Clock } from '../ports.js'
import type { SubscriptionRuntime } from '../subscription.js'
import { TimerQueue } from '../timer-queue.js'
import type { OutcomeRecorder } from './outcome-recorder.js'
import { newBatch, type PendingBatch, type RestoredRetry } from './types.js'

export interface RetrySchedulerOptions {
  clock: Clock
  timeScale: number
  recorder: OutcomeRecorder
  /** The retry is due and still wanted: queue it for a free slot. */
  due: (batch: PendingBatch) => void
  deadLetter: (batch: PendingBatch, reason: DeadLetterReason) => void
}

export class RetryScheduler {
  private readonly timers: TimerQueue<PendingBatch>

  constructor (private readonly opts: RetrySchedulerOptions) {
    this.timers = new TimerQueue(opts.clock, (batch) => { this.fire(batch) })
  }

  get size (): number { return this.timers.size }

  schedule (batch: PendingBatch, dueAt: number): void {
    this.timers.push(batch, dueAt)
  }

  /**
   * Takes back a batch that was waiting for a retry when the emulator stopped (a durable store replaying its
   * journal). Its events count against the topic's bound again until their final outcome.
   */
  restore (retry: RestoredRetry): void {
    this.opts.recorder.accept(retry.sub, retry.events.length)
    this.schedule(newBatch(retry.sub, [...retry.events], retry.attempts), retry.dueAt)
  }

  /** Removes and returns a subscription's scheduled retries (it was deleted, replaced, failed or reset). */
  remove (sub: SubscriptionRuntime): PendingBatch[] {
    return this.timers.remove((b) => b.sub === sub)
  }

  stop (): void { this.timers.stop() }

  private fire (batch: PendingBatch): void {
    try {
      this.check(batch)
    } catch (err) {
      this.opts.recorder.fail(batch.sub, batch.events, 'scheduling a retry', err)
    }
  }

  private check (batch: PendingBatch): void {
    const { sub } = batch
    const { recorder } = this.opts
    if (!sub.active) { recorder.record(sub, batch.events, { outcome: 'Dropped', reason: 'subscription was deleted or replaced' }); return }
    // A retry whose attempt was in flight when the handshake failed comes due after the rest was dropped.
    if (sub.state === 'Failed') { recorder.record(sub, batch.events, { outcome: 'Dropped', reason: `subscription validation failed: ${sub.stateReason ?? ''}` }); return }
    // Event Grid checks the time-to-live only when the next attempt is due (reference §5.7).
    const oldest = Math.min(...batch.events.map((e) => Date.parse(e.publishTime)))
    if (isExpired(oldest, this.opts.clock.now(), sub.ttlMinutes, this.opts.timeScale)) { this.opts.deadLetter(batch, 'TimeToLiveExceeded'); return }
    this.opts.due(batch)
  }
}
