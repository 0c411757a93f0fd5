/**
 * The namespace data plane over HTTP (inject): every refusal with its status and Event Grid error body,
 * authentication (SharedAccessKey, SAS, aeg-sas-key), api-versions, binary content mode, the admin listing.
 */
import { createHmac } from 'node:crypto'
import t from 'tap'
import { buildTestApp } from '../helpers/build.js'
import { KEY } from './ns-helpers.js'

const YAML = `
namespaces:
  orders-ns:
    keys: [${KEY}]
    topics:
      orders:
        eventSubscriptions:
          worker:
            deliveryConfiguration: { deliveryMode: Queue }
          hook:
            deliveryConfiguration:
              deliveryMode: Push
              push: { destination: { endpointType: WebHook, properties: { endpointUrl: /sink/ns } } }
`
const AUTH = { authorization: `SharedAccessKey ${KEY}` }
const BASE = '/namespaces/orders-ns/topics/orders'
const CE = { 'content-type': 'application/cloudevents+json; charset=utf-8', ...AUTH }
const ce = (id = 'e1'): Record<string, unknown> => ({ specversion: '1.0', id, source: '/s', type: 'T', data: { a: 1 } })

function sasToken (resource: string, expiry: string, key = KEY): string {
  const unsigned = `r=${encodeURIComponent(resource)}&e=${encodeURIComponent(expiry)}`
  const sig = createHmac('sha256', Buffer.from(key, 'base64')).update(unsigned).digest('base64')
  return `${unsigned}&s=${encodeURIComponent(sig)}`
}

function errorBody (code: string, detail: string, message: string | RegExp): Record<string, unknown> {
  return { error: { code, message, details: [{ code: detail, message }] } }
}

t.test('publish answers 200 {} and the event is received; api-version 2024-06-01 and 2023-11-01 both work', async (t) => {
  const { app } = await buildTestApp(t, YAML)
  for (const v of ['2024-06-01', '2023-11-01']) {
    const res = await app.inject({ method: 'POST', url: `${BASE}:publish?api-version=${v}`, headers: CE, payload: JSON.stringify(ce(`v-${v}`)) })
    t.equal(res.statusCode, 200)
    t.same(res.json(), {})
  }
  const got = await app.inject({ method: 'POST', url: `${BASE}/eventsubscriptions/worker:receive?api-version=2024-06-01&maxEvents=5&maxWaitTime=10`, headers: AUTH })
  t.same(got.json().value.map((v: { event: { id: string } }) => v.event.id), ['v-2024-06-01', 'v-2023-11-01'])
})

t.test('authentication', async (t) => {
  const { app } = await buildTestApp(t, YAML)
  const publish = async (headers: Record<string, string>): Promise<{ statusCode: number, json: () => unknown }> =>
    await app.inject({ method: 'POST', url: `${BASE}:publish`, headers: { 'content-type': 'application/cloudevents+json', ...headers }, payload: JSON.stringify(ce()) })
  let res = await publish({})
  t.equal(res.statusCode, 401)
  t.same(res.json(), errorBody('Unauthorized', 'Unauthorized', "Namespace 'orders-ns' requires authentication: send 'Authorization: SharedAccessKey <key>' (AzureKeyCredential), 'Authorization: SharedAccessSignature <token>', or an aeg-sas-key / aeg-sas-token header."))
  res = await publish({ authorization: 'SharedAccessKey d3Jvbmc=' })
  t.equal(res.statusCode, 401)
  t.same(res.json(), errorBody('Unauthorized', 'Unauthorized', "The key in 'Authorization: SharedAccessKey …' is not valid for namespace 'orders-ns'. Use one of the keys configured under namespaces.orders-ns.keys."))
  res = await publish({ authorization: 'Basic abc' })
  t.match(res.json(), { error: { message: "The Authorization header scheme 'basic' is not supported: use 'SharedAccessKey <key>', 'SharedAccessSignature r=…&e=…&s=…' or 'Bearer <token>'." } })
  t.equal((await publish({ 'aeg-sas-key': KEY })).statusCode, 200)
  const future = new Date(Date.now() + 3_600_000).toISOString()
  t.equal((await publish({ authorization: `SharedAccessSignature ${sasToken('http://localhost/namespaces/orders-ns', future)}` })).statusCode, 200)
  res = await publish({ authorization: `SharedAccessSignature ${sasToken('r', future, 'b3RoZXI=')}` })
  t.equal(res.statusCode, 401)
  t.match(res.json(), { error: { message: "The SAS token signature does not match any key of namespace 'orders-ns'." } })
  t.equal((await publish({ authorization: 'Bearer eyJ0eXAi' })).statusCode, 200, 'Entra tokens cannot be checked offline')
})

