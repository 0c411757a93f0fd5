/**
 * Event detail (the event as published, each attempt as sent and answered, the retries ahead) and replay:
 * redeliver to one subscription (filter bypassed or applied) or re-publish to the topic.
 */
import t from 'tap'
import { request } from 'undici'
import { egEvent, startTestEmulator } from '../helpers/build.js'
import { startReceiver } from '../helpers/receiver.js'

function yaml (url: string): string {
  return `
delivery: { timeScale: 0.001 }
topics:
  orders:
    subscriptions:
      hook:
        validation: skip
        destination: { endpointType: WebHook, properties: { endpointUrl: "${url}/hook" } }
      picky:
        validation: skip
        destination: { endpointType: WebHook, properties: { endpointUrl: "${url}/picky" } }
        filter: { subjectBeginsWith: /invoices/ }
`
}

async function post (url: string, body?: unknown): Promise<{ status: number, json: Record<string, unknown> }> {
  const res = await request(url, { method: 'POST', ...(body !== undefined ? { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) } : {}) })
  return { status: res.statusCode, json: await res.body.json() as Record<string, unknown> }
}

t.test('event detail shows the event as published and each attempt with headers, body, status and duration', async (t) => {
  const receiver = await startReceiver(t, { statuses: [500] })
  const eg = await startTestEmulator(t, yaml(receiver.url), { random: () => 0 })
  eg.publish('orders', [egEvent({ id: 'd-1', data: { orderId: 42 } })])
  await eg.waitForDeliveries((r) => r.outcome === 'Delivered' && r.subscription === 'hook')
  const detail = await (await request(`${eg.url}/admin/events/orders/d-1`)).body.json() as Record<string, unknown> & { attempts: Array<Record<string, unknown>> }
  t.match(detail, { topic: 'orders', id: 'd-1', eventType: 'Contoso.Orders.Created', inputSchema: 'EventGridSchema', event: { id: 'd-1', data: { orderId: 42 } } })
  t.equal(detail.attempts.length, 2)
  t.match(detail.attempts[0], {
    subscription: 'hook',
    attempt: 1,
    batchSize: 1,
    durationMs: Number,
    request: { method: 'POST', url: `${receiver.url}/hook`, headers: { 'aeg-event-type': 'Notification', 'aeg-delivery-count': '0' }, body: /"orderId":42/ },
    response: { status: 500 }
  })
  t.match(detail.attempts[1], { attempt: 2, request: { headers: { 'aeg-delivery-count': '1' } }, response: { status: 200 } })
  t.match(detail.decisions, [{ subscription: 'picky', outcome: 'NotMatched' }, { subscription: 'hook', outcome: 'Failed', nextAttemptTime: String }, { subscription: 'hook', outcome: 'Delivered' }])
  t.same(detail.retriesAhead, [], 'nothing pending once delivered')
  const list = await (await request(`${eg.url}/admin/events?topic=orders`)).body.json() as { value: unknown[] }
  t.match(list.value, [{ topic: 'orders', id: 'd-1', eventType: 'Contoso.Orders.Created', subject: '/orders/1', attempts: 2 }])
})

t.test('retries ahead: the next attempt time and the scaled gaps after it', async (t) => {
  const receiver = await startReceiver(t, { defaultStatus: 500 })
  const eg = await startTestEmulator(t, yaml(receiver.url).replace('0.001', '1'), { random: () => 0 })
  eg.publish('orders', [egEvent({ id: 'r-1' })])
  await eg.waitForDeliveries((r) => r.outcome === 'Failed')
  const detail = await (await request(`${eg.url}/admin/events/orders/r-1`)).body.json() as { retriesAhead: unknown }
  t.match(detail.retriesAhead, [{ subscription: 'hook', nextAttemptTime: String, attemptsLeft: 29, laterGapsMs: [30_000, 60_000, 300_000] }])
})

t.test('replay to one subscription bypasses its filter by default; applyFilter re-evaluates it', async (t) => {
  const receiver = await startReceiver(t)
  const eg = await startTestEmulator(t, yaml(receiver.url))
  eg.publish('orders', [egEvent({ id: 'p-1' })])
  await eg.waitForDeliveries((r) => r.outcome === 'Delivered')
  const forced = await post(`${eg.url}/admin/events/orders/p-1/replay`, { subscription: 'picky' })
  t.equal(forced.status, 202)
  t.same(forced.json, { topic: 'orders', eventId: 'p-1', mode: 'redeliver', subscriptions: [{ name: 'picky', decision: 'Queued' }] })
  await eg.waitForDeliveries((r) => r.subscription === 'picky' && r.outcome === 'Delivered')
  t.equal(receiver.notifications().filter((n) => n.url === '/picky').length, 1, 'the filter was bypassed')
  const filtered = await post(`${eg.url}/admin/events/orders/p-1/replay`, { subscription: 'picky', applyFilter: true })
  t.match(filtered.json, { mode: 'redeliver', subscriptions: [{ name: 'picky', decision: 'NotMatched', reason: /subjectBeginsWith/ }] })
})

