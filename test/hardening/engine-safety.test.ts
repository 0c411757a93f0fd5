/**
 * No exception inside the delivery engine escapes it: a failure is recorded against that event and subscription
 * as Dropped with the error as reason, the queue moves on, and other subscriptions never notice. And the
 * per-topic back-pressure bound answers 503 + Retry-After instead of holding without limit.
 */
import t from 'tap'
import { request } from 'undici'
import type { Transport } from '../../src/delivery/ports.js'
import type { RunningEmulator } from '../../src/index.js'
import { egEvent, startTestEmulator } from '../helpers/build.js'
import { ManualClock } from '../helpers/manual-clock.js'

const YAML = `
topics:
  orders:
    subscriptions:
      first:
        validation: skip
        destination: { endpointType: WebHook, properties: { endpointUrl: /sink/first } }
      second:
        validation: skip
        destination: { endpointType: WebHook, properties: { endpointUrl: /sink/second } }
`

/** accepted × subscriptions = delivered + dead-lettered + dropped + not matched, each event counted once. */
function finalOutcomes (eg: RunningEmulator): Map<string, string> {
  const final = new Map<string, string>()
  for (const r of eg.deliveries()) {
    if (!['Delivered', 'DeadLettered', 'Dropped', 'NotMatched'].includes(r.outcome)) continue
    for (const id of r.eventIds) {
      const key = `${r.subscription}/${id}`
      t.notOk(final.has(key), `${key} has one final outcome`)
      final.set(key, r.outcome)
    }
  }
  return final
}

t.test('an event that cannot be serialised is dropped with the error as reason; the queue and the other events move on', async (t) => {
  const eg = await startTestEmulator(t, YAML)
  let calls = 0
  // Serialisable once (when accepted), then it throws: the engine meets it while sizing or sending.
  const hostile = { toJSON: () => { if (++calls > 1) throw new Error('boom from toJSON'); return { ok: true } } }
  eg.publish('orders', [egEvent({ id: 'hostile', data: hostile }), egEvent({ id: 'fine-1' })])
  eg.publish('orders', [egEvent({ id: 'fine-2' })])
  // fine-1 and fine-2 to both subscriptions: four deliveries, in any order.
  await eg.waitForDeliveries((r) => r.outcome === 'Delivered', 4, 5000)
  await eg.waitForDeliveries((r) => r.eventIds.includes('hostile') && r.outcome === 'Dropped', 2, 5000)
  const dropped = eg.deliveries({ eventId: 'hostile' }).filter((r) => r.outcome === 'Dropped')
  t.equal(dropped.length, 2, 'dropped once for each subscription')
  for (const r of dropped) t.match(r.reason, /^internal error while .*: Error: boom from toJSON$/)
  const final = finalOutcomes(eg)
  t.same([...final.entries()].sort(), [
    ['first/fine-1', 'Delivered'], ['first/fine-2', 'Delivered'], ['first/hostile', 'Dropped'],
    ['second/fine-1', 'Delivered'], ['second/fine-2', 'Delivered'], ['second/hostile', 'Dropped']
  ])
  t.equal(eg.sink('first').length, 2)
  t.equal(eg.sink('second').length, 2)
  t.equal(eg.emulator.backlog(eg.emulator.topic('orders')!), 0, 'nothing left counted as pending')
})

t.test('with batching, only the event that cannot be rendered is dropped; the events around it are delivered', async (t) => {
  const eg = await startTestEmulator(t, `
topics:
  orders:
    subscriptions:
      batched:
        validation: skip
        destination: { endpointType: WebHook, properties: { endpointUrl: /sink/batched, maxEventsPerBatch: 10 } }
`)
  let calls = 0
  const hostile = { toJSON: () => { if (++calls > 1) throw new Error('boom'); return {} } }
  eg.publish('orders', [egEvent({ id: 'before' }), egEvent({ id: 'hostile', data: hostile }), egEvent({ id: 'after' })])
  // One batch or two sent in parallel: wait for each event's delivery, and compare the sink's ids sorted.
  await eg.waitForDeliveries((r) => r.eventIds.includes('before') && r.outcome === 'Delivered', 1, 5000)
  await eg.waitForDeliveries((r) => r.eventIds.includes('after') && r.outcome === 'Delivered', 1, 5000)
  t.match(eg.deliveries({ eventId: 'before' }), [{ outcome: 'Delivered' }])
  t.match(eg.deliveries({ eventId: 'hostile' }), [{ outcome: 'Dropped', reason: 'internal error while measuring the event for batching: Error: boom' }])
  t.same(eg.sink('batched').flatMap((r) => (r.body as Array<{ id: string }>).map((e) => e.id)).sort(), ['after', 'before'])
})