t.test('not found: namespace, topic, subscription, operation', async (t) => {
  const { app } = await buildTestApp(t, YAML)
  const post = async (url: string): Promise<{ statusCode: number, json: () => unknown }> => await app.inject({ method: 'POST', url, headers: CE, payload: JSON.stringify(ce()) })
  let res = await post('/namespaces/nope/topics/orders:publish')
  t.equal(res.statusCode, 404)
  t.same(res.json(), errorBody('NotFound', 'NotFound', "Namespace 'nope' is not configured. Configured namespaces: orders-ns. Add it under namespaces: in the config file."))
  res = await post('/namespaces/orders-ns/topics/other:publish')
  t.same(res.json(), errorBody('NotFound', 'NotFound', "Namespace topic 'other' does not exist in namespace 'orders-ns'. Topics: orders."))
  res = await post(`${BASE}/eventsubscriptions/ghost:receive`)
  t.same(res.json(), errorBody('NotFound', 'NotFound', "Event subscription 'ghost' does not exist on namespace topic 'orders-ns/orders'. Subscriptions: worker, hook."))
  res = await post(`${BASE}/eventsubscriptions/worker:peek`)
  t.equal(res.statusCode, 404)
  t.match(res.json(), { error: { message: /^No namespace operation at 'orders\/eventsubscriptions\/worker:peek'/ } })
})

t.test('bad requests name the parameter, the value and what is allowed', async (t) => {
  const { app } = await buildTestApp(t, YAML)
  const post = async (path: string, payload?: unknown, headers: Record<string, string> = {}): Promise<{ statusCode: number, json: () => unknown }> =>
    await app.inject({ method: 'POST', url: `${BASE}${path}`, headers: { ...AUTH, ...(payload !== undefined ? { 'content-type': 'application/json' } : {}), ...headers }, ...(payload !== undefined ? { payload: JSON.stringify(payload) } : {}) })
  const cases: Array<[string, unknown, string, string]> = [
    ['/eventsubscriptions/worker:receive?maxWaitTime=5', undefined, 'InvalidQueryParameter', "maxWaitTime must be an integer from 10 to 120, got '5'."],
    ['/eventsubscriptions/worker:receive?maxWaitTime=121', undefined, 'InvalidQueryParameter', "maxWaitTime must be an integer from 10 to 120, got '121'."],
    ['/eventsubscriptions/worker:receive?maxEvents=0', undefined, 'InvalidQueryParameter', "maxEvents must be an integer from 1 to 100, got '0'."],
    ['/eventsubscriptions/worker:receive?maxEvents=1.5', undefined, 'InvalidQueryParameter', "maxEvents must be an integer from 1 to 100, got '1.5'."],
    ['/eventsubscriptions/worker:release?releaseDelayInSeconds=5', { lockTokens: ['x'] }, 'InvalidReleaseDelay', "releaseDelayInSeconds must be one of 0, 10, 60, 600, 3600, got '5'."],
    ['/eventsubscriptions/worker:acknowledge', { tokens: ['x'] }, 'InputJsonInvalid', 'The body must be {"lockTokens": [...]} with 1 to 100 non-empty strings, got {"tokens":["x"]}.'],
    ['/eventsubscriptions/worker:acknowledge', { lockTokens: [] }, 'InputJsonInvalid', 'lockTokens must hold 1 to 100 tokens, got 0.'],
    ['/eventsubscriptions/worker:acknowledge', { lockTokens: [1] }, 'InputJsonInvalid', 'The body must be {"lockTokens": [...]} with 1 to 100 non-empty strings, got {"lockTokens":[1]}.'],
    ['/eventsubscriptions/hook:receive', undefined, 'InvalidOperation', "Event subscription 'hook' uses deliveryMode Push; receive works only on Queue (pull) subscriptions."],
    ['/eventsubscriptions/worker:receive?api-version=2018-01-01', undefined, 'InvalidApiVersion', "The api-version '2018-01-01' is not supported for namespace operations. Supported: 2024-06-01, 2023-11-01, 2023-10-01-preview, 2023-06-01-preview."]
  ]
  for (const [path, body, detail, message] of cases) {
    const res = await post(path, body)
    t.equal(res.statusCode, 400, path)
    t.same(res.json(), errorBody('BadRequest', detail, message), path)
  }
  const tooMany = await post('/eventsubscriptions/worker:acknowledge', { lockTokens: Array.from({ length: 101 }, (_, i) => `t${i}`) })
  t.same(tooMany.json(), errorBody('BadRequest', 'InputJsonInvalid', 'lockTokens must hold 1 to 100 tokens, got 101.'))
})

