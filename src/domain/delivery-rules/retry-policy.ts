/**
 * Event Grid's retry policy for webhook deliveries, as data (reference §5.3–5.7).
 * Source: learn.microsoft.com/azure/event-grid/delivery-and-retry, 2024–2025 revision.
 */

/** Gaps between successive attempts (attempt 1 is the first delivery). After the list: every 12 hours. */
export const RETRY_SCHEDULE_MS: readonly number[] = [
  10 * 1000, // 10 s
  30 * 1000, // 30 s
  60 * 1000, // 1 min
  5 * 60 * 1000, // 5 min
  10 * 60 * 1000, // 10 min
  30 * 60 * 1000, // 30 min
  60 * 60 * 1000, // 1 h
  3 * 60 * 60 * 1000, // 3 h
  6 * 60 * 60 * 1000 // 6 h
]
export const RETRY_AFTER_SCHEDULE_MS = 12 * 60 * 60 * 1000 // 12 h

/** Webhook status codes Event Grid does not retry (dead-letter at once, or drop). 2024–2025 page. */
export const NON_RETRYABLE_STATUS: ReadonlySet<number> = new Set([400, 401, 403, 413])

/** Minimum delay before the next attempt for some statuses (2023 table). */
export const MIN_DELAY_BY_STATUS_MS: ReadonlyMap<number, number> = new Map([
  [408, 2 * 60 * 1000], // Request Timeout: at least 2 min
  [503, 30 * 1000] // Service Unavailable: at least 30 s
])

/** Only these count as delivered; any other status (206, 3xx, …) is a failure. */
export function isSuccessStatus (status: number): boolean {
  return status >= 200 && status <= 204
}

export const DEFAULT_MAX_DELIVERY_ATTEMPTS = 30
export const DEFAULT_TTL_MINUTES = 1440

/** Dead-letter reasons Event Grid writes. */
export type DeadLetterReason =
  | 'MaxDeliveryAttemptsExceeded'
  | 'TimeToLiveExceeded'
  | 'UndeliverableDueToHttpBadRequest'
  | 'UndeliverableDueToClientError'

/** `lastDeliveryOutcome` names (reference §7.3) for a status or a network failure. */
export function deliveryOutcome (status: number | undefined, error?: 'TimedOut' | 'SocketError' | 'ResolutionError'): string {
  if (error !== undefined) return error
  switch (status) {
    case 400: return 'BadRequest'
    case 401: return 'Unauthorized'
    case 403: return 'Forbidden'
    case 404: return 'NotFound'
    case 408: return 'TimedOut'
    case 413: return 'PayloadTooLarge'
    case 503: return 'Busy'
    default: return status !== undefined && isSuccessStatus(status) ? 'Delivered' : 'Busy'
  }
}

export interface AttemptResult { status?: number, error?: 'TimedOut' | 'SocketError' | 'ResolutionError' }

export type NextStep =
  | { kind: 'delivered' }
  | { kind: 'retry', delayMs: number }
  | { kind: 'dead-letter', reason: DeadLetterReason }

export interface PolicyInput {
  /** Attempts made so far, including the one that just finished. */
  attempts: number
  maxDeliveryAttempts: number
  result: AttemptResult
  /** Multiplies every delay (delivery.timeScale). */
  timeScale: number
  /** A number in [0, 1) for jitter. */
  random: number
}

/** What to do after an attempt. TTL is not checked here: Event Grid checks it when the next attempt is due. */
export function decideNextStep (input: PolicyInput): NextStep {
  const { status } = input.result
  if (status !== undefined && isSuccessStatus(status)) return { kind: 'delivered' }
  if (status !== undefined && NON_RETRYABLE_STATUS.has(status)) {
    return { kind: 'dead-letter', reason: status === 400 ? 'UndeliverableDueToHttpBadRequest' : 'UndeliverableDueToClientError' }
  }
  if (input.attempts >= input.maxDeliveryAttempts) return { kind: 'dead-letter', reason: 'MaxDeliveryAttemptsExceeded' }
  const base = RETRY_SCHEDULE_MS[input.attempts - 1] ?? RETRY_AFTER_SCHEDULE_MS
  const floor = status === undefined ? 0 : MIN_DELAY_BY_STATUS_MS.get(status) ?? 0
  // "A small randomization is added to every step": up to +10%.
  const delay = Math.max(base, floor) * (1 + 0.1 * input.random)
  return { kind: 'retry', delayMs: delay * input.timeScale }
}

export function isExpired (publishTimeMs: number, nowMs: number, ttlMinutes: number, timeScale: number): boolean {
  return nowMs - publishTimeMs > ttlMinutes * 60 * 1000 * timeScale
}
