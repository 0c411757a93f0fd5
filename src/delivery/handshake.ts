/**
 * Runs the endpoint validation handshake for a new or replaced subscription (reference §6) and keeps the
 * manual-validation window: an `AwaitingManualAction` subscription fails unless its validation URL is opened
 * within 5 minutes of real time (not scaled: a person has to click it).
 *
 * An endpoint that is not up yet (connection refused, timeout, 5xx) is asked again with a capped back-off that
 * follows delivery.timeScale; meanwhile the subscription stays `Creating` and its events wait. An endpoint that
 * answers and refuses (wrong code, 4xx) fails the subscription. `revalidate` re-runs the handshake on demand.
 */
import {
  buildValidationEvent, handshakeRetryDelayMs, isUnreachableAnswer, judgeOptionsResponse, judgeValidationResponse,
  MANUAL_VALIDATION_WINDOW_MS, WEBHOOK_ORIGIN, type ValidationVerdict
} from '../domain/delivery-rules/handshake.js'
import type { Clock, IdSource, TimerHandle, Transport, TransportResult } from './ports.js'
import type { SubscriptionRuntime } from './subscription.js'

export interface HandshakeRunnerOptions {
  clock: Clock
  transport: Transport
  /** Handshake codes, tokens and validation event ids. */
  newId: IdSource
  timeScale: number
  timeoutMs: number
  baseUrl: () => string
  resolveUrl: (url: string) => string
  topicId: (topic: string) => string
  onSettled: (sub: SubscriptionRuntime) => void
  logger?: { info: (obj: object, msg: string) => void, warn: (obj: object, msg: string) => void, debug?: (obj: object, msg: string) => void }
}

export class HandshakeRunner {
  /** token → subscription awaiting manual validation */
  private readonly awaiting = new Map<string, SubscriptionRuntime>()
  /** Handshake retries waiting for an unreachable endpoint, and how many attempts failed so far. */
  private readonly retries = new Map<SubscriptionRuntime, { failures: number, timer?: TimerHandle }>()

  constructor (private readonly opts: HandshakeRunnerOptions) {}

  /** Runs the handshake now, forgetting any retry or manual window in progress (POST …/validate). */
  async revalidate (sub: SubscriptionRuntime): Promise<void> {
    this.cancel(sub)
    await this.validate(sub)
  }

  /** Stops retrying a subscription's handshake (it was deleted or replaced). */
  cancel (sub: SubscriptionRuntime): void {
    const pending = this.retries.get(sub)
    if (pending?.timer !== undefined) this.opts.clock.clearTimer(pending.timer)
    this.retries.delete(sub)
    for (const [token, s] of this.awaiting) if (s === sub) this.awaiting.delete(token)
  }

  async validate (sub: SubscriptionRuntime): Promise<void> {
    if (!sub.needsValidation) { this.settle(sub, { state: 'Succeeded' }); return }
    const code = this.opts.newId().toUpperCase()
    const token = this.opts.newId()
    sub.state = 'Creating'
    sub.validation = { code, token, expiresAt: this.opts.clock.now() + MANUAL_VALIDATION_WINDOW_MS }
    const callbackUrl = `${this.opts.baseUrl()}/admin/validate?token=${token}`
    const url = this.opts.resolveUrl(sub.endpointUrl)
    let verdict: ValidationVerdict
    let res: TransportResult
    if (sub.deliverySchema === 'CloudEventSchemaV1_0') {
      res = await this.opts.transport.send({
        method: 'OPTIONS', url, timeoutMs: this.opts.timeoutMs,
        headers: { 'webhook-request-origin': WEBHOOK_ORIGIN, 'webhook-request-callback': callbackUrl }
      })
      verdict = judgeOptionsResponse(res.status, res.headers['webhook-allowed-origin'])
    } else {
      const event = buildValidationEvent({ id: this.opts.newId(), topic: this.opts.topicId(sub.topic), code, validationUrl: callbackUrl, time: new Date(this.opts.clock.now()).toISOString() })
      res = await this.opts.transport.send({
        method: 'POST', url, timeoutMs: this.opts.timeoutMs, body: JSON.stringify([event]),
        headers: {
          'content-type': 'application/json; charset=utf-8',
          'aeg-event-type': 'SubscriptionValidation',
          'aeg-subscription-name': sub.name.toUpperCase(),
          'aeg-delivery-count': '0',
          'aeg-data-version': '1',
          'aeg-metadata-version': '1'
        }
      })
      verdict = judgeValidationResponse(res.status, res.body, code)
    }
    // A newer handshake (re-validate, replace) started while this one was in flight: its answer wins.
    if (!sub.active || sub.validation?.token !== token) return
    if (res.error !== undefined && verdict.state === 'Failed') verdict = { state: 'Failed', reason: `${verdict.reason} (${res.error}: ${res.errorMessage ?? ''})` }
    if (verdict.state === 'Failed' && isUnreachableAnswer(res.status, res.error)) { this.retryLater(sub, url, verdict.reason); return }
    this.retries.delete(sub)
    if (verdict.state === 'AwaitingManualAction') {
      this.awaiting.set(token, sub)
      sub.state = 'AwaitingManualAction'
      sub.stateReason = `open the validationUrl ${callbackUrl} within 5 minutes`
      this.opts.logger?.warn({ topic: sub.topic, subscription: sub.name, endpoint: sub.endpointUrl.split('?')[0], validationUrl: callbackUrl }, 'subscription awaiting manual validation: open the validationUrl within 5 minutes')
      this.opts.clock.setTimer(() => { this.expire(token) }, MANUAL_VALIDATION_WINDOW_MS)
      return
    }
    this.settle(sub, verdict)
  }

