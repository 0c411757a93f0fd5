/**
 * Graceful shutdown keeps the promise that nothing accepted disappears without a record: publishes are refused
 * once closing starts, unsent events and pending retries are recorded as dropped, and a hanging webhook is cut
 * off when the grace period ends.
 */
import t from 'tap'
import { request } from 'undici'
import { egEvent, startTestEmulator } from '../helpers/build.js'
import { startReceiver } from '../helpers/receiver.js'

const yaml = (url: string): string => `
delivery: { timeScale: 1 }
topics:
  orders:
    subscriptions:
      hook:
        validation: skip
        destination: { endpointType: WebHook, properties: { endpointUrl: "${url}/hook" } }
`

t.test('a hanging delivery is cut at the end of the grace period and recorded as dropped; publishing gets 503', async (t) => {
  const receiver = await startReceiver(t, { delayMs: 10_000 })
  const eg = await startTestEmulator(t, yaml(receiver.url), { shutdownGraceMs: 200 })
  eg.publish('orders', [egEvent({ id: 'hanging' })])
  await receiver.waitFor(1)
  const started = Date.now()
  const closing = eg.close()
  const late = await request(`${eg.url}/topics/orders/api/events`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify([egEvent({ id: 'late' })]) })
  t.equal(late.statusCode, 503, 'no new events once shutdown has begun')
  t.match(await late.body.json(), { error: { code: 'ServiceUnavailable' } })
  await closing
  t.ok(Date.now() - started < 5000, `close() took ${Date.now() - started} ms: bounded by the grace period, not the webhook`)
  t.match(eg.deliveries({ eventId: 'hanging' }), [{ outcome: 'Dropped', reason: /emulator shut down/ }])
})

t.test('pending retries and waiting events are recorded as dropped at shutdown', async (t) => {
  const receiver = await startReceiver(t, { defaultStatus: 500 })
  const eg = await startTestEmulator(t, yaml(receiver.url))
  eg.publish('orders', [egEvent({ id: 'will-retry' })])
  await eg.waitForDeliveries((r) => r.eventIds.includes('will-retry') && r.outcome === 'Failed')
  t.equal(eg.emulator.pendingRetries, 1)
  await eg.close()
  t.equal(eg.emulator.pendingRetries, 0)
  t.match(eg.deliveries({ eventId: 'will-retry' }).at(-1), { outcome: 'Dropped', reason: /emulator shut down/ })
})

t.test('a throwing waitForDeliveries predicate rejects that wait and does not disturb delivery', async (t) => {
  const receiver = await startReceiver(t)
  const eg = await startTestEmulator(t, yaml(receiver.url))
  const bad = eg.waitForDeliveries(() => { throw new Error('bad predicate') }, 1, 5000)
  eg.publish('orders', [egEvent({ id: 'ok' })])
  await t.rejects(bad, { message: 'bad predicate' })
  await eg.waitForDeliveries((r) => r.eventIds.includes('ok') && r.outcome === 'Delivered')
  t.equal(receiver.notifications().length, 1)
})
