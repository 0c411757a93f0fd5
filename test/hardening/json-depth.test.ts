/**
 * JSON nesting is bounded at parse time on every JSON route: a body nested past 64 levels gets 400 with Event
 * Grid's error body (detail InputJsonInvalid) naming the depth and the limit, and never reaches the engine
 * (before: ~4,100 levels crashed the process from the delivery engine, deeper bodies got 500s).
 */
import { SINK_MAX_JSON_DEPTH } from '../../src/server/content-types.js'
import t, { type Test } from 'tap'
import { measureJsonDepth, MAX_JSON_DEPTH, valueDepthExceeds } from '../../src/domain/json-depth.js'
import { buildTestApp, egEvent, startTestEmulator } from '../helpers/build.js'

const YAML = `
topics:
  acs:
    topicType: Microsoft.Communication.CommunicationServices
    source: /subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/local/providers/Microsoft.Communication/communicationServices/local-acs
    subscriptions:
      to-sink:
        destination: { endpointType: WebHook, properties: { endpointUrl: /sink/acs } }
  orders:
    subscriptions:
      to-sink:
        destination: { endpointType: WebHook, properties: { endpointUrl: /sink/orders } }
  clouds:
    inputSchema: CloudEventSchemaV1_0
    subscriptions: {}
`

const nested = (depth: number, leaf = '1'): string => '['.repeat(depth) + leaf + ']'.repeat(depth)

interface AzureError { error: { code: string, message: string, details: Array<{ code: string, message: string }> } }

function assertTooDeep (t: Test, res: { statusCode: number, json: () => unknown }, depth: number, limit = MAX_JSON_DEPTH): void {
  t.equal(res.statusCode, 400)
  const body = res.json() as AzureError
  t.equal(body.error.code, 'BadRequest')
  t.equal(body.error.details[0]!.code, 'InputJsonInvalid')
  t.match(body.error.message, `nested ${depth} levels deep`)
  t.match(body.error.message, `at most ${limit} levels`)
}

t.test('publish: data nested 4,100 levels → 400 InputJsonInvalid naming the depth; the topic keeps working', async (t) => {
  const { app, emulator } = await buildTestApp(t, YAML)
  const deep = `[{"id":"d","subject":"s","eventType":"T","eventTime":"2024-05-01T12:00:00Z","data":${nested(4100)}}]`
  const res = await app.inject({ method: 'POST', url: '/topics/orders/api/events', payload: deep, headers: { 'content-type': 'application/json' } })
  assertTooDeep(t, res, 4102)
  t.equal(emulator.deliveryLog.size, 0, 'nothing was accepted')
  const ok = await app.inject({ method: 'POST', url: '/topics/orders/api/events', payload: [egEvent()], headers: { 'content-type': 'application/json' } })
  t.equal(ok.statusCode, 200)
})

t.test('publish: 400,000 levels (≈800 kB) → 400, not 500', async (t) => {
  const { app } = await buildTestApp(t, YAML)
  const res = await app.inject({ method: 'POST', url: '/topics/orders/api/events', payload: nested(400_000), headers: { 'content-type': 'application/json' } })
  assertTooDeep(t, res, 400_000)
})

t.test('exactly the limit is accepted; one more level is refused', async (t) => {
  const { app } = await buildTestApp(t, YAML)
  // The array of events and the event object are two levels: data may nest 62 more.
  const at = (levels: number): string => `[{"id":"x","subject":"s","eventType":"T","eventTime":"2024-05-01T12:00:00Z","data":${nested(levels)}}]`
  const ok = await app.inject({ method: 'POST', url: '/topics/orders/api/events', payload: at(MAX_JSON_DEPTH - 2), headers: { 'content-type': 'application/json' } })
  t.equal(ok.statusCode, 200)
  const bad = await app.inject({ method: 'POST', url: '/topics/orders/api/events', payload: at(MAX_JSON_DEPTH - 1), headers: { 'content-type': 'application/json' } })
  assertTooDeep(t, bad, MAX_JSON_DEPTH + 1)
})

t.test('brackets inside strings do not count', async (t) => {
  t.same(measureJsonDepth('{"a":"[[[[[[\\"[[[[","b":[1]}'), { depth: 2 })
})

t.test('CloudEvents media types are bounded too', async (t) => {
  const { app } = await buildTestApp(t, YAML)
  const body = `{"specversion":"1.0","id":"1","source":"s","type":"t","data":${nested(5000)}}`
  const res = await app.inject({ method: 'POST', url: '/topics/clouds/api/events', payload: body, headers: { 'content-type': 'application/cloudevents+json' } })
  assertTooDeep(t, res, 5001)
})

t.test('/simulate with deep data and allowUnknown → 400 (was 500)', async (t) => {
  const { app } = await buildTestApp(t, YAML)
  const body = `{"eventType":"Microsoft.Communication.SMSReceived","data":{"x":${nested(10_000)}}}`
  const res = await app.inject({ method: 'POST', url: '/topics/acs/simulate?allowUnknown=true', payload: body, headers: { 'content-type': 'application/json' } })
  assertTooDeep(t, res, 10_002)
})

t.test('POST /sink/{name} with a deep body → 400, and GET /sink/{name} keeps answering 200', async (t) => {
  const { app } = await buildTestApp(t, YAML)
  const res = await app.inject({ method: 'POST', url: '/sink/deep', payload: nested(4100), headers: { 'content-type': 'application/json' } })
  // The sink allows two levels more: the emulator's own deliveries can be that much deeper than what it accepted.
  assertTooDeep(t, res, 4100, SINK_MAX_JSON_DEPTH)
  const get = await app.inject({ method: 'GET', url: '/sink/deep' })
  t.equal(get.statusCode, 200)
  t.equal((get.json() as { count: number }).count, 0)
})

t.test('PUT of a subscription with a deep body → 400', async (t) => {
  const { app } = await buildTestApp(t, YAML)
  const res = await app.inject({ method: 'PUT', url: '/admin/topics/orders/subscriptions/deep-one', payload: `{"destination":${nested(100)}}`, headers: { 'content-type': 'application/json' } })
  assertTooDeep(t, res, 101)
})

t.test('in-process publish of a deep value → the same 400 error, nothing accepted', async (t) => {
  const eg = await startTestEmulator(t, YAML)
  let data: unknown = 1
  for (let i = 0; i < 100_000; i++) data = [data]
  t.throws(() => eg.publish('orders', [egEvent({ data })]), { statusCode: 400, detailCode: 'InputJsonInvalid', message: /nested more than 64 levels/ })
  t.equal(eg.deliveries().length, 0)
  t.equal(valueDepthExceeds({ a: [{ b: 1 }] }, 3), false)
  t.equal(valueDepthExceeds({ a: [{ b: {} }] }, 3), true)
})
