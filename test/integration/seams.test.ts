/**
 * Where features meet: defects a review of the merged core found between re-validation, back-pressure, hot
 * reload, domains, port listeners, the sink and the ACS data plane. Each case failed before its fix.
 */
import { writeFile } from 'node:fs/promises'
import { createServer } from 'node:net'
import { join } from 'node:path'
import t from 'tap'
import { defaultAcsAccessKey } from '../../src/domain/acs-messaging/hmac.js'
import { startEmulator, type RunningEmulator } from '../../src/index.js'
import type { OutboundRequest, Transport } from '../../src/delivery/ports.js'
import { acsHeaders } from '../helpers/acs-sign.js'
import { config, egEvent, startTestEmulator } from '../helpers/build.js'
import { withFreePort } from '../helpers/free-port.js'

const HOOK = '{ validation: skip, destination: { endpointType: WebHook, properties: { endpointUrl: "http://webhook.invalid/api" } } }'
const failing: Transport = { send: async () => ({ status: 500, headers: {}, body: '', durationMs: 0 }), close: async () => {}, destroy: async () => {} }
const post = async (eg: RunningEmulator, url: string, payload: unknown): Promise<number> =>
  (await eg.app.inject({ method: 'POST', url, headers: { 'content-type': 'application/json' }, payload: payload as object })).statusCode

t.test('a re-validation the endpoint refuses settles what the subscription held: no backlog left, the topic publishes again', async (t) => {
  let refuse = false
  const transport: Transport = {
    send: async (req: OutboundRequest) => {
      if (req.headers['aeg-event-type'] !== 'SubscriptionValidation') return { status: 500, headers: {}, body: '', durationMs: 0 }
      if (refuse) return { status: 400, headers: {}, body: 'no', durationMs: 0 }
      const code = (JSON.parse(req.body!) as Array<{ data: { validationCode: string } }>)[0]!.data.validationCode
      return { status: 200, headers: {}, body: JSON.stringify({ validationResponse: code }), durationMs: 0 }
    },
    close: async () => {},
    destroy: async () => {}
  }
  const eg = await startTestEmulator(t, `limits: { maxPendingEventsPerTopic: 3 }
delivery: { timeScale: 0.001 }
topics:
  orders:
    subscriptions:
      hook: { destination: { endpointType: WebHook, properties: { endpointUrl: "http://webhook.invalid/api" } } }
`, { transport, random: () => 0 })
  const sub = eg.emulator.topic('orders')!.subscriptions.get('hook')!
  for (let i = 0; i < 3; i++) t.equal(await post(eg, '/topics/orders/api/events', [egEvent({ id: `e${i}` })]), 200)
  await eg.waitForDeliveries((r) => r.outcome === 'Failed' && r.nextAttemptTime !== undefined, 3)
  refuse = true
  const revalidate = await eg.app.inject({ method: 'POST', url: '/admin/topics/orders/subscriptions/hook/validate' })
  t.equal(revalidate.statusCode, 200)
  const dropped = await eg.waitForDeliveries((r) => r.outcome === 'Dropped', 3)
  t.match(dropped[0], { reason: /^subscription validation failed/ })
  t.equal(sub.state, 'Failed')
  t.equal(sub.backlog, 0, 'every held event got its final outcome')
  t.equal(eg.emulator.pendingRetries, 0)
  t.equal(await post(eg, '/topics/orders/api/events', [egEvent()]), 200, 'the topic is not stuck at 503')
})

