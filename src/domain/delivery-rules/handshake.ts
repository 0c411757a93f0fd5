/**
 * Endpoint validation (reference §6): the Event Grid `SubscriptionValidationEvent` POST and the CloudEvents
 * abuse-protection OPTIONS request, and how their answers are judged.
 */
import type { EventGridEvent } from '../events.js'

export const VALIDATION_EVENT_TYPE = 'Microsoft.EventGrid.SubscriptionValidationEvent'
export const WEBHOOK_ORIGIN = 'eventgrid.azure.net'
/** An awaiting subscription fails if nobody opens the validation URL within 5 minutes. */
export const MANUAL_VALIDATION_WINDOW_MS = 5 * 60 * 1000

export function buildValidationEvent (args: { id: string, topic: string, code: string, validationUrl: string, time: string }): EventGridEvent {
  return {
    id: args.id,
    topic: args.topic,
    subject: '',
    data: { validationCode: args.code, validationUrl: args.validationUrl },
    eventType: VALIDATION_EVENT_TYPE,
    eventTime: args.time,
    metadataVersion: '1',
    dataVersion: '1'
  }
}

export type ValidationVerdict =
  | { state: 'Succeeded' }
  | { state: 'AwaitingManualAction' }
  | { state: 'Failed', reason: string }

/** Judges the webhook's answer to the validation POST. The property name is matched case-insensitively. */
export function judgeValidationResponse (status: number | undefined, body: string | undefined, code: string): ValidationVerdict {
  if (status === undefined) return { state: 'Failed', reason: 'the endpoint did not answer the validation request' }
  if (status !== 200) return { state: 'Failed', reason: `the endpoint answered the validation request with HTTP ${status}; only 200 is accepted` }
  let parsed: unknown
  try { parsed = body === undefined || body === '' ? undefined : JSON.parse(body) } catch { parsed = undefined }
  if (parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed)) {
    const entry = Object.entries(parsed).find(([k]) => k.toLowerCase() === 'validationresponse')
    if (entry !== undefined) {
      return entry[1] === code
        ? { state: 'Succeeded' }
        : { state: 'Failed', reason: `validationResponse ${JSON.stringify(entry[1])} does not equal the validationCode '${code}'` }
    }
  }
  // 200 without a validation response: Event Grid waits for someone to open the validationUrl.
  return { state: 'AwaitingManualAction' }
}

/** Judges the answer to the CloudEvents OPTIONS handshake. */
export function judgeOptionsResponse (status: number | undefined, allowedOrigin: string | undefined): ValidationVerdict {
  if (status === undefined) return { state: 'Failed', reason: 'the endpoint did not answer the OPTIONS validation request' }
  if (status < 200 || status > 299) return { state: 'Failed', reason: `the endpoint answered the OPTIONS validation request with HTTP ${status}` }
  const origins = (allowedOrigin ?? '').split(',').map((s) => s.trim().toLowerCase()).filter((s) => s !== '')
  if (origins.includes('*') || origins.includes(WEBHOOK_ORIGIN)) return { state: 'Succeeded' }
  if (origins.length > 0) return { state: 'Failed', reason: `WebHook-Allowed-Origin '${allowedOrigin ?? ''}' does not allow ${WEBHOOK_ORIGIN}` }
  // A 2xx without WebHook-Allowed-Origin: the endpoint may still approve through WebHook-Request-Callback.
  return { state: 'AwaitingManualAction' }
}

/**
 * Whether a handshake answer means "the endpoint is not up yet" (connection refused, timeout, 5xx) rather than
 * "the endpoint refused". The former is retried — the natural start order is emulator first, app second — the
 * latter fails the subscription.
 */
export function isUnreachableAnswer (status: number | undefined, error: string | undefined): boolean {
  return error !== undefined || status === undefined || status >= 500
}

/** Longest wait between two handshake attempts (before delivery.timeScale): a receiver that comes up is validated within seconds. */
export const HANDSHAKE_RETRY_CAP_MS = 10_000
/** Shortest wait, in real ms, whatever the time scale: an absent receiver is not hammered in a tight loop. */
export const HANDSHAKE_RETRY_FLOOR_MS = 50

/** Delay before handshake attempt `failures + 1`: 1 s, 2 s, 4 s, 8 s, then 10 s, times the time scale (floored). */
export function handshakeRetryDelayMs (failures: number, timeScale: number): number {
  const base = Math.min(1000 * 2 ** Math.max(0, failures - 1), HANDSHAKE_RETRY_CAP_MS)
  return Math.max(HANDSHAKE_RETRY_FLOOR_MS, base * timeScale)
}