t.test('a filter that throws on one event drops it for that subscription only', async (t) => {
  const eg = await startTestEmulator(t, `
topics:
  orders:
    subscriptions:
      picky:
        validation: skip
        destination: { endpointType: WebHook, properties: { endpointUrl: /sink/picky } }
        filter: { advancedFilters: [{ operatorType: StringContains, key: data.name, values: [x] }] }
      all:
        validation: skip
        destination: { endpointType: WebHook, properties: { endpointUrl: /sink/all } }
`)
  // A getter that throws stands in for any bug reached while a filter reads an event.
  const data = Object.defineProperty({}, 'name', { enumerable: false, get () { throw new Error('getter exploded') } })
  eg.publish('orders', [egEvent({ id: 'weird', data }), egEvent({ id: 'normal', data: { name: 'xy' } })])
  await eg.waitForDeliveries((r) => r.outcome === 'Delivered', 3, 5000)
  t.match(eg.deliveries({ eventId: 'weird', subscription: 'picky' }), [{ outcome: 'Dropped', reason: /internal error while evaluating the filter: Error: getter exploded/ }])
  t.match(eg.deliveries({ eventId: 'weird', subscription: 'all' }), [{ outcome: 'Delivered' }])
  t.match(eg.deliveries({ eventId: 'normal', subscription: 'picky' }), [{ outcome: 'Delivered' }])
})

const failing: Transport = {
  send: async () => ({ status: 500, headers: {}, body: '', durationMs: 0 }),
  close: async () => {},
  destroy: async () => {}
}

t.test('back-pressure: past limits.maxPendingEventsPerTopic publish answers 503 ServiceUnavailable + Retry-After', async (t) => {
  const clock = new ManualClock()
  const eg = await startTestEmulator(t, `
limits: { maxPendingEventsPerTopic: 10 }
topics:
  orders:
    subscriptions:
      hook:
        validation: skip
        destination: { endpointType: WebHook, properties: { endpointUrl: "http://webhook.invalid/api" } }
  other:
    subscriptions: {}
`, { clock, transport: failing })
  eg.publish('orders', Array.from({ length: 10 }, (_, i) => egEvent({ id: `p-${i}` })))
  const res = await request(`${eg.url}/topics/orders/api/events`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify([egEvent({ id: 'over' })]) })
  t.equal(res.statusCode, 503)
  t.equal(res.headers['retry-after'], '1')
  const body = await res.body.json() as { error: { code: string, message: string, details: Array<{ code: string }> } }
  t.equal(body.error.code, 'ServiceUnavailable')
  t.equal(body.error.details[0]!.code, 'ServiceUnavailable')
  t.match(body.error.message, /^Topic 'orders' has 10 accepted events not yet delivered, the most it holds \(limits\.maxPendingEventsPerTopic: 10\)\. Retry after the Retry-After interval\. Report '[0-9a-f-]{36}:[^']+ \(UTC\)' to our forums for assistance or raise a support ticket\.$/, 'with Azure\'s report suffix, as every publish error')
  t.equal(eg.deliveries({ eventId: 'over' }).length, 0, 'the refused event left no record: it was never accepted')
  const other = await request(`${eg.url}/topics/other/api/events`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify([egEvent()]) })
  t.equal(other.statusCode, 200, 'other topics are not affected')
  await other.body.dump()
  // Deleting the subscription settles its events (Dropped, with a reason): the topic accepts again.
  await request(`${eg.url}/admin/topics/orders/subscriptions/hook`, { method: 'DELETE' }).then(async (r) => { await r.body.dump() })
  t.equal(eg.emulator.backlog(eg.emulator.topic('orders')!), 0)
  const again = await request(`${eg.url}/topics/orders/api/events`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify([egEvent()]) })
  t.equal(again.statusCode, 200)
  await again.body.dump()
})

t.test('an endpoint URL that is the emulator\'s own publish route is cut on delivery with a reason (no self-feeding loop)', async (t) => {
  const eg = await startTestEmulator(t, `
topics:
  orders:
    subscriptions: {}
`)
  const put = await request(`${eg.url}/admin/topics/orders/subscriptions/loop`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ validation: 'skip', destination: { endpointType: 'WebHook', properties: { endpointUrl: `${eg.url.replace('127.0.0.1', 'localhost')}/topics/orders/api/events` } } })
  })
  t.equal(put.statusCode, 201)
  await put.body.dump()
  eg.publish('orders', [egEvent({ id: 'once' })])
  const [record] = await eg.waitForDeliveries((r) => r.eventIds.includes('once') && r.outcome === 'Dropped', 1, 5000)
  t.match(record!.reason, /is one of the emulator's own publish or admin routes: delivering there would feed every event back in/)
  t.equal(eg.deliveries({ eventId: 'once' }).length, 1, 'one record, no loop')
})