t.test('replay without a subscription re-publishes to the topic: a second delivery, same event id', async (t) => {
  const receiver = await startReceiver(t)
  const eg = await startTestEmulator(t, yaml(receiver.url))
  eg.publish('orders', [egEvent({ id: 'again' })])
  await receiver.waitFor(1)
  const res = await post(`${eg.url}/admin/events/orders/again/replay`)
  t.equal(res.status, 202)
  t.match(res.json, { mode: 'republish', subscriptions: [{ name: 'hook', decision: 'Queued' }, { name: 'picky', decision: 'NotMatched' }] })
  const [first, second] = await receiver.waitFor(2)
  t.equal((second!.body as Array<{ id: string }>)[0]!.id, 'again')
  t.same(second!.body, first!.body, 'the same event, byte for byte')
  // The receiver records a request before the emulator has its answer: wait for the emulator's own record.
  await eg.waitForDeliveries((r) => r.subscription === 'hook' && r.outcome === 'Delivered' && r.eventIds.includes('again'), 2)
  const detail = await (await request(`${eg.url}/admin/events/orders/again`)).body.json() as { attempts: unknown[] }
  t.equal(detail.attempts.length, 2, 'both deliveries on the event detail')
})

t.test('replay and detail errors name what is wrong', async (t) => {
  const receiver = await startReceiver(t)
  const eg = await startTestEmulator(t, yaml(receiver.url))
  eg.publish('orders', [egEvent({ id: 'e-1' })])
  const cases: Array<[string, unknown, number, string]> = [
    ['/admin/events/orders/nope/replay', {}, 404, "No recorded event 'nope' on topic 'orders' to replay (the emulator keeps the last 1000 published events)."],
    ['/admin/events/orders/e-1/replay', { subscription: 'ghost' }, 404, "Subscription 'ghost' does not exist on topic 'orders'. It has: hook, picky."],
    ['/admin/events/orders/e-1/replay', { subscription: 7 }, 400, 'subscription must be a string, got 7.'],
    ['/admin/events/orders/e-1/replay', { subscription: 'hook', applyFilter: 'yes' }, 400, 'applyFilter must be true or false, got "yes".'],
    ['/admin/events/orders/e-1/replay', { applyFilter: true }, 400, 'applyFilter needs subscription: a re-publish to the topic always applies every filter.'],
    ['/admin/events/orders/e-1/replay', { sub: 'hook' }, 400, "Unknown replay property 'sub'. Allowed: subscription, applyFilter."],
    ['/admin/events/orders/e-1/replay', [1], 400, 'The replay body must be a JSON object: { "subscription"?: string, "applyFilter"?: boolean }.'],
    ['/admin/events/nope/e-1/replay', {}, 404, "Topic 'nope'"]
  ]
  for (const [path, body, status, message] of cases) {
    const res = await post(`${eg.url}${path}`, body)
    t.equal(res.status, status, path)
    t.match((res.json.error as { message: string }).message, message, `${path} ${JSON.stringify(body)}`)
  }
  const missing = await request(`${eg.url}/admin/events/orders/nope`)
  t.equal(missing.statusCode, 404)
  t.match(await missing.body.json(), { error: { message: "No recorded event 'nope' on topic 'orders' (the emulator keeps the last 1000 published events; POST /admin/reset clears them)." } })
  const badLimit = await request(`${eg.url}/admin/events?limit=0`)
  t.equal(badLimit.statusCode, 400)
  t.match(await badLimit.body.json(), { error: { message: "limit must be a positive integer, got '0'." } })
})

t.test('getFullUrl and getDeliveryAttributes return what a GET hides', async (t) => {
  const eg = await startTestEmulator(t, `
topics:
  orders:
    subscriptions:
      secretive:
        validation: skip
        destination:
          endpointType: WebHook
          properties:
            endpointUrl: "http://127.0.0.1:9/api?code=s3cret"
            deliveryAttributeMappings:
              - { name: x-key, type: Static, properties: { value: hidden, isSecret: true } }
`)
  t.same((await post(`${eg.url}/admin/topics/orders/subscriptions/secretive/getFullUrl`)).json, { endpointUrl: 'http://127.0.0.1:9/api?code=s3cret' })
  t.same((await post(`${eg.url}/admin/topics/orders/subscriptions/secretive/getDeliveryAttributes`)).json, { value: [{ name: 'x-key', type: 'Static', properties: { value: 'hidden', isSecret: true } }] })
})

t.test('the ACS catalog and a sample for the trigger form', async (t) => {
  const eg = await startTestEmulator(t, undefined)
  const catalog = await (await request(`${eg.url}/admin/catalog`)).body.json() as { eventTypes: Array<{ eventType: string, aliases: string[] }>, sequences: unknown[] }
  t.equal(catalog.eventTypes.length, 56)
  t.ok(catalog.eventTypes.some((e) => e.eventType === 'Microsoft.Communication.SMSReceived' && e.aliases.includes('sms-received')))
  t.ok(catalog.sequences.length > 0)
  t.match(await (await request(`${eg.url}/admin/catalog/sms-received/sample`)).body.json(), { eventType: 'Microsoft.Communication.SMSReceived', data: { message: String } })
  const bad = await request(`${eg.url}/admin/catalog/sms-nope/sample`)
  t.equal(bad.statusCode, 404)
  t.match(await bad.body.json(), { error: { message: "'sms-nope' is not an ACS event type or alias; GET /admin/catalog lists them." } })
})
