/**
 * Endpoint validation against real receivers on port 0 (reference §6).
 */
import t from 'tap'
import { listenLateReceiver } from '../helpers/late-receiver.js'
import { request } from 'undici'
import { egEvent, startTestEmulator } from '../helpers/build.js'
import { withFreePort } from '../helpers/free-port.js'
import { ManualClock } from '../helpers/manual-clock.js'
import { startReceiver } from '../helpers/receiver.js'

function yaml (url: string, extra = '', schema = 'EventGridSchema'): string {
  return `
delivery: { timeScale: 0.001 }
topics:
  orders:
    inputSchema: ${schema}
    subscriptions:
      hook:
        destination: { endpointType: WebHook, properties: { endpointUrl: "${url}/api/events?code=secret" } }
${extra}`
}

async function stateOf (url: string, topic = 'orders', sub = 'hook'): Promise<string> {
  const res = await request(`${url}/admin/topics/${topic}/subscriptions/${sub}`)
  return ((await res.body.json()) as { properties: { provisioningState: string } }).properties.provisioningState
}

async function until (check: () => Promise<boolean> | boolean, what: string, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((resolve) => setImmediate(resolve))
  }
}

t.test('synchronous handshake: validation event shape, headers, then Succeeded and delivery', async (t) => {
  const receiver = await startReceiver(t)
  const eg = await startTestEmulator(t, yaml(receiver.url))
  await until(async () => await stateOf(eg.url) === 'Succeeded', 'Succeeded')
  const validation = receiver.received[0]!
  t.equal(validation.url, '/api/events?code=secret', 'the query string is kept')
  t.match(validation.headers, { 'aeg-event-type': 'SubscriptionValidation', 'aeg-subscription-name': 'HOOK', 'content-type': 'application/json; charset=utf-8' })
  const [event] = validation.body as Array<{ eventType: string, subject: string, data: { validationCode: string, validationUrl: string }, topic: string, dataVersion: string, metadataVersion: string }>
  t.equal(event!.eventType, 'Microsoft.EventGrid.SubscriptionValidationEvent')
  t.equal(event!.subject, '')
  t.equal(event!.dataVersion, '1')
  t.equal(event!.metadataVersion, '1')
  t.match(event!.data.validationCode, /^[0-9A-F-]{36}$/)
  t.match(event!.data.validationUrl, `${eg.url}/admin/validate?token=`)
  t.match(event!.topic, /Microsoft\.EventGrid\/topics\/orders$/)
  eg.publish('orders', [egEvent({ id: 'after-validation' })])
  const [n] = await receiver.waitFor(1)
  t.equal((n!.body as Array<{ id: string }>)[0]!.id, 'after-validation')
})

t.test('asynchronous handshake: plain 200 → AwaitingManualAction, events wait, opening the URL → Succeeded', async (t) => {
  const receiver = await startReceiver(t, { handshake: 'plain-200' })
  // 5 minutes × 0.01 = 3 s window: long enough to open the URL by hand here.
  const eg = await startTestEmulator(t, yaml(receiver.url).replace('0.001', '0.01'))
  await until(async () => await stateOf(eg.url) === 'AwaitingManualAction', 'AwaitingManualAction')
  eg.publish('orders', [egEvent({ id: 'held' })])
  t.match(eg.deliveries({ eventId: 'held' }), [{ outcome: 'Waiting', reason: /AwaitingManualAction/ }])
  t.equal(receiver.notifications().length, 0, 'nothing delivered before validation')
  const url = (receiver.received[0]!.body as Array<{ data: { validationUrl: string } }>)[0]!.data.validationUrl
  const opened = await request(url)
  t.equal(opened.statusCode, 200)
  t.match(await opened.body.text(), /successfully validated/)
  const [n] = await receiver.waitFor(1)
  t.equal((n!.body as Array<{ id: string }>)[0]!.id, 'held', 'the held event is delivered once validated')
  t.equal(await stateOf(eg.url), 'Succeeded')
  const again = await request(url)
  t.equal(again.statusCode, 400, 'a used token is refused')
})

