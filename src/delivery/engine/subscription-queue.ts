/**
 * The per-subscription queues: events waiting for validation or for a free connection, batched as the
 * subscription asks, started at most `concurrency` at a time, due retries first. The only writer of `sub.ready`.
 */
import { takeBatch } from '../../domain/delivery-rules/batching.js'
import { renderEvent, wireBody } from '../../domain/delivery-rules/outbound.js'
import type { AcceptedEvent, DeliverySchema } from '../../domain/events.js'
import { Fifo } from '../fifo.js'
import type { SubscriptionRuntime } from '../subscription.js'
import type { OutcomeRecorder } from './outcome-recorder.js'
import { newBatch, type PendingBatch } from './types.js'

/** Events held for a subscription that is not yet validated, at most; more are recorded as dropped. */
export const MAX_WAITING_EVENTS = 10_000

export interface QueueOptions {
  recorder: OutcomeRecorder
  /** Parallel requests per subscription (Event Grid delivers in parallel, without ordering). */
  concurrency: number
  /** Starts an attempt for a batch; never throws (the engine records what escapes it). */
  launch: (batch: PendingBatch) => void
}

export class SubscriptionQueues {
  /** Retries whose time has come, waiting for a free slot of their subscription (retries obey the concurrency cap too). */
  private readonly dueRetries = new Map<SubscriptionRuntime, Fifo<PendingBatch>>()
  private stopped = false
  /**
   * What pump() measures a batch with: the delivery schema being sized for and the texts measured, made once
   * rather than a closure and an array per pump (a pump per routed event and matching subscription).
   */
  private sizing: DeliverySchema = 'EventGridSchema'
  private readonly texts: string[] = []
  private readonly sizeOf = (e: AcceptedEvent): number => {
    const text = JSON.stringify(renderEvent(e, this.sizing))
    this.texts.push(text)
    return Buffer.byteLength(text)
  }

  /**
   * The last event serialised alone, and its text: routing hands an event to each matching subscription in turn,
   * so the others (of the same delivery schema) send the same text instead of serialising it again. One entry,
   * so nothing is kept beyond the latest event.
   */
  private lastEvent: AcceptedEvent | undefined
  private lastSchema: DeliverySchema | undefined
  private lastBatching = false
  private lastBody = ''

  constructor (private readonly opts: QueueOptions) {}

  /** The body of a one-event request (as buildOutbound would make it); undefined if the event cannot be serialised. */
  private singleBody (event: AcceptedEvent, sub: SubscriptionRuntime): string | undefined {
    const schema = sub.deliverySchema
    if (event !== this.lastEvent || schema !== this.lastSchema || sub.batching !== this.lastBatching) {
      let text: string
      // buildOutbound then fails the same way, and the attempt records it ('building the request').
      try { text = JSON.stringify(renderEvent(event, schema)) } catch { return undefined }
      this.lastEvent = event
      this.lastSchema = schema
      this.lastBatching = sub.batching
      this.lastBody = wireBody([text], schema, sub.batching)
    }
    return this.lastBody
  }

  enqueue (sub: SubscriptionRuntime, events: AcceptedEvent[]): void {
    const { recorder } = this.opts
    recorder.enqueued(sub, events)
    // Counted first, so the Dropped record below settles exactly what was added.
    recorder.accept(sub, events.length)
    if (sub.state === 'Failed') {
      recorder.record(sub, events, { outcome: 'Dropped', reason: `subscription is Failed: ${sub.stateReason ?? 'validation failed'}` })
      return
    }
    if (sub.state !== 'Succeeded' && sub.ready.length + events.length > MAX_WAITING_EVENTS) {
      // Bounded while the endpoint is not validated: the excess is recorded, not silently lost.
      const excess = events.splice(Math.max(0, MAX_WAITING_EVENTS - sub.ready.length))
      recorder.record(sub, excess, { outcome: 'Dropped', reason: `subscription is ${sub.state} and already holds ${MAX_WAITING_EVENTS} events waiting for validation` })
      if (events.length === 0) return
    }
    sub.ready.pushAll(events)
    if (sub.state !== 'Succeeded') {
      recorder.record(sub, events, { outcome: 'Waiting', reason: `subscription is ${sub.state}; events are held until validation succeeds` })
      return
    }
    this.pump(sub)
  }

  /** A retry came due: it waits for a free slot ahead of new events. */
  retryDue (batch: PendingBatch): void {
    let due = this.dueRetries.get(batch.sub)
    if (due === undefined) { due = new Fifo(); this.dueRetries.set(batch.sub, due) }
    due.push(batch)
    this.pump(batch.sub)
  }

  /** Starts as many batches as the subscription's concurrency allows: due retries first, then new events. */
  pump (sub: SubscriptionRuntime): void {
    if (this.stopped || !sub.active || sub.state !== 'Succeeded') return
    const { concurrency, launch, recorder } = this.opts
    const retries = this.dueRetries.get(sub)
    // eslint-disable-next-line no-unmodified-loop-condition -- launch() raises sub.inFlight
    while (retries !== undefined && retries.length > 0 && sub.inFlight < concurrency) launch(retries.shift()!)
    if (retries?.length === 0) this.dueRetries.delete(sub)
    // Nothing new to start (the common case when a slot frees up): no sizing closure to make.
    if (sub.ready.length === 0 || sub.inFlight >= concurrency) return
    // Each event is serialised once: the texts measured for the batch become its body (wireBody). takeBatch sizes
    // the queue's events in order from the head, so the first texts are those of the events it takes.
    // (One event per request is not measured at all; its body is made when the request is built.)
    const { texts, sizeOf } = this
    while (sub.ready.length > 0 && sub.inFlight < concurrency) {
      let events: AcceptedEvent[]
      let body: string | undefined
      // Set each time round: launch() may pump another subscription (a listener that publishes), which sizes too.
      this.sizing = sub.deliverySchema
      texts.length = 0
      try {
        events = takeBatch(sub.ready, sub.batch, sizeOf)
        if (events.length > 0 && texts.length >= events.length) body = wireBody(texts.slice(0, events.length), sub.deliverySchema, sub.batching)
      } catch (err) {
        // Some event cannot be rendered. If it is the head, it leaves the queue with a reason; if the head is fine
        // it goes alone, and the bad event becomes the head next time round. Either way the queue moves on.
        let headOk = true
        try { sizeOf(sub.ready.peek(0)!) } catch { headOk = false }
        const head = sub.ready.shift()!
        if (headOk) launch(newBatch(sub, [head]))
        else recorder.fail(sub, [head], 'measuring the event for batching', err)
        continue
      }
      if (body === undefined && events.length === 1) body = this.singleBody(events[0]!, sub)
      launch(newBatch(sub, events, 0, body))
    }
  }

  /** Records as dropped, and forgets, a subscription's unsent events and due retries; returns how many events. */
  drop (sub: SubscriptionRuntime, why: string): number {
    const { recorder } = this.opts
    const pending = sub.ready.drain()
    let n = pending.length
    if (pending.length > 0) recorder.record(sub, pending, { outcome: 'Dropped', reason: why })
    for (const batch of this.dueRetries.get(sub)?.drain() ?? []) { n += batch.events.length; recorder.record(sub, batch.events, { outcome: 'Dropped', reason: why }) }
    this.dueRetries.delete(sub)
    return n
  }

  /** No more attempts start (shutdown). */
  stop (): void { this.stopped = true }

  /** Batches of due retries waiting for a free slot. */
  get dueCount (): number {
    let n = 0
    for (const fifo of this.dueRetries.values()) n += fifo.length
    return n
  }
}
