/**
 * The publish endpoint answers as Azure's does (issue #12): headers, status codes, error bodies with Azure's
 * "Report '…'" suffix, 405/OPTIONS, paths, limits. Every case runs against both the shared-port route
 * `/topics/{t}/api/events` and a topic's own port (`POST /api/events`, buildTopicApp), for both input schemas.
 */
import type { Test } from 'tap'
import t from 'tap'
import { systemClock } from '../../src/adapters/system-clock.js'
import { createUndiciTransport } from '../../src/adapters/undici-transport.js'
import { composeEmulator } from '../../src/compose.js'
import { buildApp, buildTopicApp } from '../../src/server/build-app.js'
import { config, egEvent } from '../helpers/build.js'

const KEY = 'bG9jYWwtZGV2LWtleQ=='
const YAML = `
topics:
  egt:
    keys: [${KEY}]
    subscriptions: {}
  cet:
    inputSchema: CloudEventSchemaV1_0
    keys: [${KEY}]
    subscriptions: {}
`
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/
const SUFFIX = / Report '([0-9a-f-]{36}):\d{1,2}\/\d{1,2}\/\d{4} \d{1,2}:\d{2}:\d{2} [AP]M \(UTC\)' to our forums for assistance or raise a support ticket\.$/

type Topic = 'egt' | 'cet'
interface SendOptions { path?: string, headers?: Record<string, string>, payload?: string }
type Response = Awaited<ReturnType<ReturnType<typeof buildApp>['inject']>>
interface Endpoint { name: string, path: (topic: Topic) => string, send: (method: string, topic: Topic, opts?: SendOptions) => Promise<Response> }

/** The two ways to reach a topic: the shared port's route and the topic's own port (one app per topic). */
async function endpoints (t: Test): Promise<Endpoint[]> {
  const emulator = composeEmulator(config(YAML), { clock: systemClock, transport: createUndiciTransport() })
  const shared = buildApp(emulator)
  const own = { egt: buildTopicApp(emulator, 'egt'), cet: buildTopicApp(emulator, 'cet') }
  await Promise.all([shared.ready(), own.egt.ready(), own.cet.ready()])
  t.teardown(async () => { await Promise.all([shared.close(), own.egt.close(), own.cet.close()]); await emulator.close(0) })
  const endpoint = (name: string, app: (topic: Topic) => ReturnType<typeof buildApp>, path: (topic: Topic) => string): Endpoint => ({
    name,
    path,
    send: async (method, topic, opts = {}) => await app(topic).inject({ method: method as 'POST', url: opts.path ?? path(topic), headers: opts.headers, payload: opts.payload })
  })
  return [
    endpoint('shared port', () => shared, (topic) => `/topics/${topic}/api/events`),
    endpoint('topic port', (topic) => own[topic], () => '/api/events')
  ]
}

async function send (ep: Endpoint, method: string, topic: Topic, opts: SendOptions = {}): Promise<Response> {
  return await ep.send(method, topic, opts)
}

interface ErrorBody { error: { code: string, message: string, details: Array<{ code: string, message: string }> } }

/** Checks the Azure error shape and returns the message without its suffix. */
function azureError (t: Test, res: { statusCode: number, headers: Record<string, unknown>, json: () => unknown }, status: number, code: string, detail: string): string {
  t.equal(res.statusCode, status)
  const { error } = res.json() as ErrorBody
  t.equal(error.code, code)
  t.equal(error.details.length, 1)
  t.equal(error.details[0]!.code, detail)
  t.equal(error.message, error.details[0]!.message, 'error.message equals details[0].message')
  const match = SUFFIX.exec(error.message)
  t.ok(match, `message ends with Azure's suffix: ${error.message}`)
  t.match(res.headers['x-ms-request-id'], GUID)
  t.equal(match?.[1], res.headers['x-ms-request-id'], 'the suffix names this response\'s x-ms-request-id')
  return error.message.replace(SUFFIX, '')
}

const EG = JSON.stringify([egEvent()])
const CE = JSON.stringify({ specversion: '1.0', id: 'c1', source: '/s', type: 'T' })
const BODY = { egt: { payload: EG, 'content-type': 'application/json' }, cet: { payload: CE, 'content-type': 'application/cloudevents+json; charset=utf-8' } }
const auth = { 'aeg-sas-key': KEY }

