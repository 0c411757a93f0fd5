import t from 'tap'
import { buildTestApp, egEvent } from '../helpers/build.js'

const YAML = `
topics:
  orders:
    keys: [bG9jYWwtZGV2LWtleQ==]
    subscriptions: {}
  open:
    subscriptions: {}
  clouds:
    inputSchema: CloudEventSchemaV1_0
    subscriptions: {}
  custom:
    inputSchema: CustomEventSchema
    inputSchemaMapping:
      inputSchemaMappingType: Json
      properties:
        id: { sourceField: myId }
        eventType: { sourceField: kind, defaultValue: Default.Type }
        subject: { defaultValue: DefaultSubject }
    subscriptions: {}
`
const KEY = 'bG9jYWwtZGV2LWtleQ=='

async function post (t: Parameters<typeof buildTestApp>[0], url: string, payload: unknown, headers: Record<string, string> = {}) {
  const { app } = await buildTestApp(t, YAML)
  return await app.inject({ method: 'POST', url, payload: typeof payload === 'string' ? payload : JSON.stringify(payload), headers: { 'content-type': 'application/json', ...headers } })
}

function errorOf (res: { json: () => unknown }): { code: string, message: string, details: Array<{ code: string, message: string }> } {
  return (res.json() as { error: { code: string, message: string, details: Array<{ code: string, message: string }> } }).error
}

t.test('accepts a valid Event Grid batch with 200 and an empty body', async (t) => {
  const res = await post(t, '/topics/orders/api/events?api-version=2018-01-01', [egEvent()], { 'aeg-sas-key': KEY })
  t.equal(res.statusCode, 200)
  t.equal(res.body, '')
})

t.test('malformed JSON → 400 BadRequest / InputJsonInvalid', async (t) => {
  const res = await post(t, '/topics/open/api/events', '[{"id": ', {})
  t.equal(res.statusCode, 400)
  const err = errorOf(res)
  t.equal(err.code, 'BadRequest')
  t.equal(err.details[0]!.code, 'InputJsonInvalid')
  t.match(err.message, /JSON/)
})

