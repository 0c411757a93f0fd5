/**
 * Push delivery for namespace subscriptions: one CloudEvent per request (structured mode), the CloudEvents
 * OPTIONS handshake before the first delivery, and the namespace retry schedule (push-policy.ts) on one timer queue.
 */
import type { Clock, DeliveryLogStore, Transport, TransportResult } from '../delivery/ports.js'
import { TimerQueue } from '../delivery/timer-queue.js'
import type { CloudEvent } from '../domain/events.js'
import type { NsSubscription, PendingPush } from './model.js'
import { decidePushStep } from './push-policy.js'

export interface PushOptions {
  clock: Clock
  transport: Transport
  log: DeliveryLogStore
  timeScale: number
  timeoutMs: number
  resolveUrl: (url: string) => string
  deadLetter: (sub: NsSubscription, event: CloudEvent, info: { reason: string, result: string, attempts: number, publishTime: number, lastAttemptAt: number }) => void
  drop: (sub: NsSubscription, eventIds: string[], reason: string) => void
}

interface Job { sub: NsSubscription, item: PendingPush }

export class PushDispatcher {
  private readonly retries: TimerQueue<Job>
  private readonly inFlight = new Set<Promise<void>>()
  private stopped = false

  constructor (private readonly opts: PushOptions) {
    this.retries = new TimerQueue(opts.clock, (job) => { this.attempt(job) })
  }

  get pendingRetries (): number { return this.retries.size }

  enqueue (sub: NsSubscription, event: CloudEvent, now: number): void {
    sub.pushPending++
    this.attempt({ sub, item: { eventId: event.id, event, publishTime: now, expiresAt: now + sub.ttlMs, attempts: 0 } })
  }

  private attempt (job: Job): void {
    if (this.stopped) return
    const p = this.send(job).finally(() => { this.inFlight.delete(p) })
    this.inFlight.add(p)
  }

  private async send ({ sub, item }: Job): Promise<void> {
    const now = this.opts.clock.now()
    const topic = `${sub.namespace}/${sub.topic}`
    if (item.attempts > 0 && now >= item.expiresAt) {
      this.finish(sub, item, { reason: 'TimeToLiveExceeded', result: `The event's time to live passed after ${item.attempts} attempts.` })
      return
    }
    const url = this.opts.resolveUrl(sub.endpointUrl!)
    sub.pushInFlight++
    let result: TransportResult | undefined
    try {
      if (!sub.validated) {
        const handshake = await this.opts.transport.send({ method: 'OPTIONS', url, headers: { 'webhook-request-origin': 'eventgrid.azure.net' }, timeoutMs: this.opts.timeoutMs })
        const allowed = handshake.headers['webhook-allowed-origin']
        const ok2xx = handshake.status !== undefined && handshake.status >= 200 && handshake.status < 300
        if (ok2xx && (allowed === '*' || allowed === 'eventgrid.azure.net')) sub.validated = true
        else {
          // A 2xx without consent is a refusal all the same: treat it as 403 (not retried) rather than success.
          const answer = handshake.status !== undefined ? `HTTP ${handshake.status}${ok2xx ? ' without WebHook-Allowed-Origin: eventgrid.azure.net' : ''}` : handshake.errorMessage ?? handshake.error ?? 'no answer'
          result = { ...handshake, ...(ok2xx ? { status: 403 } : {}), errorMessage: `the CloudEvents validation handshake (OPTIONS) failed: ${answer}` }
        }
      }
      result ??= await this.opts.transport.send({
        method: 'POST',
        url,
        headers: {
          'content-type': 'application/cloudevents+json; charset=utf-8',
          'aeg-event-type': 'Notification',
          'aeg-subscription-name': sub.name.toUpperCase(),
          'aeg-delivery-count': String(item.attempts),
          // Sent by namespace push deliveries only (reference §8).
          'aeg-compatibility-mode-enabled': 'false',
          'webhook-request-origin': 'eventgrid.azure.net'
        },
        body: JSON.stringify(item.event),
        timeoutMs: this.opts.timeoutMs
      })
    } catch (err) {
      result = { headers: {}, error: 'SocketError', errorMessage: (err as Error).message, durationMs: 0 }
    } finally {
      sub.pushInFlight--
    }
    item.attempts++
    item.lastAttemptAt = this.opts.clock.now()
    if (!sub.validated) {
      // Azure would not have created this subscription at all: nothing to retry and no dead-letter location
      // that applies. The next event tries the handshake again, so fixing the endpoint is enough.
      sub.pushPending--
      this.opts.log.add({ time: new Date(item.lastAttemptAt).toISOString(), topic, subscription: sub.name, eventIds: [item.eventId], attempt: item.attempts, durationMs: result.durationMs, ...(result.status !== undefined ? { status: result.status } : {}), outcome: 'Failed', error: result.errorMessage ?? result.error })
      this.opts.drop(sub, [item.eventId], `the webhook did not pass the CloudEvents validation handshake (${result.errorMessage ?? result.error ?? 'no answer'})`)
      return
    }
    const step = decidePushStep(item.attempts, sub.maxDeliveryCount, { status: result.status, error: result.error }, this.opts.timeScale)
    const base = { time: new Date(item.lastAttemptAt).toISOString(), topic, subscription: sub.name, eventIds: [item.eventId], attempt: item.attempts, durationMs: result.durationMs, ...(result.status !== undefined ? { status: result.status } : {}), ...(result.error !== undefined || result.errorMessage !== undefined ? { error: result.errorMessage ?? result.error } : {}) }
    if (step.kind === 'delivered') {
      sub.pushPending--
      this.opts.log.add({ ...base, outcome: 'Delivered' })
      return
    }
    if (step.kind === 'retry' && this.stopped) {
      // The attempt finished during shutdown: there will be no retry, so say so instead of losing the event.
      this.opts.log.add({ ...base, outcome: 'Failed' })
      sub.pushPending--
      this.opts.drop(sub, [item.eventId], 'the emulator shut down before the next push retry')
      return
    }
    if (step.kind === 'retry') {
      const due = item.lastAttemptAt + step.delayMs
      this.opts.log.add({ ...base, outcome: 'Failed', nextAttemptTime: new Date(due).toISOString() })
      this.retries.push({ sub, item }, due)
      return
    }
    this.opts.log.add({ ...base, outcome: 'Failed' })
    this.finish(sub, item, step)
  }

  private finish (sub: NsSubscription, item: PendingPush, why: { reason: string, result: string }): void {
    sub.pushPending--
    this.opts.deadLetter(sub, item.event, { ...why, attempts: item.attempts, publishTime: item.publishTime, lastAttemptAt: item.lastAttemptAt ?? this.opts.clock.now() })
  }

  /** Forgets pending retries (POST /admin/reset); returns them so the caller can account for them. */
  clearRetries (): Job[] {
    const removed = this.retries.remove(() => true)
    for (const job of removed) job.sub.pushPending--
    return removed
  }

  /** Stops retries; returns the events that were still waiting for one. */
  stop (): Job[] {
    this.stopped = true
    const waiting = this.retries.remove(() => true)
    this.retries.stop()
    return waiting
  }

  async idle (): Promise<void> { await Promise.all([...this.inFlight]) }
}
