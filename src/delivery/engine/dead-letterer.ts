/**
 * Dead-lettering: writes a batch that ran out of attempts or time to its dead-letter destination and records
 * DeadLettered — or Dropped, with the reason, when no destination is configured or the write fails. Writes under
 * way are tracked so shutdown can wait for their records.
 */
import { deadLetterRecord } from '../../domain/delivery-rules/dead-letter.js'
import { deliveryOutcome, type DeadLetterReason } from '../../domain/delivery-rules/retry-policy.js'
import type { Clock, DeadLetterWriter } from '../ports.js'
import type { OutcomeRecorder } from './outcome-recorder.js'
import type { PendingBatch } from './types.js'

export class DeadLetterer {
  private readonly writes = new Set<Promise<void>>()

  constructor (private readonly opts: { clock: Clock, store: DeadLetterWriter, recorder: OutcomeRecorder }) {}

  deadLetter (batch: PendingBatch, reason: DeadLetterReason): void {
    const { sub, lastStatus, lastError } = batch
    const { clock, recorder } = this.opts
    const facts = {
      reason,
      deliveryAttempts: batch.attempts,
      lastDeliveryOutcome: deliveryOutcome(lastStatus, lastError),
      lastHttpStatusCode: lastStatus,
      lastDeliveryAttemptTime: new Date(batch.lastAttemptAt ?? clock.now()).toISOString()
    }
    // The last attempt's facts go on the log line (the record itself is not an attempt).
    const lastAttempt = { attempt: batch.attempts, status: lastStatus, error: lastError }
    const container = sub.deadLetterContainer
    if (container === undefined) {
      recorder.record(sub, batch.events, { outcome: 'Dropped', reason: `${reason}; no deadLetterDestination is configured, so the event is dropped` }, undefined, lastAttempt)
      return
    }
    const eventIds = batch.events.map((e) => e.id)
    // Promise.resolve().then: a synchronous throw (rendering a record, serialising it) lands in the same catch.
    const write = Promise.resolve()
      .then(async () => await this.opts.store.write({ topic: sub.topic, subscription: sub.name, container, reason, eventIds, events: batch.events.map((e) => deadLetterRecord(e, sub.deliverySchema, facts)), now: new Date(clock.now()) }))
      .then((entry) => { recorder.record(sub, batch.events, { outcome: 'DeadLettered', reason: `${reason}; written to ${entry.path}` }, undefined, lastAttempt) },
        (err: Error) => { recorder.record(sub, batch.events, { outcome: 'Dropped', reason: `${reason}; writing the dead-letter file failed: ${err.message}` }, undefined, lastAttempt) })
      .catch((err: unknown) => { recorder.fail(sub, batch.events, 'recording a dead-letter', err, true) })
    this.writes.add(write)
    void write.finally(() => { this.writes.delete(write) })
  }

  /** Writes under way. */
  get pending (): number { return this.writes.size }

  /** Resolves once every write under way (and any started meanwhile) has its record. */
  async settled (): Promise<void> {
    while (this.writes.size > 0) await Promise.allSettled([...this.writes])
  }
}
