import t from 'tap'
import { request } from 'undici'
import { startEmulator } from '../../src/index.js'
import { egEvent } from '../helpers/build.js'

t.test('the built-in default config delivers a published event to the built-in sink', async (t) => {
  const eg = await startEmulator({ port: 0 })
  t.teardown(eg.close)
  const health = await request(`${eg.url}/healthz`)
  t.equal(health.statusCode, 200)
  t.same(await health.body.json(), { status: 'ok' })

  const event = egEvent({ id: 'default-1' })
  const res = await request(`${eg.url}/topics/events/api/events?api-version=2018-01-01`, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify([event])
  })
  t.equal(res.statusCode, 200)
  await res.body.dump()
  await eg.waitForDeliveries((r) => r.eventIds.includes('default-1') && r.outcome === 'Delivered')

  const sink = await (await request(`${eg.url}/sink/default`)).body.json() as { count: number, events: Array<Record<string, unknown>>, requests: Array<{ headers: Record<string, string> }> }
  t.equal(sink.count, 1)
  t.same(sink.events[0], {
    id: 'default-1',
    topic: '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/local/providers/Microsoft.EventGrid/topics/events',
    subject: '/orders/1',
    eventType: 'Contoso.Orders.Created',
    eventTime: '2024-05-01T12:00:00Z',
    data: { orderId: 1 },
    dataVersion: '1.0',
    metadataVersion: '1'
  })
  const notification = sink.requests.find((r) => r.headers['aeg-event-type'] === 'Notification')!
  t.match(notification.headers, {
    'content-type': 'application/json; charset=utf-8',
    'aeg-subscription-name': 'EVENTS-TO-SINK',
    'aeg-delivery-count': '0',
    'aeg-data-version': '1.0',
    'aeg-metadata-version': '1'
  })
  const validation = sink.requests.filter((r) => r.headers['aeg-event-type'] === 'SubscriptionValidation')
  t.equal(validation.length, 2, 'both default subscriptions validated through the sink handshake')

  const del = await request(`${eg.url}/sink/default`, { method: 'DELETE' })
  t.equal(del.statusCode, 204)
  t.equal((await (await request(`${eg.url}/sink/default`)).body.json() as { count: number }).count, 0)
})

t.test('the admin API lists topics with their subscriptions and state', async (t) => {
  const eg = await startEmulator({ port: 0 })
  t.teardown(eg.close)
  await eg.waitForDeliveries(() => true, 0)
  const body = await (await request(`${eg.url}/admin/topics`)).body.json() as { value: Array<{ name: string, topicType: string | null, resourceId: string }> }
  t.same(body.value.map((x) => x.name), ['acs', 'events'])
  t.equal(body.value[0]!.topicType, 'Microsoft.Communication.CommunicationServices')
  t.equal(body.value[0]!.resourceId, '/subscriptions/00000000-0000-0000-0000-000000000000/resourcegroups/local/providers/microsoft.communication/communicationservices/local-acs')
})

t.test('unknown routes answer 404 in Event Grid error shape', async (t) => {
  const eg = await startEmulator({ port: 0 })
  t.teardown(eg.close)
  const res = await request(`${eg.url}/api/nothing`)
  t.equal(res.statusCode, 404)
  t.match(await res.body.json(), { error: { code: 'NotFound' } })
})
