/**
 * Runs the endpoint validation handshake for a new or replaced subscription (reference §6) and keeps the
 * manual-validation window: an `AwaitingManualAction` subscription fails unless its validation URL is opened
 * within 5 minutes (scaled by delivery.timeScale).
 */
import { randomUUID } from 'node:crypto'
import { buildValidationEvent, judgeOptionsResponse, judgeValidationResponse, MANUAL_VALIDATION_WINDOW_MS, WEBHOOK_ORIGIN, type ValidationVerdict } from '../domain/delivery/handshake.js'
import type { Clock, Transport } from './ports.js'
import type { SubscriptionRuntime } from './subscription.js'

export interface ValidatorOptions {
  clock: Clock
  transport: Transport
  timeScale: number
  timeoutMs: number
  baseUrl: () => string
  resolveUrl: (url: string) => string
  topicId: (topic: string) => string
  onSettled: (sub: SubscriptionRuntime) => void
  logger?: { info: (obj: object, msg: string) => void, warn: (obj: object, msg: string) => void }
}

export class Validator {
  /** token → subscription awaiting manual validation */
  private readonly awaiting = new Map<string, SubscriptionRuntime>()

  constructor (private readonly opts: ValidatorOptions) {}

  async validate (sub: SubscriptionRuntime): Promise<void> {
    if (!sub.needsValidation) { this.settle(sub, { state: 'Succeeded' }); return }
    const code = randomUUID().toUpperCase()
    const token = randomUUID()
    sub.validation = { code, token, expiresAt: this.opts.clock.now() + MANUAL_VALIDATION_WINDOW_MS * this.opts.timeScale }
    const callbackUrl = `${this.opts.baseUrl()}/admin/validate?token=${token}`
    const url = this.opts.resolveUrl(sub.endpointUrl)
    let verdict: ValidationVerdict
    if (sub.deliverySchema === 'CloudEventSchemaV1_0') {
      const res = await this.opts.transport.send({
        method: 'OPTIONS', url, timeoutMs: this.opts.timeoutMs,
        headers: { 'webhook-request-origin': WEBHOOK_ORIGIN, 'webhook-request-callback': callbackUrl }
      })
      verdict = judgeOptionsResponse(res.status, res.headers['webhook-allowed-origin'])
      if (res.error !== undefined && verdict.state === 'Failed') verdict = { state: 'Failed', reason: `${verdict.reason} (${res.error}: ${res.errorMessage ?? ''})` }
    } else {
      const event = buildValidationEvent({ id: randomUUID(), topic: this.opts.topicId(sub.topic), code, validationUrl: callbackUrl, time: new Date(this.opts.clock.now()).toISOString() })
      const res = await this.opts.transport.send({
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
      if (res.error !== undefined && verdict.state === 'Failed') verdict = { state: 'Failed', reason: `${verdict.reason} (${res.error}: ${res.errorMessage ?? ''})` }
    }
    if (!sub.active) return
    if (verdict.state === 'AwaitingManualAction') {
      this.awaiting.set(token, sub)
      sub.state = 'AwaitingManualAction'
      sub.stateReason = `open the validationUrl ${callbackUrl} within ${Math.round(MANUAL_VALIDATION_WINDOW_MS * this.opts.timeScale / 1000 * 10) / 10} s`
      this.opts.logger?.warn({ subscription: sub.name, validationUrl: callbackUrl }, 'subscription awaiting manual validation')
      this.opts.clock.setTimer(() => { this.expire(token) }, MANUAL_VALIDATION_WINDOW_MS * this.opts.timeScale)
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

  private expire (token: string): void {
    const sub = this.awaiting.get(token)
    if (sub === undefined) return
    // Very long windows (huge time scales) outlast one timer: wait again until the window really ends.
    const left = (sub.validation?.expiresAt ?? 0) - this.opts.clock.now()
    if (left > 0) { this.opts.clock.setTimer(() => { this.expire(token) }, left); return }
    this.awaiting.delete(token)
    if (sub.active && sub.state === 'AwaitingManualAction') {
      this.settle(sub, { state: 'Failed', reason: 'the validation URL was not opened within 5 minutes (scaled by delivery.timeScale)' })
    }
  }

  private settle (sub: SubscriptionRuntime, verdict: ValidationVerdict): void {
    if (!sub.active) return
    sub.state = verdict.state
    sub.stateReason = verdict.state === 'Failed' ? verdict.reason : undefined
    this.opts.logger?.info({ subscription: sub.name, state: sub.state, reason: sub.stateReason }, 'subscription validation finished')
    this.opts.onSettled(sub)
  }
}
