/** Output batching (reference §5.2): count cap, size target, oversized single events, all-or-nothing retries. */
import t from 'tap'
import { egEvent, startTestEmulator } from '../helpers/build.js'
import { startReceiver } from '../helpers/receiver.js'

function yaml (url: string, props: string): string {
  return `
delivery: { timeScale: 0.001 }
topics:
  orders:
    subscriptions:
      hook:
        validation: skip
        destination: { endpointType: WebHook, properties: { endpointUrl: "${url}/hook", ${props} } }
`
}

const ids = (r: { body: unknown }): string[] => (r.body as Array<{ id: string }>).map((e) => e.id)

t.test('maxEventsPerBatch caps the events per request; nothing waits to fill a batch', async (t) => {
  const receiver = await startReceiver(t)
  const eg = await startTestEmulator(t, yaml(receiver.url, 'maxEventsPerBatch: 3'))
  eg.publish('orders', Array.from({ length: 7 }, (_, i) => egEvent({ id: `e${i}` })))
  await eg.waitForDeliveries((r) => r.outcome === 'Delivered', 3)
  const batches = receiver.notifications().map(ids)
  t.same(batches.map((b) => b.length).sort(), [1, 3, 3])
  t.same(batches.flat().sort(), ['e0', 'e1', 'e2', 'e3', 'e4', 'e5', 'e6'])
})

t.test('without batching settings every request carries one event (still a JSON array)', async (t) => {
  const receiver = await startReceiver(t)
  const eg = await startTestEmulator(t, yaml(receiver.url, 'endpointBaseUrl: null').replace(', endpointBaseUrl: null', ''))
  eg.publish('orders', [egEvent({ id: 'a' }), egEvent({ id: 'b' })])
  await receiver.waitFor(2)
  t.same(receiver.notifications().map(ids).sort(), [['a'], ['b']])
})

t.test('preferredBatchSizeInKilobytes is a soft target; an oversized event goes alone', async (t) => {
  const receiver = await startReceiver(t)
  const eg = await startTestEmulator(t, yaml(receiver.url, 'maxEventsPerBatch: 100, preferredBatchSizeInKilobytes: 1'))
  // Each small event is ~450 bytes as stored (envelope with the topic id), so two fit in 1 KB and three do not.
  const small = (id: string): Record<string, unknown> => egEvent({ id, data: { pad: 'x'.repeat(150) } })
  eg.publish('orders', [small('s1'), small('s2'), small('s3'), egEvent({ id: 'big', data: { pad: 'y'.repeat(3000) } }), small('s4')])
  // Batches go out in parallel: wait for every event's delivery, not only the last one published.
  for (const id of ['s1', 's2', 's3', 'big', 's4']) await eg.waitForDeliveries((r) => r.outcome === 'Delivered' && r.eventIds.includes(id))
  const batches = receiver.notifications().map(ids)
  t.ok(batches.some((b) => b.length === 1 && b[0] === 'big'), `the 3 KB event went alone: ${JSON.stringify(batches)}`)
  t.ok(batches.some((b) => b.length === 2), `two small events shared a batch: ${JSON.stringify(batches)}`)
  for (const b of batches) {
    if (b.includes('big')) continue
    t.ok(b.length <= 2, `batch ${JSON.stringify(b)} stays near 1 KB (two ~450-byte events)`)
  }
  t.same(batches.flat().sort(), ['big', 's1', 's2', 's3', 's4'])
})

t.test('a failed batch is retried as a whole', async (t) => {
  const receiver = await startReceiver(t, { statuses: [500] })
  const eg = await startTestEmulator(t, yaml(receiver.url, 'maxEventsPerBatch: 10'))
  eg.publish('orders', [egEvent({ id: 'x1' }), egEvent({ id: 'x2' })])
  await receiver.waitFor(2)
  t.same(receiver.notifications().map(ids), [['x1', 'x2'], ['x1', 'x2']])
  t.same(receiver.notifications().map((r) => r.headers['aeg-delivery-count']), ['0', '1'])
})
