/**
 * Pull delivery driven by the real @azure/eventgrid-namespaces client: send, receive with lock tokens,
 * acknowledge, release with delay, reject to the namespace dead-letter format, lock expiry, maxDeliveryCount,
 * renew lock, failed lock tokens, filters. Time moves only through a manual clock.
 */
import { randomUUID } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import t from 'tap'
import { ManualClock } from '../helpers/manual-clock.js'
import { pollParked, queueYaml, startNs } from './ns-helpers.js'

const event = (type = 'Contoso.Orders.Created', data: unknown = { orderId: 1 }, id: string = randomUUID()): { id: string, type: string, source: string, data: unknown } => ({ id, type, source: '/orders', data })

t.test('send single and batch, receive with lock tokens, acknowledge', async (t) => {
  const { eg, sender, receiver } = await startNs(t, queueYaml(), new ManualClock())
  await sender.sendEvents(event('A'))
  await sender.sendEvents([event('B'), event('C')])
  const r = receiver()
  const got = await r.receiveEvents({ maxEvents: 10, maxWaitTime: 10 })
  t.same(got.details.map((d) => d.event.type), ['A', 'B', 'C'])
  t.same(got.details.map((d) => d.brokerProperties.deliveryCount), [1, 1, 1])
  t.ok(got.details.every((d) => typeof d.brokerProperties.lockToken === 'string' && d.brokerProperties.lockToken.length > 10))
  t.same(got.details[0]!.event.data, { orderId: 1 })
  const res = await r.acknowledgeEvents(got.details.map((d) => d.brokerProperties.lockToken))
  t.equal(res.succeededLockTokens.length, 3)
  t.same(res.failedLockTokens, [])
  const admin = await eg.app.inject({ method: 'GET', url: '/admin/namespaces' })
  t.match(admin.json().value[0].topics[0].eventSubscriptions[0], { name: 'worker', deliveryMode: 'Queue', queueDepth: 0, locked: 0, deadLettered: 0 })
  t.same(eg.deliveries({ topic: 'orders-ns/orders' }).map((d) => d.outcome), ['Received', 'Acknowledged'])
})

t.test('maxEvents limits a batch; the rest stays queued and the admin API counts it', async (t) => {
  const { eg, sender, receiver } = await startNs(t, queueYaml(), new ManualClock())
  await sender.sendEvents([event('A'), event('B'), event('C')])
  const got = await receiver().receiveEvents({ maxEvents: 2, maxWaitTime: 10 })
  t.equal(got.details.length, 2)
  const admin = await eg.app.inject({ method: 'GET', url: '/admin/namespaces/orders-ns/topics/orders/eventsubscriptions/worker' })
  t.match(admin.json(), { queueDepth: 1, locked: 2 })
})

t.test('release with delay: the event returns after the delay with a higher delivery count', async (t) => {
  const clock = new ManualClock()
  const { eg, sender, receiver } = await startNs(t, queueYaml(), clock)
  await sender.sendEvents(event('A'))
  const r = receiver()
  const first = await r.receiveEvents({ maxWaitTime: 10 })
  const rel = await r.releaseEvents([first.details[0]!.brokerProperties.lockToken], { releaseDelay: '10' })
  t.equal(rel.succeededLockTokens.length, 1)
  // A long poll now waits: the event is delayed for 10 s of emulator time.
  const pending = r.receiveEvents({ maxWaitTime: 60 })
  await pollParked(eg)
  clock.advance(9_999)
  t.equal(eg.emulator.namespaces.topic('orders-ns', 'orders')!.subscriptions.get('worker')!.waiters.length, 1, 'still waiting just before the delay has passed')
  clock.advance(1)
  const again = await pending
  t.equal(again.details.length, 1)
  t.equal(again.details[0]!.event.id, first.details[0]!.event.id)
  t.equal(again.details[0]!.brokerProperties.deliveryCount, 2)
})