t.test('a reload that keeps a subscription keeps its back-pressure count', async (t) => {
  const dir = t.testdir()
  const file = join(dir, 'c.yaml')
  const yaml = (extra: string): string => `limits: { maxPendingEventsPerTopic: 2 }\ntopics:\n  orders:\n    subscriptions:\n      hook: { validation: skip, destination: { endpointType: WebHook, properties: { endpointUrl: "http://webhook.invalid/api" } }${extra} }\n`
  await writeFile(file, yaml(''))
  const eg = await startEmulator({ port: 0, config: file, transport: failing, env: {} })
  t.teardown(async () => { await eg.close() })
  t.equal(await post(eg, '/topics/orders/api/events', [egEvent(), egEvent()]), 200)
  await eg.waitForDeliveries((r) => r.outcome === 'Failed', 2)
  t.equal(await post(eg, '/topics/orders/api/events', [egEvent()]), 503, 'at the bound')
  await writeFile(file, yaml(', retryPolicy: { maxDeliveryAttempts: 20 }'))
  t.match(await eg.reload(), { ok: true, summary: '~subscription orders/hook' })
  t.equal(eg.emulator.backlog(eg.emulator.topic('orders')!), 2, 'the pending events still count')
  t.equal(await post(eg, '/topics/orders/api/events', [egEvent()]), 503, 'and the bound still holds')
})

t.test('a domain is bounded like a topic: 503 with Retry-After past limits.maxPendingEventsPerTopic', async (t) => {
  const eg = await startTestEmulator(t, `limits: { maxPendingEventsPerTopic: 3 }
domains:
  shop:
    subscriptions: { audit: ${HOOK} }
    topics: { tenant-a: { subscriptions: { hook: ${HOOK} } } }
`, { transport: failing })
  t.equal(await post(eg, '/domains/shop/api/events', [egEvent({ topic: 'tenant-a' }), egEvent({ topic: 'tenant-a' })]), 200)
  await eg.waitForDeliveries((r) => r.outcome === 'Failed', 4)
  const res = await eg.app.inject({ method: 'POST', url: '/domains/shop/api/events', headers: { 'content-type': 'application/json' }, payload: [egEvent({ topic: 'tenant-a' })] })
  t.equal(res.statusCode, 503)
  t.equal(res.headers['retry-after'], '1')
  t.match(res.json(), { error: { code: 'ServiceUnavailable', message: /^Domain 'shop' has 4 accepted events not yet delivered, the most it holds \(limits\.maxPendingEventsPerTopic: 3\)/ } })
})