t.test('success: 200, empty body, a new x-ms-request-id per request and api-supported-versions', async (t) => {
  for (const ep of await endpoints(t)) {
    for (const topic of ['egt', 'cet'] as const) {
      const headers = { ...auth, 'content-type': BODY[topic]['content-type'] }
      const a = await send(ep, 'POST', topic, { headers, payload: BODY[topic].payload })
      const b = await send(ep, 'POST', topic, { headers, payload: BODY[topic].payload })
      t.equal(a.statusCode, 200, `${ep.name} ${topic}`)
      t.equal(a.body, '')
      t.match(a.headers['x-ms-request-id'], GUID)
      t.not(a.headers['x-ms-request-id'], b.headers['x-ms-request-id'])
      t.equal(a.headers['api-supported-versions'], '2018-01-01')
    }
  }
})

t.test('paths are case-insensitive and take a trailing slash', async (t) => {
  for (const ep of await endpoints(t)) {
    for (const topic of ['egt', 'cet'] as const) {
      const base = ep.path(topic)
      for (const path of [base.toUpperCase().replace(topic.toUpperCase(), topic), `${base}/`, `${base.replace('api/events', 'Api/Events')}/?api-version=2018-01-01`]) {
        const res = await send(ep, 'POST', topic, { path, headers: { ...auth, 'content-type': BODY[topic]['content-type'] }, payload: BODY[topic].payload })
        t.equal(res.statusCode, 200, `${ep.name} POST ${path}`)
      }
    }
  }
})

t.test('GET/PUT/DELETE/PATCH → 405 MethodNotAllowed with Allow: POST, OPTIONS', async (t) => {
  for (const ep of await endpoints(t)) {
    for (const topic of ['egt', 'cet'] as const) {
      for (const method of ['GET', 'PUT', 'DELETE', 'PATCH']) {
        const res = await send(ep, method, topic, { headers: { 'content-type': 'application/json' }, payload: method === 'GET' || method === 'DELETE' ? undefined : '{' })
        const message = azureError(t, res, 405, 'MethodNotAllowed', 'MethodNotAllowed')
        t.equal(message, `The requested resource does not support http method '${method}'. The publish endpoint accepts POST, OPTIONS.`)
        t.equal(res.headers.allow, 'POST, OPTIONS')
      }
    }
  }
})

t.test('OPTIONS → 200 with Allow, api-supported-versions, aeg-input-event-schema and x-ms-request-id', async (t) => {
  for (const ep of await endpoints(t)) {
    for (const [topic, schema] of [['egt', 'EventGridEvent'], ['cet', 'CloudEventV10']] as const) {
      const res = await send(ep, 'OPTIONS', topic, { headers: { 'content-type': 'application/json' } })
      t.equal(res.statusCode, 200, `${ep.name} ${topic}`)
      t.equal(res.headers.allow, 'POST, OPTIONS')
      t.equal(res.headers['api-supported-versions'], '2018-01-01')
      t.equal(res.headers['aeg-input-event-schema'], schema)
      t.match(res.headers['x-ms-request-id'], GUID)
      t.equal(res.body, '')
    }
  }
})

t.test('HEAD and unknown paths → 404 NotFound/ResourceNotFound naming the URL-encoded request URI', async (t) => {
  for (const ep of await endpoints(t)) {
    const head = await send(ep, 'HEAD', 'egt')
    t.equal(head.statusCode, 404, `${ep.name} HEAD`)
    const res = await send(ep, 'POST', 'egt', { path: '/api/nope?api-version=2018-01-01', headers: { ...auth, 'content-type': 'application/json' }, payload: EG })
    const message = azureError(t, res, 404, 'NotFound', 'ResourceNotFound')
    t.equal(message, "No HTTP resource was found that matches the request URI 'http%3A%2F%2Flocalhost%3A80%2Fapi%2Fnope%3Fapi-version%3D2018-01-01'. " +
      'The emulator has no route POST /api/nope; see GET /admin/topics for the topic endpoints.')
  }
})