  /** The validation URL (or CloudEvents callback) was opened. */
  confirm (token: string): { ok: true, sub: SubscriptionRuntime } | { ok: false, message: string } {
    const sub = this.awaiting.get(token)
    if (sub === undefined || !sub.active) return { ok: false, message: 'unknown or expired validation token' }
    this.awaiting.delete(token)
    this.settle(sub, { state: 'Succeeded' })
    return { ok: true, sub }
  }

  /** Marks a subscription Failed (e.g. when its handshake could not even be attempted). */
  fail (sub: SubscriptionRuntime, reason: string): void {
    this.settle(sub, { state: 'Failed', reason })
  }

  /** The endpoint is not up yet: stay Creating (events wait) and ask again after a capped, scaled back-off. */
  private retryLater (sub: SubscriptionRuntime, url: string, reason: string): void {
    const entry = this.retries.get(sub) ?? { failures: 0 }
    entry.failures++
    this.retries.set(sub, entry)
    const delayMs = handshakeRetryDelayMs(entry.failures, this.opts.timeScale)
    const revalidate = `POST ${this.opts.baseUrl()}/admin/topics/${sub.topic}/subscriptions/${sub.name}/validate`
    sub.state = 'Creating'
    sub.stateReason = `waiting for the endpoint to answer the validation handshake (attempt ${entry.failures}: ${reason}); next attempt in ${Math.round(delayMs)} ms, or ${revalidate}`
    const endpoint = url.split('?')[0] ?? url // the query string may hold a key
    const fields = { topic: sub.topic, subscription: sub.name, endpoint, attempt: entry.failures, retryInMs: Math.round(delayMs), reason }
    // Once per outage at warn (what to do), then quietly: a receiver that is still starting is not news every second.
    if (entry.failures === 1) this.opts.logger?.warn(fields, `webhook not reachable for the validation handshake; its events wait and the handshake is retried until it answers. Start the receiver at ${endpoint}, or re-run it now: ${revalidate}`)
    else this.opts.logger?.debug?.(fields, 'validation handshake retry failed')
    entry.timer = this.opts.clock.setTimer(() => {
      entry.timer = undefined
      if (!sub.active || this.retries.get(sub) !== entry) return
      this.validate(sub).catch((err: Error) => { this.fail(sub, `validation could not run: ${err.message}`) })
    }, delayMs)
  }

  private expire (token: string): void {
    const sub = this.awaiting.get(token)
    if (sub === undefined) return
    const left = (sub.validation?.expiresAt ?? 0) - this.opts.clock.now()
    if (left > 0) { this.opts.clock.setTimer(() => { this.expire(token) }, left); return }
    this.awaiting.delete(token)
    if (sub.active && sub.state === 'AwaitingManualAction' && sub.validation?.token === token) {
      this.settle(sub, { state: 'Failed', reason: 'the validation URL was not opened within 5 minutes' })
    }
  }

  private settle (sub: SubscriptionRuntime, verdict: ValidationVerdict): void {
    if (!sub.active) return
    this.retries.delete(sub)
    sub.state = verdict.state
    sub.stateReason = verdict.state === 'Failed' ? verdict.reason : undefined
    if (verdict.state === 'Failed') {
      this.opts.logger?.warn({ topic: sub.topic, subscription: sub.name, endpoint: sub.endpointUrl.split('?')[0], reason: verdict.reason },
        `validation handshake refused; the subscription is Failed and its events are dropped. Fix the endpoint, then re-run it: POST ${this.opts.baseUrl()}/admin/topics/${sub.topic}/subscriptions/${sub.name}/validate`)
    } else {
      this.opts.logger?.info({ topic: sub.topic, subscription: sub.name, state: sub.state }, 'subscription validated')
    }
    this.opts.onSettled(sub)
  }
}