t.test('a subscription whose endpoint is its own topic port is cut, not looped', async (t) => {
  let port = 0
  const eg = await withFreePort(async (free) => { port = free; return await startTestEmulator(t, `topics:\n  orders:\n    port: ${port}\n    subscriptions:\n      loop: { validation: skip, destination: { endpointType: WebHook, properties: { endpointUrl: "http://127.0.0.1:${port}/api/events" } } }\n`) })
  eg.publish('orders', [egEvent({ id: 'seed' })])
  const [record] = await eg.waitForDeliveries((r) => r.eventIds.includes('seed') && r.outcome === 'Dropped')
  t.match(record, { reason: /^endpoint '\/api\/events' is one of the emulator's own publish or admin routes/ })
  t.equal(eg.deliveries().filter((r) => r.outcome === 'Delivered').length, 0, 'nothing was delivered back into the topic')
})

t.test('the built-in sink takes the emulator\'s own delivery of an event accepted at the nesting limit', async (t) => {
  const eg = await startTestEmulator(t, `topics:
  custom:
    inputSchema: CustomEventSchema
    inputSchemaMapping: { inputSchemaMappingType: Json, properties: { eventType: { defaultValue: T }, subject: { defaultValue: s }, dataVersion: { defaultValue: "1" } } }
    subscriptions:
      to-sink: { destination: { endpointType: WebHook, properties: { endpointUrl: /sink/deep } } }
`)
  let value: unknown = 'leaf'
  for (let i = 0; i < 62; i++) value = [value] // with the array and the event object: 64 levels, the most accepted
  t.equal(await post(eg, '/topics/custom/api/events', [{ deep: value }]), 200)
  const [record] = await eg.waitForDeliveries((r) => r.subscription === 'to-sink' && (r.outcome === 'Delivered' || r.outcome === 'Dropped'))
  t.equal(record!.outcome, 'Delivered', 'two levels deeper on delivery (batch array, custom envelope) and still taken')
})

t.test('the ACS data plane refuses a body nested past the limit with ACS\'s 400, and lists its outbox afterwards', async (t) => {
  const eg = await startTestEmulator(t, `topics:
  acs:
    topicType: Microsoft.Communication.CommunicationServices
    source: /subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.Communication/communicationServices/acs1
    subscriptions: {}
`)
  const host = new URL(eg.url).host
  const deep = '['.repeat(5000) + ']'.repeat(5000)
  const body = `{"from":"+18005550100","smsRecipients":[{"to":"+14255550123"}],"message":"hi","smsSendOptions":${deep}}`
  const url = '/sms?api-version=2021-03-07'
  const res = await eg.app.inject({ method: 'POST', url, payload: body, headers: { 'content-type': 'application/json', host, ...acsHeaders({ method: 'POST', url, host, body, key: defaultAcsAccessKey('acs') }) } })
  t.equal(res.statusCode, 400)
  t.match(res.json(), { error: { code: 'BadRequest', message: /^The request body is nested 5001 levels deep; at most 64 levels/ } })
  t.equal((await eg.app.inject({ method: 'GET', url: '/admin/acs/acs/outbox' })).statusCode, 200)
})

t.test('the in-process publishToDomain refuses deep events like publish does', async (t) => {
  const eg = await startTestEmulator(t, 'domains:\n  shop:\n    subscriptions: {}\n')
  let value: unknown = 1
  for (let i = 0; i < 5000; i++) value = [value]
  t.throws(() => eg.publishToDomain('shop', [egEvent({ topic: 'tenant-a', data: { value } })]), { statusCode: 400, message: /nested more than 64 levels deep/ })
})

t.test('close(): waits for dead-letter writes, is bounded by the grace with a handshake in flight, and a second call waits too', async (t) => {
  const dir = t.testdir()
  const rejecting: Transport = { send: async () => ({ status: 400, headers: {}, body: '', durationMs: 0 }), close: async () => {}, destroy: async () => {} }
  const eg = await startEmulator({
    port: 0,
    env: {},
    transport: rejecting,
    config: config(`delivery: { deadLetterDir: "${dir}" }
topics:
  orders:
    subscriptions:
      hook: { validation: skip, destination: { endpointType: WebHook, properties: { endpointUrl: "http://webhook.invalid/h" } }, deadLetterDestination: { endpointType: StorageBlob, properties: { blobContainerName: dead } } }
`)
  })
  for (let i = 0; i < 200; i++) eg.publish('orders', [egEvent({ id: `d${i}` })])
  await new Promise((resolve) => setImmediate(resolve)) // the first attempts answer 400: dead-letter writes start
  const first = eg.close()
  await eg.close()
  t.notOk(eg.app.server.listening, 'a second close() resolves only once the servers are closed')
  await first
  t.equal(eg.deliveries({ status: 'DeadLettered' }).length, 200, 'every dead-letter record exists when close() resolves')
  t.equal(eg.emulator.backlog(eg.emulator.topic('orders')!), 0)

  const silent = createServer((socket) => { socket.on('data', () => {}) }) // accepts, never answers
  await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve))
  t.teardown(() => { silent.close() })
  const port = (silent.address() as { port: number }).port
  const hanging = await startEmulator({ port: 0, env: {}, shutdownGraceMs: 200, deliveryTimeoutMs: 20_000, config: config(`topics:\n  orders:\n    subscriptions:\n      hook: { destination: { endpointType: WebHook, properties: { endpointUrl: "http://127.0.0.1:${port}/hook" } } }\n`) })
  await new Promise<void>((resolve) => { silent.once('connection', () => { resolve() }) }) // the handshake is in flight
  const started = performance.now()
  await hanging.close()
  t.ok(performance.now() - started < 10_000, 'close() is bounded by the grace, not by the 20 s handshake timeout')
})
