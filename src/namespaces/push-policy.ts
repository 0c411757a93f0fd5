/**
 * Retry rules of namespace push subscriptions (reference §8, learn.microsoft.com namespace-delivery-retry):
 * immediately, then 10 s, 30 s, 1 min, 5 min, then every 5 min, until maxDeliveryCount or the event's time to
 * live runs out. Unlike Basic topics, some failures are never retried. Pure data and decisions.
 */

/** Gap after attempt n (index n-1); past the list, every 5 minutes. */
export const PUSH_RETRY_SCHEDULE_MS: readonly number[] = [10_000, 30_000, 60_000, 300_000]
export const PUSH_RETRY_AFTER_SCHEDULE_MS = 300_000

/** HTTP statuses a namespace push subscription does not retry: BadRequest, Unauthorized, Forbidden, NotFound, RequestUriTooLong. */
export const PUSH_NON_RETRY_STATUS: ReadonlySet<number> = new Set([400, 401, 403, 404, 414])

export const DEFAULT_MAX_DELIVERY_COUNT = 10

export interface PushAttempt { status?: number, error?: 'TimedOut' | 'SocketError' | 'ResolutionError' }

export type PushStep =
  | { kind: 'delivered' }
  | { kind: 'retry', delayMs: number }
  | { kind: 'dead-letter', reason: string, result: string }

export function decidePushStep (attempts: number, maxDeliveryCount: number, result: PushAttempt, timeScale: number): PushStep {
  if (result.status !== undefined && result.status >= 200 && result.status <= 204) return { kind: 'delivered' }
  const what = result.status !== undefined ? `HTTP ${result.status}` : result.error!
  // Timeouts and socket errors are in Azure's no-retry list for namespaces (TimeoutException, SocketException).
  if ((result.status !== undefined && PUSH_NON_RETRY_STATUS.has(result.status)) || result.error !== undefined) {
    return { kind: 'dead-letter', reason: 'UndeliverableDueToNonRetriableError', result: `${what} is not retried by namespace push delivery.` }
  }
  if (attempts >= maxDeliveryCount) {
    return { kind: 'dead-letter', reason: 'MaxDeliveryCountExceeded', result: `${what} on attempt ${attempts}; maxDeliveryCount is ${maxDeliveryCount}.` }
  }
  const gap = PUSH_RETRY_SCHEDULE_MS[attempts - 1] ?? PUSH_RETRY_AFTER_SCHEDULE_MS
  return { kind: 'retry', delayMs: gap * timeScale }
}