t.test('asynchronous handshake expires after 5 real minutes, whatever the time scale → Failed; waiting events are dropped', async (t) => {
  const receiver = await startReceiver(t, { handshake: 'plain-200' })
  const clock = new ManualClock()
  const eg = await startTestEmulator(t, yaml(receiver.url), { clock }) // timeScale 0.001 must not shrink the window
  await until(async () => await stateOf(eg.url) === 'AwaitingManualAction', 'AwaitingManualAction')
  eg.publish('orders', [egEvent({ id: 'doomed' })])
  clock.advance(5 * 60 * 1000 - 1)
  t.equal(await stateOf(eg.url), 'AwaitingManualAction', 'still open 1 ms before 5 minutes')
  clock.advance(1)
  t.equal(await stateOf(eg.url), 'Failed')
  const sub = await (await request(`${eg.url}/admin/topics/orders/subscriptions/hook`)).body.json() as { properties: { provisioningStateReason: string } }
  t.match(sub.properties.provisioningStateReason, /not opened within 5 minutes/)
  t.match(eg.deliveries({ eventId: 'doomed' }).map((r) => r.outcome), ['Waiting', 'Dropped'])
  eg.publish('orders', [egEvent({ id: 'later' })])
  t.match(eg.deliveries({ eventId: 'later' }), [{ outcome: 'Dropped', reason: /subscription is Failed/ }])
})

t.test('failed handshake: a 4xx answer → Failed with the status in the reason', async (t) => {
  const receiver = await startReceiver(t, { handshake: 403 })
  const eg = await startTestEmulator(t, yaml(receiver.url))
  await until(async () => await stateOf(eg.url) === 'Failed', 'Failed')
  const sub = await (await request(`${eg.url}/admin/topics/orders/subscriptions/hook`)).body.json() as { properties: { provisioningStateReason: string } }
  t.match(sub.properties.provisioningStateReason, /HTTP 403/)
})

t.test('a 5xx handshake answer is retried: the subscription stays Creating, then succeeds once the endpoint recovers', async (t) => {
  let answer = 503
  const app = (await import('fastify')).default()
  app.post('/api/events', async (req, reply) => answer === 200
    ? { validationResponse: (req.body as Array<{ data: { validationCode: string } }>)[0]!.data.validationCode }
    : reply.status(answer).send())
  await app.listen({ port: 0, host: '127.0.0.1' })
  t.teardown(async () => { await app.close() })
  const clock = new ManualClock()
  const eg = await startTestEmulator(t, yaml(`http://127.0.0.1:${(app.server.address() as { port: number }).port}`).replace('0.001', '1'), { clock })
  await until(() => clock.nextDelay() !== undefined, 'a handshake retry to be scheduled')
  t.equal(clock.nextDelay(), 1000, 'first retry after 1 s (timeScale 1)')
  const sub = await (await request(`${eg.url}/admin/topics/orders/subscriptions/hook`)).body.json() as { properties: { provisioningState: string, provisioningStateReason: string } }
  t.equal(sub.properties.provisioningState, 'Creating')
  t.match(sub.properties.provisioningStateReason, /attempt 1: the endpoint answered the validation request with HTTP 503.*next attempt in 1000 ms, or POST .*\/admin\/topics\/orders\/subscriptions\/hook\/validate/)
  eg.publish('orders', [egEvent({ id: 'held-for-5xx' })])
  t.match(eg.deliveries({ eventId: 'held-for-5xx' }), [{ outcome: 'Waiting' }])
  const delays: number[] = []
  for (let i = 0; i < 5; i++) {
    clock.advance(clock.nextDelay()!)
    await until(() => clock.nextDelay() !== undefined, `retry ${i + 2}`)
    delays.push(clock.nextDelay()!)
  }
  t.same(delays, [2000, 4000, 8000, 10_000, 10_000], 'back-off doubles and is capped at 10 s')
  answer = 200
  clock.advance(clock.nextDelay()!)
  await until(async () => await stateOf(eg.url) === 'Succeeded', 'Succeeded')
})

t.test('failed handshake: wrong validationResponse → Failed', async (t) => {
  const app = (await import('fastify')).default()
  app.post('/api/events', async () => ({ ValidationResponse: 'not-the-code' }))
  await app.listen({ port: 0, host: '127.0.0.1' })
  t.teardown(async () => { await app.close() })
  const eg = await startTestEmulator(t, yaml(`http://127.0.0.1:${(app.server.address() as { port: number }).port}`))
  await until(async () => await stateOf(eg.url) === 'Failed', 'Failed')
  const sub = await (await request(`${eg.url}/admin/topics/orders/subscriptions/hook`)).body.json() as { properties: { provisioningStateReason: string } }
  t.match(sub.properties.provisioningStateReason, /does not equal the validationCode/)
})