t.test('reject writes a dead-letter file in the namespace format', async (t) => {
  const dir = t.testdir()
  const clock = new ManualClock(Date.parse('2024-05-01T12:00:00Z'))
  const { eg, sender, receiver } = await startNs(t, queueYaml({ dir }), clock)
  await sender.sendEvents(event('Poison', { orderId: 1 }, 'poison-1'))
  const r = receiver()
  const got = await r.receiveEvents({ maxWaitTime: 10 })
  const res = await r.rejectEvents([got.details[0]!.brokerProperties.lockToken])
  t.equal(res.succeededLockTokens.length, 1)
  await eg.emulator.namespaces.idle()
  const [entry] = eg.emulator.deadLetters.list({ topic: 'orders-ns/orders' })
  t.ok(entry, 'listed under /admin/dead-letters')
  t.match(entry!.path, /^dead\/orders-ns\/orders\/worker\/2024\/5\/1\/12\/[0-9a-f-]{36}\.json$/)
  const content = JSON.parse(await readFile(join(dir, entry!.path), 'utf8'))
  t.same(content.deadLetterProperties, {
    deadletterreason: 'Rejected',
    deliveryattempts: 1,
    deliveryresult: 'The event was rejected by the receiver (reject operation).',
    publishutc: '2024-05-01T12:00:00.000Z',
    deliveryattemptutc: '2024-05-01T12:00:00.000Z'
  })
  t.match(content.event, { id: 'poison-1', type: 'Poison', source: '/orders', specversion: '1.0', data: { orderId: 1 } })
  const admin = await eg.app.inject({ method: 'GET', url: '/admin/namespaces/orders-ns/topics/orders/eventsubscriptions/worker' })
  t.match(admin.json(), { queueDepth: 0, locked: 0, deadLettered: 1 })
})

t.test('lock expiry returns the event to the queue and counts a delivery', async (t) => {
  const clock = new ManualClock()
  const { eg, sender, receiver } = await startNs(t, queueYaml(), clock)
  await sender.sendEvents(event('A'))
  const r = receiver()
  const first = await r.receiveEvents({ maxWaitTime: 10 })
  clock.advance(60_000)
  const second = await r.receiveEvents({ maxWaitTime: 10 })
  t.equal(second.details[0]!.event.id, first.details[0]!.event.id)
  t.equal(second.details[0]!.brokerProperties.deliveryCount, 2)
  t.not(second.details[0]!.brokerProperties.lockToken, first.details[0]!.brokerProperties.lockToken)
  const late = await r.acknowledgeEvents([first.details[0]!.brokerProperties.lockToken])
  t.same(late.succeededLockTokens, [])
  t.match(late.failedLockTokens, [{ lockToken: first.details[0]!.brokerProperties.lockToken, error: { code: 'TokenLost', message: /lock expired/ } }])
  t.same(eg.deliveries({ topic: 'orders-ns/orders' }).map((d) => d.outcome), ['Received', 'LockExpired', 'Received'])
})

t.test('maxDeliveryCount exhaustion dead-letters the event', async (t) => {
  const dir = t.testdir()
  const clock = new ManualClock()
  const { eg, sender, receiver } = await startNs(t, queueYaml({ dir, queue: '                maxDeliveryCount: 2\n' }), clock)
  await sender.sendEvents(event('A'))
  const r = receiver()
  await r.receiveEvents({ maxWaitTime: 10 })
  clock.advance(60_000)
  const second = await r.receiveEvents({ maxWaitTime: 10 })
  t.equal(second.details[0]!.brokerProperties.deliveryCount, 2)
  clock.advance(60_000)
  await eg.emulator.namespaces.idle()
  const [entry] = eg.emulator.deadLetters.list({ topic: 'orders-ns/orders' })
  const content = JSON.parse(await readFile(join(dir, entry!.path), 'utf8'))
  t.match(content.deadLetterProperties, { deadletterreason: 'MaxDeliveryCountExceeded', deliveryattempts: 2 })
  const admin = await eg.app.inject({ method: 'GET', url: '/admin/namespaces/orders-ns/topics/orders/eventsubscriptions/worker' })
  t.match(admin.json(), { queueDepth: 0, locked: 0, deadLettered: 1 })
})

t.test('renew lock keeps the event locked past the original lock duration', async (t) => {
  const clock = new ManualClock()
  const { sender, receiver } = await startNs(t, queueYaml(), clock)
  await sender.sendEvents(event('A'))
  const r = receiver()
  const got = await r.receiveEvents({ maxWaitTime: 10 })
  const token = got.details[0]!.brokerProperties.lockToken
  clock.advance(50_000)
  const renewed = await r.renewEventLocks([token])
  t.same(renewed.succeededLockTokens, [token])
  clock.advance(50_000) // 100 s after receive, 50 s after renewal
  const ack = await r.acknowledgeEvents([token])
  t.same(ack.succeededLockTokens, [token])
})