t.test('publish refusals: content type, CloudEvents attributes, size', async (t) => {
  const { app } = await buildTestApp(t, YAML)
  // Like a CloudEvents topic (docs/publishing-wire.md), one event as application/json is accepted; other types are not.
  let res = await app.inject({ method: 'POST', url: `${BASE}:publish`, headers: { ...AUTH, 'content-type': 'application/json' }, payload: JSON.stringify(ce()) })
  t.equal(res.statusCode, 200, 'a single CloudEvent as application/json')
  res = await app.inject({ method: 'POST', url: `${BASE}:publish`, headers: { ...AUTH, 'content-type': 'text/plain' }, payload: JSON.stringify(ce()) })
  t.equal(res.statusCode, 415)
  t.match(res.json(), { error: { code: 'UnsupportedMediaType', message: /^The Content-Type header is either missing or it doesn't have a valid value\. .*Got 'text\/plain'; binary content mode needs the ce-id, ce-source, ce-type and ce-specversion headers\./ } })
  res = await app.inject({ method: 'POST', url: `${BASE}:publish`, headers: { ...AUTH, 'content-type': 'application/cloudevents-batch+json' }, payload: JSON.stringify([ce('ok'), { ...ce(), data: 'x'.repeat(1_049_600) }]) })
  t.equal(res.statusCode, 413)
})

t.test('binary content mode: ce-* headers and the data as the body', async (t) => {
  const { app } = await buildTestApp(t, YAML)
  const res = await app.inject({
    method: 'POST',
    url: `${BASE}:publish?api-version=2024-06-01`,
    headers: { ...AUTH, 'content-type': 'application/json', 'ce-specversion': '1.0', 'ce-id': 'bin-1', 'ce-source': '/bin', 'ce-type': 'Binary.Test', 'ce-subject': 'orders/1', 'ce-tenant': 'contoso' },
    payload: JSON.stringify({ orderId: 42 })
  })
  t.equal(res.statusCode, 200)
  const got = await app.inject({ method: 'POST', url: `${BASE}/eventsubscriptions/worker:receive?maxWaitTime=10`, headers: AUTH })
  t.same(got.json().value[0].event, { specversion: '1.0', id: 'bin-1', source: '/bin', type: 'Binary.Test', subject: 'orders/1', tenant: 'contoso', datacontenttype: 'application/json', data: { orderId: 42 } })
  const bad = await app.inject({ method: 'POST', url: `${BASE}:publish`, headers: { ...AUTH, 'content-type': 'text/plain', 'ce-specversion': '1.0', 'ce-source': '/bin', 'ce-type': 'T' }, payload: 'hello' })
  t.equal(bad.statusCode, 400)
  t.match(bad.json(), { error: { message: /requires 'id' property to be set\. event\.id must be a non-empty string, got missing\./ } })
})

t.test('GET /admin/namespaces lists namespaces, topics and subscriptions with counts', async (t) => {
  const { app } = await buildTestApp(t, YAML)
  await app.inject({ method: 'POST', url: `${BASE}:publish`, headers: CE, payload: JSON.stringify(ce()) })
  const res = await app.inject({ method: 'GET', url: '/admin/namespaces' })
  t.match(res.json(), {
    value: [{
      name: 'orders-ns',
      endpoint: /\/namespaces\/orders-ns$/,
      authRequired: true,
      topics: [{
        name: 'orders',
        eventRetentionInDays: 1,
        eventSubscriptions: [
          { name: 'worker', deliveryMode: 'Queue', queueDepth: 1, locked: 0, delayed: 0, receiveLockDurationInSeconds: 60, maxDeliveryCount: 10, deadLettered: 0, deadLetterContainer: null },
          { name: 'hook', deliveryMode: 'Push', endpointUrl: '/sink/ns', maxDeliveryCount: 10 }
        ]
      }]
    }]
  })
  const one = await app.inject({ method: 'GET', url: '/admin/namespaces/orders-ns/topics/orders/eventsubscriptions/nope' })
  t.equal(one.statusCode, 404)
  t.same(one.json(), errorBody('NotFound', 'NotFound', "No event subscription 'nope' on namespace topic 'orders-ns/orders'. See GET /admin/namespaces."))
})