t.test('the validationResponse property name is matched case-insensitively', async (t) => {
  const app = (await import('fastify')).default()
  app.post('/api/events', async (req) => ({ ValidationResponse: (req.body as Array<{ data: { validationCode: string } }>)[0]!.data.validationCode }))
  await app.listen({ port: 0, host: '127.0.0.1' })
  t.teardown(async () => { await app.close() })
  const eg = await startTestEmulator(t, yaml(`http://127.0.0.1:${(app.server.address() as { port: number }).port}`))
  await until(async () => await stateOf(eg.url) === 'Succeeded', 'Succeeded')
  t.pass('Succeeded with ValidationResponse')
})

t.test('start order: a receiver that starts after the emulator is validated, and the events that waited are delivered', async (t) => {
  const got: string[] = []
  // A port nobody listens on yet; if another process takes it before the receiver binds it, start over on another.
  let before: { state?: string, early: unknown } = { early: undefined }
  const eg = await withFreePort(async (port) => {
    const eg = await startTestEmulator(t, yaml(`http://127.0.0.1:${port}`))
    await until(async () => /ECONNREFUSED/.test(((await (await request(`${eg.url}/admin/topics/orders/subscriptions/hook`)).body.json()) as { properties: { provisioningStateReason?: string } }).properties.provisioningStateReason ?? ''), 'a refused handshake')
    before = { state: await stateOf(eg.url), early: undefined }
    eg.publish('orders', [egEvent({ id: 'early-bird' })])
    before.early = eg.deliveries({ eventId: 'early-bird' })
    await listenLateReceiver(t, port, '/api/events', got, async () => { await eg.close() })
    return eg
  })
  t.equal(before.state, 'Creating', 'an unreachable endpoint keeps the subscription Creating, not Failed')
  t.match(before.early, [{ outcome: 'Waiting' }])
  await eg.waitForDeliveries((r) => r.eventIds.includes('early-bird') && r.outcome === 'Delivered')
  t.equal(await stateOf(eg.url), 'Succeeded')
  t.same(got, ['early-bird'])
})

t.test('POST …/validate re-runs the handshake now; unknown topic or subscription → 404 naming it', async (t) => {
  const receiver = await startReceiver(t, { handshake: 403 })
  const eg = await startTestEmulator(t, yaml(receiver.url))
  await until(async () => await stateOf(eg.url) === 'Failed', 'Failed')
  const before = receiver.received.length
  const res = await request(`${eg.url}/admin/topics/orders/subscriptions/hook/validate`, { method: 'POST' })
  t.equal(res.statusCode, 200)
  t.match(await res.body.json(), { name: 'hook', properties: { provisioningState: 'Failed', provisioningStateReason: /HTTP 403/ } })
  t.equal(receiver.received.length, before + 1, 'one new handshake request')
  const missing = await request(`${eg.url}/admin/topics/orders/subscriptions/nope/validate`, { method: 'POST' })
  t.equal(missing.statusCode, 404)
  t.match(await missing.body.json(), { error: { code: 'NotFound', message: "Subscription 'nope' does not exist on topic 'orders'. It has: hook." } })
  const noTopic = await request(`${eg.url}/admin/topics/zzz/subscriptions/hook/validate`, { method: 'POST' })
  t.equal(noTopic.statusCode, 404)
})

t.test('CloudEvents subscriptions use the OPTIONS abuse-protection handshake', async (t) => {
  const receiver = await startReceiver(t)
  const eg = await startTestEmulator(t, yaml(receiver.url, '        eventDeliverySchema: CloudEventSchemaV1_0'))
  await until(async () => await stateOf(eg.url) === 'Succeeded', 'Succeeded')
  const options = receiver.received[0]!
  t.equal(options.method, 'OPTIONS')
  t.equal(options.headers['webhook-request-origin'], 'eventgrid.azure.net')
  t.match(options.headers['webhook-request-callback'], `${eg.url}/admin/validate?token=`)
  t.notOk(receiver.received.some((r) => r.headers['aeg-event-type'] === 'SubscriptionValidation'), 'no validation event for CloudEvents')
})

t.test('OPTIONS refused with 405 → Failed', async (t) => {
  const receiver = await startReceiver(t, { allowOptions: false })
  const eg = await startTestEmulator(t, yaml(receiver.url, '        eventDeliverySchema: CloudEventSchemaV1_0'))
  await until(async () => await stateOf(eg.url) === 'Failed', 'Failed')
  t.pass()
})