t.test('unknown, expired and already-settled lock tokens come back in failedLockTokens', async (t) => {
  const clock = new ManualClock()
  const { sender, receiver } = await startNs(t, queueYaml(), clock)
  await sender.sendEvents([event('A'), event('B')])
  const r = receiver()
  const got = await r.receiveEvents({ maxEvents: 2, maxWaitTime: 10 })
  const [a, b] = got.details.map((d) => d.brokerProperties.lockToken)
  await r.acknowledgeEvents([a!])
  const settled = await r.releaseEvents([a!, 'not-a-token'])
  t.same(settled.succeededLockTokens, [])
  t.same(settled.failedLockTokens, [
    { lockToken: a, error: { code: 'TokenLost', message: 'Token is no longer valid: the event was already acknowledged.' } },
    { lockToken: 'not-a-token', error: { code: 'BadToken', message: "The lock token 'not-a-token' is not a token this event subscription issued." } }
  ])
  clock.advance(60_000)
  const expired = await r.renewEventLocks([b!])
  t.match(expired.failedLockTokens, [{ lockToken: b, error: { code: 'TokenLost' } }])
  const rejected = await r.rejectEvents([b!])
  t.match(rejected.failedLockTokens, [{ lockToken: b, error: { code: 'TokenLost' } }])
})

t.test('a filter that declines: the event never reaches the queue, and the log says why', async (t) => {
  const filters = `            filtersConfiguration:
              includedEventTypes: [Contoso.Orders.Created]
              filters:
                - { operatorType: NumberGreaterThan, key: data.total, value: 100 }
`
  const { eg, sender, receiver } = await startNs(t, queueYaml({ filters }), new ManualClock())
  await sender.sendEvents([event('Contoso.Orders.Deleted', { total: 500 }), event('Contoso.Orders.Created', { total: 5 }), event('Contoso.Orders.Created', { total: 500 }, 'big')])
  const got = await receiver().receiveEvents({ maxEvents: 10, maxWaitTime: 10 })
  t.same(got.details.map((d) => d.event.id), ['big'])
  const declined = eg.deliveries({ topic: 'orders-ns/orders', status: 'NotMatched' })
  t.equal(declined.length, 2)
  t.match(declined[0]!.reason, /Contoso\.Orders\.Deleted/)
  t.match(declined[1]!.reason, /data\.total/)
})

t.test('a long poll wakes up as soon as an event is published', async (t) => {
  const { eg, sender, receiver } = await startNs(t, queueYaml(), new ManualClock())
  const started = performance.now()
  const pending = receiver().receiveEvents({ maxWaitTime: 120 })
  await pollParked(eg)
  await sender.sendEvents(event('Wake'))
  const got = await pending
  t.equal(got.details[0]!.event.type, 'Wake')
  t.ok(performance.now() - started < 5_000, 'answered long before maxWaitTime')
})

t.test('an empty long poll answers an empty value after maxWaitTime of emulator time', async (t) => {
  const clock = new ManualClock()
  const { eg, receiver } = await startNs(t, queueYaml(), clock)
  const pending = receiver().receiveEvents({ maxWaitTime: 10 })
  await pollParked(eg)
  clock.advance(10_000)
  t.same((await pending).details, [])
})

t.test('shutdown: events still queued or locked are recorded as dropped; POST /admin/reset empties the queue', async (t) => {
  const { eg, sender, receiver } = await startNs(t, queueYaml(), new ManualClock())
  await sender.sendEvents([event('A', {}, 'left-1'), event('B', {}, 'left-2')])
  await receiver().receiveEvents({ maxWaitTime: 10 })
  const reset = await eg.app.inject({ method: 'POST', url: '/admin/reset' })
  t.equal(reset.statusCode, 204)
  const admin = await eg.app.inject({ method: 'GET', url: '/admin/namespaces/orders-ns/topics/orders/eventsubscriptions/worker' })
  t.match(admin.json(), { queueDepth: 0, locked: 0 })
  await sender.sendEvents(event('C', {}, 'left-3'))
  await eg.close()
  t.match(eg.deliveries({ eventId: 'left-3' }).at(-1), { outcome: 'Dropped', reason: 'the emulator shut down with the event still in the queue' })
})
