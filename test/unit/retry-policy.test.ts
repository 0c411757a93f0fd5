/** The retry policy as a pure function: schedule, jitter, time scale, non-retried statuses, limits, TTL. */
import t from 'tap'
import { decideNextStep, deliveryOutcome, isExpired, isSuccessStatus, RETRY_AFTER_SCHEDULE_MS, RETRY_SCHEDULE_MS } from '../../src/domain/delivery-rules/retry-policy.js'

const step = (attempts: number, result: { status?: number, error?: 'TimedOut' | 'SocketError' | 'ResolutionError' }, extra: { max?: number, timeScale?: number, random?: number } = {}) =>
  decideNextStep({ attempts, maxDeliveryAttempts: extra.max ?? 30, result, timeScale: extra.timeScale ?? 1, random: extra.random ?? 0 })

t.test('2xx up to 204 is delivered; 205, 206 and 3xx are failures', async (t) => {
  for (const s of [200, 201, 202, 203, 204]) t.same(step(1, { status: s }), { kind: 'delivered' }, String(s))
  for (const s of [205, 206, 301, 302]) t.equal(step(1, { status: s }).kind, 'retry', String(s))
  t.ok(isSuccessStatus(204))
  t.notOk(isSuccessStatus(206))
})

t.test('the schedule: 10 s, 30 s, 1 min, 5 min, 10 min, 30 min, 1 h, 3 h, 6 h, then every 12 h', async (t) => {
  const delays = Array.from({ length: 12 }, (_, i) => step(i + 1, { status: 500 }))
  t.same(delays.map((d) => d.kind === 'retry' ? d.delayMs : -1), [...RETRY_SCHEDULE_MS, RETRY_AFTER_SCHEDULE_MS, RETRY_AFTER_SCHEDULE_MS, RETRY_AFTER_SCHEDULE_MS])
  t.same(RETRY_SCHEDULE_MS.map((ms) => ms / 1000), [10, 30, 60, 300, 600, 1800, 3600, 10800, 21600])
})

t.test('jitter adds up to 10 %, and the time scale multiplies the whole delay', async (t) => {
  t.same(step(1, { status: 500 }, { random: 0.5 }), { kind: 'retry', delayMs: 10_500 })
  t.same(step(1, { status: 500 }, { random: 0.999 }), { kind: 'retry', delayMs: 10_000 * 1.0999 })
  t.same(step(2, { status: 500 }, { timeScale: 0.001 }), { kind: 'retry', delayMs: 30 })
})

t.test('408 waits at least 2 min and 503 at least 30 s; network errors follow the plain schedule', async (t) => {
  t.same(step(1, { status: 408 }), { kind: 'retry', delayMs: 120_000 })
  t.same(step(1, { status: 503 }), { kind: 'retry', delayMs: 30_000 })
  t.same(step(4, { status: 503 }), { kind: 'retry', delayMs: 300_000 }, 'a later step longer than the floor keeps its own delay')
  for (const error of ['TimedOut', 'SocketError', 'ResolutionError'] as const) t.same(step(1, { error }), { kind: 'retry', delayMs: 10_000 }, error)
})

t.test('400 dead-letters as a bad request, 401/403/413 as client errors, at once', async (t) => {
  t.same(step(1, { status: 400 }), { kind: 'dead-letter', reason: 'UndeliverableDueToHttpBadRequest' })
  for (const s of [401, 403, 413]) t.same(step(1, { status: s }), { kind: 'dead-letter', reason: 'UndeliverableDueToClientError' }, String(s))
  t.equal(step(1, { status: 404 }).kind, 'retry', '404 is retried')
  t.equal(step(1, { status: 429 }).kind, 'retry', '429 is retried')
})

t.test('the last allowed attempt dead-letters with MaxDeliveryAttemptsExceeded', async (t) => {
  t.equal(step(2, { status: 500 }, { max: 3 }).kind, 'retry')
  t.same(step(3, { status: 500 }, { max: 3 }), { kind: 'dead-letter', reason: 'MaxDeliveryAttemptsExceeded' })
  t.same(step(1, { status: 500 }, { max: 1 }), { kind: 'dead-letter', reason: 'MaxDeliveryAttemptsExceeded' })
})

t.test('TTL: expired strictly after ttl minutes, scaled', async (t) => {
  t.notOk(isExpired(0, 60_000, 1, 1), 'exactly at the TTL is not yet expired')
  t.ok(isExpired(0, 60_001, 1, 1))
  t.ok(isExpired(0, 61, 1, 0.001), 'one minute at time scale 0.001 is 60 ms')
})

t.test('lastDeliveryOutcome names', async (t) => {
  t.same([400, 401, 403, 404, 408, 413, 503, 500, 200].map((s) => deliveryOutcome(s)),
    ['BadRequest', 'Unauthorized', 'Forbidden', 'NotFound', 'TimedOut', 'PayloadTooLarge', 'Busy', 'Busy', 'Delivered'])
  t.equal(deliveryOutcome(undefined, 'SocketError'), 'SocketError')
})