t.test('OPTIONS 200 without WebHook-Allowed-Origin → AwaitingManualAction; the callback approves', async (t) => {
  const app = (await import('fastify')).default()
  app.options('/api/events', async (_req, reply) => reply.status(200).send())
  app.post('/api/events', async () => '')
  await app.listen({ port: 0, host: '127.0.0.1' })
  t.teardown(async () => { await app.close() })
  const eg = await startTestEmulator(t, yaml(`http://127.0.0.1:${(app.server.address() as { port: number }).port}`, '        eventDeliverySchema: CloudEventSchemaV1_0').replace('0.001', '0.01'))
  await until(async () => await stateOf(eg.url) === 'AwaitingManualAction', 'AwaitingManualAction')
  const reason = ((await (await request(`${eg.url}/admin/topics/orders/subscriptions/hook`)).body.json()) as { properties: { provisioningStateReason: string } }).properties.provisioningStateReason
  const callback = /(http:\/\/\S+token=\S+)/.exec(reason)![1]!
  const res = await request(callback, { method: 'POST' })
  t.equal(res.statusCode, 200)
  t.equal(await stateOf(eg.url), 'Succeeded')
})

t.test('validation: skip and AzureFunction destinations get no handshake', async (t) => {
  const receiver = await startReceiver(t)
  const eg = await startTestEmulator(t, `
topics:
  orders:
    subscriptions:
      skipped:
        validation: skip
        destination: { endpointType: WebHook, properties: { endpointUrl: "${receiver.url}/a" } }
      function:
        destination: { endpointType: AzureFunction, properties: { endpointUrl: "${receiver.url}/b" } }
`)
  eg.publish('orders', [egEvent()])
  await receiver.waitFor(2)
  t.equal(receiver.received.filter((r) => r.headers['aeg-event-type'] === 'SubscriptionValidation').length, 0)
})

t.test('runtime PUT creates a subscription that validates; GET shows state; DELETE removes it', async (t) => {
  const receiver = await startReceiver(t)
  const eg = await startTestEmulator(t, 'topics:\n  orders:\n    subscriptions: {}\n')
  const body = { properties: { destination: { endpointType: 'WebHook', properties: { endpointUrl: `${receiver.url}/rt` } }, filter: { includedEventTypes: ['A.B'] } } }
  const put = await request(`${eg.url}/admin/topics/orders/subscriptions/runtime-sub`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })
  t.equal(put.statusCode, 201)
  await put.body.dump()
  await until(async () => await stateOf(eg.url, 'orders', 'runtime-sub') === 'Succeeded', 'Succeeded')
  eg.publish('orders', [egEvent({ eventType: 'A.B', id: 'yes' }), egEvent({ eventType: 'C.D', id: 'no' })])
  const [n] = await receiver.waitFor(1)
  t.equal((n!.body as Array<{ id: string }>)[0]!.id, 'yes')
  t.match(eg.deliveries({ eventId: 'no' }), [{ outcome: 'NotMatched', reason: /includedEventTypes/ }])
  const bad = await request(`${eg.url}/admin/topics/orders/subscriptions/bad-sub`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ destination: { endpointType: 'Webhook', properties: {} } }) })
  t.equal(bad.statusCode, 400)
  t.match(await bad.body.json(), { error: { code: 'BadRequest', message: /destination\.endpointType: 'Webhook' is not allowed\. Did you mean 'WebHook'\?/ } })
  const del = await request(`${eg.url}/admin/topics/orders/subscriptions/runtime-sub`, { method: 'DELETE' })
  t.equal(del.statusCode, 204)
  const gone = await request(`${eg.url}/admin/topics/orders/subscriptions/runtime-sub`)
  t.equal(gone.statusCode, 404)
  await gone.body.dump()
})

t.test('a subscription whose expirationTimeUtc has passed is deleted before the next event', async (t) => {
  const { ManualClock } = await import('../helpers/manual-clock.js')
  const clock = new ManualClock(Date.parse('2029-12-31T23:59:00Z'))
  const receiver = await startReceiver(t)
  const eg = await startTestEmulator(t, `
topics:
  orders:
    subscriptions:
      short-lived:
        validation: skip
        expirationTimeUtc: "2030-01-01T00:00:00Z"
        destination: { endpointType: WebHook, properties: { endpointUrl: "${receiver.url}/x" } }
`, { clock })
  eg.publish('orders', [egEvent({ id: 'before' })])
  await receiver.waitFor(1)
  clock.advance(2 * 60 * 1000)
  eg.publish('orders', [egEvent({ id: 'after' })])
  t.equal(eg.emulator.topic('orders')!.subscriptions.size, 0)
  t.same(eg.deliveries({ eventId: 'after' }), [], 'no subscription left to offer it to')
  const gone = await request(`${eg.url}/admin/topics/orders/subscriptions/short-lived`)
  t.equal(gone.statusCode, 404)
  await gone.body.dump()
})

