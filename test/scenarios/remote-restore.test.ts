/** `scenario run --url` leaves a running emulator's subscriptions as it found them, secrets included, and says what it resets. */
import t from 'tap'
import { request } from 'undici'
import { startTestEmulator } from '../helpers/build.js'
import { scenarioRun } from './run-cli.js'

t.test('a subscription the scenario replaces is restored afterwards, with its hidden endpoint query and secret attributes', async (t) => {
  const eg = await startTestEmulator(t, `
topics:
  orders:
    subscriptions:
      app:
        validation: skip
        destination:
          endpointType: WebHook
          properties:
            endpointUrl: "/sink/original?code=s3cret"
            maxEventsPerBatch: 5
            deliveryAttributeMappings:
              - { name: x-api-key, type: Static, properties: { value: hidden-value, isSecret: true } }
        filter: { subjectBeginsWith: /orders/ }
`, { dataDir: t.testdir() })
  const dir = t.testdir({
    'replace.yaml': `name: replace
topics:
  orders:
    subscriptions:
      app:
        destination: { endpointType: WebHook, properties: { endpointUrl: /sink/scenario } }
      extra:
        destination: { endpointType: WebHook, properties: { endpointUrl: /sink/extra } }
steps:
  - publish: { topic: orders, event: { id: "r-1", subject: "/x", eventType: "T", eventTime: "2024-05-01T12:00:00Z", data: {} } }
  - expect: { subscription: app, eventId: r-1, status: 200, within: 2s }
`
  })
  const before = await (await request(`${eg.url}/admin/topics/orders/subscriptions/app`)).body.json()
  const { code, out } = await scenarioRun([`${dir}/replace.yaml`, '--url', eg.url])
  t.equal(code, 0, out)
  t.match(out, /^Running against http:\/\/127\.0\.0\.1:\d+: before each scenario its recorded state is cleared \(POST \/admin\/reset: the delivery log, sinks, dead-letter listing, recorded events, waiting events and pending retries\); subscriptions a scenario adds are deleted afterwards and those it replaces are restored\./)
  const after = await (await request(`${eg.url}/admin/topics/orders/subscriptions/app`)).body.json()
  t.same(after, before, 'the subscription reads as before')
  const full = await (await request(`${eg.url}/admin/topics/orders/subscriptions/app/getFullUrl`, { method: 'POST' })).body.json()
  t.same(full, { endpointUrl: '/sink/original?code=s3cret' })
  const attrs = await (await request(`${eg.url}/admin/topics/orders/subscriptions/app/getDeliveryAttributes`, { method: 'POST' })).body.json()
  t.same(attrs, { value: [{ name: 'x-api-key', type: 'Static', properties: { value: 'hidden-value', isSecret: true } }] })
  const names = ((await (await request(`${eg.url}/admin/topics/orders/subscriptions`)).body.json()) as { value: Array<{ name: string }> }).value.map((s) => s.name)
  t.same(names, ['app'], 'the added subscription is gone')
  eg.publish('orders', [{ id: 'after', subject: '/orders/1', eventType: 'T', eventTime: '2024-05-01T12:00:00Z', data: {} }])
  await eg.waitForDeliveries((r) => r.eventIds.includes('after') && r.outcome === 'Delivered')
  t.equal(eg.sink('original').length, 1, 'deliveries go to the original endpoint again')
})
