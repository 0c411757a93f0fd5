/** The pure queue: settlement rules, lock expiry, delayed release, TTL, maxDeliveryCount — time as a number. */
import t from 'tap'
import { SubscriptionQueue } from '../../src/namespaces/queue.js'
import { parseIsoDuration } from '../../src/namespaces/iso-duration.js'

const ce = (id: string): { specversion: string, id: string, source: string, type: string } => ({ specversion: '1.0', id, source: '/s', type: 'T' })
function queue (settings: Partial<{ lockMs: number, maxDeliveryCount: number, ttlMs: number }> = {}): SubscriptionQueue {
  let n = 0
  return new SubscriptionQueue({ lockMs: 60_000, maxDeliveryCount: 10, ttlMs: 86_400_000, ...settings }, () => `tok-${++n}`)
}

t.test('events are received oldest first, at most maxEvents, each locked once', async (t) => {
  const q = queue()
  for (const id of ['a', 'b', 'c']) q.enqueue(ce(id), 0)
  t.same(q.receive(2, 0).map((r) => [r.event.id, r.lockToken, r.deliveryCount]), [['a', 'tok-1', 1], ['b', 'tok-2', 1]])
  t.same(q.receive(5, 0).map((r) => r.event.id), ['c'])
  t.same(q.receive(5, 0), [])
  t.equal(q.lockedCount, 3)
})

t.test('TTL: an event not received before eventTimeToLive is dead-lettered as TimeToLiveExceeded', async (t) => {
  const q = queue({ ttlMs: 60_000 })
  q.enqueue(ce('old'), 0)
  t.equal(q.nextDue(), 60_000)
  t.same(q.sweep(59_999), [])
  const [removed] = q.sweep(60_000)
  t.match(removed, { kind: 'dead-letter', reason: 'TimeToLiveExceeded', entry: { event: { id: 'old' } } })
  t.equal(q.depth, 0)
})

t.test('a locked event past its TTL waits for its lock; then it expires instead of returning', async (t) => {
  const q = queue({ ttlMs: 90_000 })
  q.enqueue(ce('e'), 0)
  const [r] = q.receive(1, 0)
  t.same(q.sweep(60_000).map((x) => x.kind), ['lock-expired'], 'lock expires at 60 s: back to the queue')
  q.receive(1, 61_000)
  t.same(q.renewLock([r!.lockToken], 61_000).failedLockTokens.map((f) => f.error.code), ['TokenLost'])
  t.same(q.sweep(121_000).map((x) => x.kind === 'dead-letter' ? x.reason : x.kind), ['lock-expired', 'TimeToLiveExceeded'])
})

t.test('release with delay holds the event back until the delay has passed', async (t) => {
  const q = queue()
  q.enqueue(ce('e'), 0)
  const [r] = q.receive(1, 0)
  q.release([r!.lockToken], 10_000, 0)
  t.equal(q.delayedCount, 1)
  t.same(q.receive(1, 5_000), [])
  q.sweep(10_000)
  t.same(q.receive(1, 10_000).map((x) => x.deliveryCount), [2])
})

t.test('release of an event received maxDeliveryCount times dead-letters it', async (t) => {
  const q = queue({ maxDeliveryCount: 1 })
  q.enqueue(ce('e'), 0)
  const [r] = q.receive(1, 0)
  const out = q.release([r!.lockToken], 0, 0)
  t.same(out.result.succeededLockTokens, [r!.lockToken])
  t.match(out.deadLettered, [{ reason: 'MaxDeliveryCountExceeded', result: 'The event was released after 1 deliveries; maxDeliveryCount is 1.' }])
})

t.test('ISO 8601 durations', async (t) => {
  t.equal(parseIsoDuration('P1D'), 86_400_000)
  t.equal(parseIsoDuration('PT10M'), 600_000)
  t.equal(parseIsoDuration('P1DT12H30M5.5S'), 131_405_500)
  t.equal(parseIsoDuration('P1W'), 604_800_000)
  for (const bad of ['P', 'PT', '1D', 'P1M2', 'P1Y', 'PT1D']) t.equal(parseIsoDuration(bad), undefined, bad)
})