t.test('OPTIONS answered with another WebHook-Allowed-Origin → Failed', async (t) => {
  const app = (await import('fastify')).default()
  app.options('/api/events', async (_req, reply) => reply.header('webhook-allowed-origin', 'example.com').status(200).send())
  await app.listen({ port: 0, host: '127.0.0.1' })
  t.teardown(async () => { await app.close() })
  const eg = await startTestEmulator(t, yaml(`http://127.0.0.1:${(app.server.address() as { port: number }).port}`, '        eventDeliverySchema: CloudEventSchemaV1_0'))
  await until(async () => await stateOf(eg.url) === 'Failed', 'Failed')
  const sub = await (await request(`${eg.url}/admin/topics/orders/subscriptions/hook`)).body.json() as { properties: { provisioningStateReason: string } }
  t.match(sub.properties.provisioningStateReason, /WebHook-Allowed-Origin 'example\.com' does not allow eventgrid\.azure\.net/)
})

t.test('GET of a subscription hides the endpoint query string, as ARM does', async (t) => {
  const receiver = await startReceiver(t)
  const eg = await startTestEmulator(t, yaml(receiver.url))
  const sub = await (await request(`${eg.url}/admin/topics/orders/subscriptions/hook`)).body.json() as { properties: { destination: { properties: Record<string, unknown> } } }
  t.equal(sub.properties.destination.properties.endpointBaseUrl, `${receiver.url}/api/events`)
  t.notOk('endpointUrl' in sub.properties.destination.properties, 'the URL with ?code=secret is not returned')
})

t.test('an unreachable webhook: one warn line naming the endpoint (without its key) and what to do; waiting events are bounded', async (t) => {
  const { Writable } = await import('node:stream')
  const lines: Array<Record<string, unknown>> = []
  const stream = new Writable({ write (chunk: Buffer, _enc, done) { for (const l of chunk.toString().split('\n')) if (l !== '') lines.push(JSON.parse(l) as Record<string, unknown>); done() } })
  const clock = new ManualClock()
  const eg = await startTestEmulator(t, yaml('http://127.0.0.1:1'), { clock, logger: { level: 'info', stream } })
  await until(() => clock.nextDelay() !== undefined, 'a handshake retry')
  clock.advance(clock.nextDelay()!)
  await until(() => clock.nextDelay() !== undefined && (eg.emulator.topic('orders')?.subscriptions.get('hook')?.stateReason ?? '').includes('attempt 2'), 'a second handshake retry')
  const warns = lines.filter((l) => l.level === 40)
  t.equal(warns.length, 1, 'once per outage, not per attempt')
  t.match(warns[0], { topic: 'orders', subscription: 'hook', endpoint: 'http://127.0.0.1:1/api/events', attempt: 1, reason: /ECONNREFUSED/, msg: /^webhook not reachable for the validation handshake; its events wait and the handshake is retried until it answers\. Start the receiver at http:\/\/127\.0\.0\.1:1\/api\/events, or re-run it now: POST http:\/\/127\.0\.0\.1:\d+\/admin\/topics\/orders\/subscriptions\/hook\/validate$/ })
  t.notMatch(JSON.stringify(lines), /code=secret/, 'the endpoint key never reaches the log')
  const { MAX_WAITING_EVENTS } = await import('../../src/delivery/engine.js')
  eg.publish('orders', Array.from({ length: 5000 }, (_, i) => egEvent({ id: `w-${i}` })))
  eg.publish('orders', Array.from({ length: 4999 }, (_, i) => egEvent({ id: `v-${i}` })))
  eg.publish('orders', [egEvent({ id: 'x-4999' }), egEvent({ id: 'x-5000' })])
  t.equal(MAX_WAITING_EVENTS, 10_000)
  t.equal(eg.emulator.topic('orders')!.subscriptions.get('hook')!.ready.length, 10_000, 'at most 10,000 events wait')
  t.match(eg.deliveries({ eventId: 'x-5000' }), [{ outcome: 'Dropped', reason: 'subscription is Creating and already holds 10000 events waiting for validation' }])
  t.match(eg.deliveries({ eventId: 'x-4999' }), [{ outcome: 'Waiting' }])
})
