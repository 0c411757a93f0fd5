/**
 * End to end: events published through the HTTP API to a topic with several filtered subscriptions reach exactly
 * the webhooks whose filters match them.
 */
import t from 'tap'
import { request } from 'undici'
import { startTestEmulator } from '../helpers/build.js'
import { startReceiver } from '../helpers/receiver.js'

t.test('each webhook receives exactly the events its filter matches', async (t) => {
  const [created, big, vip, all] = await Promise.all([startReceiver(t), startReceiver(t), startReceiver(t), startReceiver(t)])
  const eg = await startTestEmulator(t, `
topics:
  orders:
    subscriptions:
      created-only:
        destination: { endpointType: WebHook, properties: { endpointUrl: "${created.url}/created" } }
        filter: { includedEventTypes: [Shop.Order.Created] }
      big-orders:
        destination: { endpointType: WebHook, properties: { endpointUrl: "${big.url}/big" } }
        filter:
          advancedFilters:
            - { operatorType: NumberGreaterThanOrEquals, key: data.total, value: 100 }
            - { operatorType: StringNotIn, key: data.country, values: [XX] }
      vip-eu:
        destination: { endpointType: WebHook, properties: { endpointUrl: "${vip.url}/vip" } }
        filter:
          subjectBeginsWith: /customers/vip/
          isSubjectCaseSensitive: true
          advancedFilters:
            - { operatorType: StringIn, key: data.country, values: [NL, DE, FR] }
      everything:
        destination: { endpointType: WebHook, properties: { endpointUrl: "${all.url}/all" } }
`)
  const ev = (id: string, eventType: string, subject: string, data: Record<string, unknown>): Record<string, unknown> =>
    ({ id, eventType, subject, eventTime: '2024-05-01T12:00:00Z', data, dataVersion: '1' })
  const events = [
    ev('a', 'Shop.Order.Created', '/customers/vip/1', { total: 250, country: 'NL' }),
    ev('b', 'Shop.Order.Created', '/customers/regular/2', { total: 20, country: 'US' }),
    ev('c', 'Shop.Order.Paid', '/customers/VIP/3', { total: 500, country: 'de' }),
    ev('d', 'Shop.Order.Paid', '/customers/vip/4', { total: '900', country: 'XX' })
  ]
  const res = await request(`${eg.url}/topics/orders/api/events?api-version=2018-01-01`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(events) })
  t.equal(res.statusCode, 200)
  await res.body.dump()
  await all.waitFor(4)
  await eg.waitForDeliveries((r) => r.outcome === 'Delivered' || r.outcome === 'NotMatched', 16)
  const ids = (r: typeof all): string[] => r.notifications().flatMap((n) => (n.body as Array<{ id: string }>).map((e) => e.id)).sort()
  t.same(ids(created), ['a', 'b'], 'event type filter')
  t.same(ids(big), ['a', 'c'], 'numeric filter; "900" is a string, so d is ignored, and XX is excluded')
  t.same(ids(vip), ['a'], 'case-sensitive subject prefix (c has /VIP/) and case-insensitive StringIn')
  t.same(ids(all), ['a', 'b', 'c', 'd'], 'no filter: everything')
  t.match(eg.deliveries({ eventId: 'c', subscription: 'vip-eu' }), [{ outcome: 'NotMatched', reason: /subjectBeginsWith/ }])
  t.match(eg.deliveries({ eventId: 'd', subscription: 'big-orders' }), [{ outcome: 'NotMatched', reason: /data\.total/ }])
})
