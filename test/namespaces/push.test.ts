/**
 * Push subscriptions of namespace topics: the CloudEvents OPTIONS handshake, one structured CloudEvent per
 * request, the namespace retry schedule (immediately, 10 s, 30 s, 1 min, 5 min, then every 5 min), the
 * no-retry statuses and maxDeliveryCount — on a manual clock, with a real webhook.
 */
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import t from 'tap'
import { ManualClock } from '../helpers/manual-clock.js'
import { startReceiver } from '../helpers/receiver.js'
import { startNs } from './ns-helpers.js'

function pushYaml (url: string, opts: { dir?: string, maxDeliveryCount?: number } = {}): string {
  return `
delivery: { timeScale: 1${opts.dir !== undefined ? `, deadLetterDir: "${opts.dir}"` : ''} }
namespaces:
  orders-ns:
    topics:
      orders:
        eventSubscriptions:
          hook:
            deliveryConfiguration:
              deliveryMode: Push
              push:
                maxDeliveryCount: ${opts.maxDeliveryCount ?? 10}
                destination: { endpointType: WebHook, properties: { endpointUrl: "${url}/hook" } }
                deadLetterDestinationWithResourceIdentity:
                  deadLetterDestination: { endpointType: StorageBlob, properties: { blobContainerName: dead } }
`
}

async function waitForAttempt (eg: Awaited<ReturnType<typeof startNs>>['eg'], n: number): Promise<void> {
  await eg.waitForDeliveries((r) => r.topic === 'orders-ns/orders' && r.attempt === n && (r.outcome === 'Failed' || r.outcome === 'Delivered'))
}

t.test('push: handshake, then one CloudEvent per request; retries at 10 s, 30 s, 1 min, 5 min, 5 min', async (t) => {
  const clock = new ManualClock()
  const receiver = await startReceiver(t, { statuses: [500, 500, 503, 500, 500], defaultStatus: 200 })
  const { eg, sender } = await startNs(t, pushYaml(receiver.url), clock)
  await sender.sendEvents({ type: 'Contoso.Orders.Created', source: '/orders', data: { orderId: 7 }, id: 'push-1' })
  const delays: number[] = []
  for (let attempt = 1; attempt <= 5; attempt++) {
    await waitForAttempt(eg, attempt)
    delays.push(clock.nextDelay()!)
    clock.advance(clock.nextDelay()!)
  }
  await waitForAttempt(eg, 6)
  t.same(delays, [10_000, 30_000, 60_000, 300_000, 300_000])
  t.equal(receiver.received[0]!.method, 'OPTIONS', 'the CloudEvents handshake comes first')
  t.equal(receiver.received[0]!.headers['webhook-request-origin'], 'eventgrid.azure.net')
  const posts = receiver.notifications()
  t.equal(posts.length, 6)
  t.same(posts.map((p) => p.headers['aeg-delivery-count']), ['0', '1', '2', '3', '4', '5'])
  t.match(posts[0]!.headers, { 'content-type': 'application/cloudevents+json; charset=utf-8', 'aeg-subscription-name': 'HOOK', 'aeg-compatibility-mode-enabled': 'false' })
  t.match(posts[0]!.body, { id: 'push-1', type: 'Contoso.Orders.Created', specversion: '1.0', data: { orderId: 7 } })
  t.same(eg.deliveries({ eventId: 'push-1' }).map((d) => d.outcome), ['Failed', 'Failed', 'Failed', 'Failed', 'Failed', 'Delivered'])
})

t.test('push: 404 is not retried and dead-letters at once in the namespace format', async (t) => {
  const dir = t.testdir()
  const receiver = await startReceiver(t, { defaultStatus: 404 })
  const { eg, sender } = await startNs(t, pushYaml(receiver.url, { dir }), new ManualClock())
  await sender.sendEvents({ type: 'T', source: '/s', id: 'gone' })
  await eg.waitForDeliveries((r) => r.outcome === 'DeadLettered')
  await eg.emulator.namespaces.idle()
  t.equal(receiver.notifications().length, 1)
  const [entry] = eg.emulator.deadLetters.list({ topic: 'orders-ns/orders' })
  const content = JSON.parse(await readFile(join(dir, entry!.path), 'utf8'))
  t.match(content, { deadLetterProperties: { deadletterreason: 'UndeliverableDueToNonRetriableError', deliveryattempts: 1, deliveryresult: 'HTTP 404 is not retried by namespace push delivery.' }, event: { id: 'gone' } })
})

t.test('push: maxDeliveryCount ends the retries with a dead letter', async (t) => {
  const dir = t.testdir()
  const clock = new ManualClock()
  const receiver = await startReceiver(t, { defaultStatus: 500 })
  const { eg, sender } = await startNs(t, pushYaml(receiver.url, { dir, maxDeliveryCount: 2 }), clock)
  await sender.sendEvents({ type: 'T', source: '/s', id: 'busy' })
  await waitForAttempt(eg, 1)
  clock.advance(10_000)
  await eg.waitForDeliveries((r) => r.outcome === 'DeadLettered')
  await eg.emulator.namespaces.idle()
  const [entry] = eg.emulator.deadLetters.list({ topic: 'orders-ns/orders' })
  const content = JSON.parse(await readFile(join(dir, entry!.path), 'utf8'))
  t.match(content.deadLetterProperties, { deadletterreason: 'MaxDeliveryCountExceeded', deliveryattempts: 2 })
  t.equal(clock.nextDelay(), undefined, 'no retry left')
})

t.test('push: an endpoint that refuses the OPTIONS handshake gets no events', async (t) => {
  const receiver = await startReceiver(t, { allowOptions: false })
  const { eg, sender } = await startNs(t, pushYaml(receiver.url), new ManualClock())
  await sender.sendEvents({ type: 'T', source: '/s', id: 'refused' })
  const [dropped] = await eg.waitForDeliveries((r) => r.outcome === 'Dropped')
  t.equal(receiver.notifications().length, 0)
  t.match(eg.deliveries({ eventId: 'refused' })[0], { outcome: 'Failed', status: 405, error: /validation handshake \(OPTIONS\) failed: HTTP 405/ })
  t.match(dropped!.reason, /did not pass the CloudEvents validation handshake/)
})

t.test('shutdown: queued events and pending push retries are recorded as dropped, not lost', async (t) => {
  const clock = new ManualClock()
  const receiver = await startReceiver(t, { defaultStatus: 500 })
  const { eg, sender } = await startNs(t, pushYaml(receiver.url), clock)
  await sender.sendEvents({ type: 'T', source: '/s', id: 'retry-pending' })
  await waitForAttempt(eg, 1)
  await eg.close()
  t.match(eg.deliveries({ eventId: 'retry-pending' }).at(-1), { outcome: 'Dropped', reason: 'the emulator shut down before the next push retry' })
})