t.test('Event Grid schema: an empty subject or dataVersion → 400 BadRequest/InputJsonInvalid naming the field', async (t) => {
  for (const ep of await endpoints(t)) {
    for (const field of ['subject', 'dataVersion']) {
      const res = await send(ep, 'POST', 'egt', { headers: { ...auth, 'content-type': 'application/json' }, payload: JSON.stringify([egEvent(), egEvent({ [field]: '' })]) })
      const message = azureError(t, res, 400, 'BadRequest', 'InputJsonInvalid')
      t.match(message, `This resource is configured for 'EventGridEvent' schema and requires '${field}' property to be set. events[1].${field} is an empty string`)
    }
    const noSubject = await send(ep, 'POST', 'egt', { headers: { ...auth, 'content-type': 'application/json' }, payload: JSON.stringify([{ ...egEvent(), subject: undefined }]) })
    t.equal(azureError(t, noSubject, 400, 'BadRequest', 'InputJsonInvalid'), "This resource is configured for 'EventGridEvent' schema and requires 'subject' property to be set. events[0].subject is missing.")
  }
})

t.test('a publisher-set topic that is not this topic → 401 Unauthorized/Unauthorized', async (t) => {
  for (const ep of await endpoints(t)) {
    const res = await send(ep, 'POST', 'egt', { headers: { ...auth, 'content-type': 'application/json' }, payload: JSON.stringify([egEvent({ topic: '/subscriptions/x/topics/other' })]) })
    t.match(azureError(t, res, 401, 'Unauthorized', 'Unauthorized'), /^Unauthorized to publish to topic "\/subscriptions\/x\/topics\/other"\. events\[0\]\.topic must be absent or equal this topic's resource id '\/subscriptions\/0{8}-0{4}-0{4}-0{4}-0{12}\/resourceGroups\/local\/providers\/Microsoft\.EventGrid\/topics\/egt'\.$/)
  }
})

t.test('an empty aeg-sas-key → 400 BadRequest/InvalidSas naming the header; a wrong one → 401', async (t) => {
  for (const ep of await endpoints(t)) {
    for (const topic of ['egt', 'cet'] as const) {
      const empty = await send(ep, 'POST', topic, { headers: { 'aeg-sas-key': '', 'content-type': BODY[topic]['content-type'] }, payload: BODY[topic].payload })
      t.equal(azureError(t, empty, 400, 'BadRequest', 'InvalidSas'), 'Request must have a value for aeg-sas-key.')
      const emptyToken = await send(ep, 'POST', topic, { headers: { 'aeg-sas-token': '', 'content-type': BODY[topic]['content-type'] }, payload: BODY[topic].payload })
      t.equal(azureError(t, emptyToken, 400, 'BadRequest', 'InvalidSas'), 'Request must have a value for aeg-sas-token.')
      const wrong = await send(ep, 'POST', topic, { headers: { 'aeg-sas-key': 'd3Jvbmc=', 'content-type': BODY[topic]['content-type'] }, payload: BODY[topic].payload })
      t.match(azureError(t, wrong, 401, 'Unauthorized', 'Unauthorized'), /^The request authorization key is not authorized for LOCALHOST:80\. The access key in aeg-sas-key is not valid for topic '(egt|cet)'/)
      const none = await send(ep, 'POST', topic, { headers: { 'content-type': BODY[topic]['content-type'] }, payload: BODY[topic].payload })
      t.match(azureError(t, none, 401, 'Unauthorized', 'Unauthorized'), /^Request must contain one of the following authorization signature: aeg-sas-token, aeg-sas-key\. /)
    }
  }
})

t.test('too large → 413 RequestEntityTooLarge/PayloadTooLarge naming 1536000 bytes', async (t) => {
  for (const ep of await endpoints(t)) {
    const eg = await send(ep, 'POST', 'egt', { headers: { ...auth, 'content-type': 'application/json' }, payload: JSON.stringify([egEvent({ data: 'x'.repeat(1_536_000) })]) })
    t.match(azureError(t, eg, 413, 'RequestEntityTooLarge', 'PayloadTooLarge'), /^The maximum size \(1536000\) has been exceeded\./)
    const ce = await send(ep, 'POST', 'cet', { headers: { ...auth, 'content-type': 'application/cloudevents+json' }, payload: JSON.stringify({ specversion: '1.0', id: '1', source: '/s', type: 'T', data: 'x'.repeat(1_049_600) }) })
    t.match(azureError(t, ce, 413, 'RequestEntityTooLarge', 'PayloadTooLarge'), /^The maximum size \(1049600\) has been exceeded\. event is \d+ bytes/)
  }
})

t.test('CloudEvents structured mode: a missing type is reported as eventType; the Azure leniencies are accepted', async (t) => {
  for (const ep of await endpoints(t)) {
    const post = async (event: Record<string, unknown>) => await send(ep, 'POST', 'cet', { headers: { ...auth, 'content-type': 'application/cloudevents+json' }, payload: JSON.stringify(event) })
    const noType = await post({ specversion: '1.0', id: '1', source: '/s' })
    t.equal(azureError(t, noType, 400, 'BadRequest', 'InputJsonInvalid'), "This resource is configured for 'CloudEventV10' schema and requires 'eventType' property to be set. event.type must be a non-empty string, got missing.")
    const noId = await post({ specversion: '1.0', source: '/s', type: 'T' })
    t.match(azureError(t, noId, 400, 'BadRequest', 'InputJsonInvalid'), /^This resource is configured for 'CloudEventV10' schema and requires 'id' property to be set\./)
    for (const lenient of [{ id: '1', type: 'T', source: '/s', specversion: '0.3' }, { id: '1', type: 'T', source: '/s' }, { id: '1', type: 'T', specversion: '1.0', source: '' }, { id: '1', type: 'T', specversion: '1.0' }]) {
      t.equal((await post(lenient)).statusCode, 200, `${ep.name} accepts ${JSON.stringify(lenient)}`)
    }
  }
})

t.test('a URI longer than 8192 characters → 414 RequestUriTooLong in Event Grid\'s body', async (t) => {
  for (const ep of await endpoints(t)) {
    const res = await send(ep, 'POST', 'egt', { path: `${ep.path('egt')}?pad=${'x'.repeat(8200)}`, headers: { ...auth, 'content-type': 'application/json' }, payload: EG })
    t.match(azureError(t, res, 414, 'RequestUriTooLong', 'RequestUriTooLong'), /^The request URI is 8\d{3} characters long; at most 8192 are accepted\.$/)
  }
})

t.test('a malformed JSON body and an empty one → 400 InputJsonInvalid, never a Fastify code', async (t) => {
  for (const ep of await endpoints(t)) {
    const bad = await send(ep, 'POST', 'egt', { headers: { ...auth, 'content-type': 'application/json' }, payload: '[{"id": ' })
    azureError(t, bad, 400, 'BadRequest', 'InputJsonInvalid')
    const empty = await send(ep, 'POST', 'egt', { headers: { ...auth, 'content-type': 'application/json' }, payload: '' })
    t.equal(azureError(t, empty, 400, 'BadRequest', 'InputJsonInvalid'), 'Unexpected end when reading JSON. The request body is empty.')
  }
})

t.test('a successful publish has no body and no Content-Type, as Azure\'s 200', async (t) => {
  for (const ep of await endpoints(t)) {
    const res = await send(ep, 'POST', 'egt', { headers: { ...auth, 'content-type': 'application/json' }, payload: EG })
    t.equal(res.statusCode, 200)
    t.equal(res.headers['content-type'], undefined)
    t.equal(res.headers['content-length'], '0')
  }
})

t.test('a URL that cannot be decoded → 400 in Event Grid\'s body, not Fastify\'s', async (t) => {
  for (const ep of await endpoints(t)) {
    const res = await send(ep, 'POST', 'egt', { path: '/api/%zz/events', headers: { ...auth, 'content-type': 'application/json' }, payload: EG })
    t.equal(res.statusCode, 400, ep.name)
    const { error } = res.json() as ErrorBody
    t.equal(error.code, 'BadRequest')
    t.equal(error.details[0]!.code, 'BadRequest')
    t.match(error.message, /'\/api\/%zz\/events' is not a valid url component/)
    t.match(res.headers['x-ms-request-id'], GUID)
  }
})