t.test('object instead of array → 400 naming the schema and the fix', async (t) => {
  const res = await post(t, '/topics/open/api/events', egEvent())
  t.equal(res.statusCode, 400)
  t.equal(errorOf(res).code, 'BadRequest')
  t.equal(errorOf(res).details[0]!.code, 'InputJsonInvalid')
  t.match(errorOf(res).message, /EventGridEvent' schema.*JSON array of events, got an object/)
})

t.test('empty array → 400', async (t) => {
  const res = await post(t, '/topics/open/api/events', [])
  t.equal(res.statusCode, 400)
  t.match(errorOf(res).message, /no events/)
})

for (const field of ['id', 'eventType', 'subject', 'eventTime']) {
  t.test(`missing required field ${field} → 400 naming events[1].${field}`, async (t) => {
    const bad = egEvent()
    delete bad[field]
    const res = await post(t, '/topics/open/api/events', [egEvent(), bad])
    t.equal(res.statusCode, 400)
    t.equal(errorOf(res).code, 'BadRequest')
    t.match(errorOf(res).message, `events[1].${field}`)
  })
}

t.test('eventTime that is not a date → 400 with the value', async (t) => {
  const res = await post(t, '/topics/open/api/events', [egEvent({ eventTime: 'yesterday' })])
  t.equal(res.statusCode, 400)
  t.match(errorOf(res).message, /events\[0\]\.eventTime must be an ISO-8601 date-time.*"yesterday"/)
})

t.test('metadataVersion other than "1" → 400', async (t) => {
  const res = await post(t, '/topics/open/api/events', [egEvent({ metadataVersion: '2' })])
  t.equal(res.statusCode, 400)
  t.match(errorOf(res).message, /^Property 'metadataVersion' was found to be set to "2", but was expected to either be null or be set to 1\. \(events\[0\]\.metadataVersion\) Report '/)
})

t.test('a topic field that is not this topic → 401 Unauthorized/Unauthorized, as Azure', async (t) => {
  const res = await post(t, '/topics/open/api/events', [egEvent({ topic: '/subscriptions/x/other' })])
  t.equal(res.statusCode, 401)
  t.equal(errorOf(res).code, 'Unauthorized')
  t.equal(errorOf(res).details[0]!.code, 'Unauthorized')
  t.match(errorOf(res).message, /^Unauthorized to publish to topic "\/subscriptions\/x\/other"\. events\[0\]\.topic must be absent or equal this topic's resource id/)
})

t.test('wrong content type on an Event Grid topic → 415', async (t) => {
  const res = await post(t, '/topics/open/api/events', JSON.stringify([egEvent()]), { 'content-type': 'text/plain' })
  t.equal(res.statusCode, 415)
  t.equal(errorOf(res).code, 'UnsupportedMediaType')
  t.match(errorOf(res).message, /must be application\/json.*text\/plain/)
})

t.test('wrong content type on a CloudEvents topic → 415 with Event Grid message', async (t) => {
  const ce = { specversion: '1.0', id: '1', source: '/s', type: 't' }
  const res = await post(t, '/topics/clouds/api/events', JSON.stringify(ce), { 'content-type': 'text/plain' })
  t.equal(res.statusCode, 415)
  t.equal(errorOf(res).code, 'UnsupportedMediaType')
  t.equal(errorOf(res).details[0]!.code, 'InvalidContentType')
  t.match(errorOf(res).message, /application\/cloudevents\+json; charset=utf-8 or application\/cloudevents-batch\+json/)
})

t.test('CloudEvents: single and batch are accepted; like Azure, no source and any specversion are too', async (t) => {
  const ce = { specversion: '1.0', id: '1', source: '/s', type: 't', data: { a: 1 }, myext: 'x' }
  const single = await post(t, '/topics/clouds/api/events', ce, { 'content-type': 'application/cloudevents+json; charset=utf-8' })
  t.equal(single.statusCode, 200)
  const batch = await post(t, '/topics/clouds/api/events', [ce, ce], { 'content-type': 'application/cloudevents-batch+json; charset=utf-8' })
  t.equal(batch.statusCode, 200)
  const noSource = await post(t, '/topics/clouds/api/events', [{ ...ce, source: undefined }], { 'content-type': 'application/cloudevents-batch+json' })
  t.equal(noSource.statusCode, 200)
  const version = await post(t, '/topics/clouds/api/events', { ...ce, specversion: '0.3' }, { 'content-type': 'application/cloudevents+json' })
  t.equal(version.statusCode, 200)
  const noType = await post(t, '/topics/clouds/api/events', [{ ...ce, type: undefined }], { 'content-type': 'application/cloudevents-batch+json' })
  t.equal(noType.statusCode, 400)
  t.match(errorOf(noType).message, /^This resource is configured for 'CloudEventV10' schema and requires 'eventType' property to be set\. events\[0\]\.type must be a non-empty string, got missing\. Report '/)
  const arrayAsSingle = await post(t, '/topics/clouds/api/events', [ce], { 'content-type': 'application/cloudevents+json' })
  t.equal(arrayAsSingle.statusCode, 400)
  t.match(errorOf(arrayAsSingle).message, /Token Expected: StartObject, Actual Token Received: StartArray\./)
  const badExt = await post(t, '/topics/clouds/api/events', { ...ce, 'Bad-Name': 1 }, { 'content-type': 'application/cloudevents+json' })
  t.equal(badExt.statusCode, 400)
  t.match(errorOf(badExt).message, /invalid extension attribute name 'Bad-Name'/)
})

t.test('custom input schema: mapping errors name the field', async (t) => {
  const ok = await post(t, '/topics/custom/api/events', [{ myId: 'a', kind: 'K', x: 1 }, { other: true }])
  t.equal(ok.statusCode, 200)
  const bad = await post(t, '/topics/custom/api/events', [{ myId: 5 }])
  t.equal(bad.statusCode, 400)
  t.match(errorOf(bad).message, /events\[0\]\.myId is mapped to 'id' and must be a string, got 5/)
  const notObject = await post(t, '/topics/custom/api/events', ['text'])
  t.equal(notObject.statusCode, 400)
})

t.test('oversize request → 413 RequestEntityTooLarge/PayloadTooLarge naming Azure\'s 1,536,000-byte limit', async (t) => {
  const big = [egEvent({ data: { blob: 'x'.repeat(1_536_000) } })]
  const res = await post(t, '/topics/open/api/events', big)
  t.equal(res.statusCode, 413)
  t.equal(errorOf(res).code, 'RequestEntityTooLarge')
  t.equal(errorOf(res).details[0]!.code, 'PayloadTooLarge')
  t.match(errorOf(res).message, /^The maximum size \(1536000\) has been exceeded\. The request body is larger than 1536000 bytes/)
})

t.test('one event over 1,049,600 bytes in a request under 1,536,000 → 413 naming the per-event limit', async (t) => {
  const res = await post(t, '/topics/open/api/events', [egEvent({ data: { blob: 'x'.repeat(1_049_600) } })])
  t.equal(res.statusCode, 413)
  t.equal(errorOf(res).details[0]!.code, 'PayloadTooLarge')
  t.match(errorOf(res).message, /^The maximum size \(1049600\) has been exceeded\. events\[0\] is \d+ bytes/)
  const justUnder = await post(t, '/topics/open/api/events', [egEvent({ data: { blob: 'x'.repeat(1_048_576) } })])
  t.equal(justUnder.statusCode, 200, 'a 1 MiB payload fits: the per-event limit is 1 KiB above it')
})

t.test('too many events → 413 naming the limit', async (t) => {
  const res = await post(t, '/topics/open/api/events', Array.from({ length: 5001 }, () => ({ id: 'a', subject: '', eventType: 't', eventTime: '2024-01-01T00:00:00Z' })))
  t.equal(res.statusCode, 413)
  t.equal(errorOf(res).code, 'RequestEntityTooLarge')
  t.equal(errorOf(res).details[0]!.code, 'PayloadTooLarge')
  t.match(errorOf(res).message, /5001 events; at most 5000/)
})

t.test('unknown topic → 404 listing the configured topics', async (t) => {
  const res = await post(t, '/topics/nope/api/events', [egEvent()])
  t.equal(res.statusCode, 404)
  t.equal(errorOf(res).code, 'NotFound')
  t.match(errorOf(res).message, /Topic 'nope' is not configured.*orders/)
})

t.test('unsupported api-version → 400', async (t) => {
  const res = await post(t, '/topics/open/api/events?api-version=2099-01-01', [egEvent()])
  t.equal(res.statusCode, 400)
  t.match(errorOf(res).message, /api-version '2099-01-01' is not supported/)
})

t.test('authentication', async (t) => {
  const url = '/topics/orders/api/events?api-version=2018-01-01'
  const missing = await post(t, url, [egEvent()])
  t.equal(missing.statusCode, 401)
  t.match(errorOf(missing).message, /requires authentication/)
  const wrong = await post(t, url, [egEvent()], { 'aeg-sas-key': 'wrong' })
  t.equal(wrong.statusCode, 401)
  t.equal(errorOf(wrong).code, 'Unauthorized')
  const query = await post(t, `${url}&aeg-sas-key=${encodeURIComponent(KEY)}`, [egEvent()])
  t.equal(query.statusCode, 200)
  const malformed = await post(t, url, [egEvent()], { 'aeg-sas-token': 'garbage' })
  t.equal(malformed.statusCode, 400)
  t.equal(errorOf(malformed).details[0]!.code, 'InvalidSasToken')
  t.match(errorOf(malformed).message, /Invalid key in aeg-sas-token\. Valid format/)
  const scheme = await post(t, url, [egEvent()], { authorization: 'Basic abc' })
  t.equal(scheme.statusCode, 401)
  t.match(errorOf(scheme).message, /scheme 'Basic' is not supported/)
})

t.test('an oversize single event → 413 naming its index (limit lowered to reach it under the request limit)', async (t) => {
  const { composeEmulator } = await import('../../src/compose.js')
  const { buildApp } = await import('../../src/server/build-app.js')
  const { systemClock } = await import('../../src/adapters/system-clock.js')
  const { createUndiciTransport } = await import('../../src/adapters/undici-transport.js')
  const { config } = await import('../helpers/build.js')
  const emulator = composeEmulator(config(YAML), { clock: systemClock, transport: createUndiciTransport(), limits: { maxEventBytes: 2000 } })
  const app = buildApp(emulator)
  t.teardown(async () => { await app.close(); await emulator.close(0) })
  const res = await app.inject({ method: 'POST', url: '/topics/open/api/events', headers: { 'content-type': 'application/json' }, payload: JSON.stringify([egEvent(), egEvent({ data: { pad: 'x'.repeat(3000) } })]) })
  t.equal(res.statusCode, 413)
  t.equal(errorOf(res).code, 'RequestEntityTooLarge')
  t.match(errorOf(res).message, /^The maximum size \(2000\) has been exceeded\. events\[1\] is \d+ bytes; one event may be at most 2000 bytes\./)
})

t.test('credentials are checked before the body is read: a wrong key on a malformed body is 401', async (t) => {
  const res = await post(t, '/topics/orders/api/events', '[{"id": ', { 'aeg-sas-key': 'wrong' })
  t.equal(res.statusCode, 401)
})

t.test('an empty body and a body that merely looks like our internal marker', async (t) => {
  const empty = await post(t, '/topics/open/api/events', '')
  t.equal(empty.statusCode, 400)
  t.equal(errorOf(empty).details[0]!.code, 'InputJsonInvalid')
  const odd = await post(t, '/topics/open/api/events', '{"rawText":"x"}')
  t.equal(odd.statusCode, 400, 'a JSON object is an object, not a content-type problem')
  t.match(errorOf(odd).message, /got an object/)
})
