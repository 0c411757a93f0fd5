/**
 * A domain endpoint answers on the wire exactly as a topic endpoint does (as Azure's domain endpoints do): the
 * headers, 405/OPTIONS, HEAD 404, case-insensitive paths, the 1,536,000-byte limit and CloudEvents binary mode.
 * Every case runs against both the shared port's `/domains/{d}/api/events` and a domain's own port (`/api/events`).
 */
import { createServer } from 'node:net'
import { AzureKeyCredential, generateSharedAccessSignature } from '@azure/eventgrid'
import type { Test } from 'tap'
import t from 'tap'
import { request } from 'undici'
import { systemClock } from '../../src/adapters/system-clock.js'
import { createUndiciTransport } from '../../src/adapters/undici-transport.js'
import { composeEmulator } from '../../src/compose.js'
import { buildApp, buildDomainApp } from '../../src/server/build-app.js'
import { azureError, GUID } from '../helpers/azure-error.js'
import { config, egEvent, startTestEmulator } from '../helpers/build.js'

const KEY = 'bG9jYWwtZGV2LWtleQ=='
const YAML = `
domains:
  shop:
    keys: [${KEY}]
  clouds:
    inputSchema: CloudEventSchemaV1_0
    keys: [${KEY}]
  mapped:
    inputSchema: CustomEventSchema
    inputSchemaMapping:
      inputSchemaMappingType: Json
      properties:
        topic: { sourceField: tenant }
        eventType: { defaultValue: Shop.Custom }
`
type Domain = 'shop' | 'clouds' | 'mapped'
type App = ReturnType<typeof buildApp>
type Response = Awaited<ReturnType<App['inject']>>
interface SendOptions { path?: string, headers?: Record<string, string>, payload?: string | Buffer }
interface Endpoint { name: string, path: (domain: Domain) => string, send: (method: string, domain: Domain, opts?: SendOptions) => Promise<Response> }

/** The two ways to reach a domain: the shared port's route and the domain's own port (one app per domain). */
async function endpoints (t: Test): Promise<Endpoint[]> {
  const emulator = composeEmulator(config(YAML), { clock: systemClock, transport: createUndiciTransport() })
  const shared = buildApp(emulator)
  const own = { shop: buildDomainApp(emulator, 'shop'), clouds: buildDomainApp(emulator, 'clouds'), mapped: buildDomainApp(emulator, 'mapped') }
  const apps = [shared, ...Object.values(own)]
  await Promise.all(apps.map(async (app) => { await app.ready() }))
  t.teardown(async () => { await Promise.all(apps.map(async (app) => { await app.close() })); await emulator.close(0) })
  const endpoint = (name: string, app: (domain: Domain) => App, path: (domain: Domain) => string): Endpoint => ({
    name,
    path,
    send: async (method, domain, opts = {}) => await app(domain).inject({ method: method as 'POST', url: opts.path ?? path(domain), headers: opts.headers, payload: opts.payload })
  })
  return [
    endpoint('shared port', () => shared, (domain) => `/domains/${domain}/api/events`),
    endpoint('domain port', (domain) => own[domain], () => '/api/events')
  ]
}

const auth = { 'aeg-sas-key': KEY }
const BODY: Record<Domain, { payload: string, 'content-type': string }> = {
  shop: { payload: JSON.stringify([egEvent({ topic: 'tenant-a' })]), 'content-type': 'application/json' },
  clouds: { payload: JSON.stringify({ specversion: '1.0', id: 'c1', source: 'tenant-a', type: 'T' }), 'content-type': 'application/cloudevents+json; charset=utf-8' },
  mapped: { payload: JSON.stringify([{ tenant: 'tenant-a', n: 1 }]), 'content-type': 'application/json' }
}
const DOMAINS = ['shop', 'clouds', 'mapped'] as const

t.test('success: 200, no body and no Content-Type, a new x-ms-request-id per request and api-supported-versions', async (t) => {
  for (const ep of await endpoints(t)) {
    for (const domain of DOMAINS) {
      const headers = { ...auth, 'content-type': BODY[domain]['content-type'] }
      const first = await ep.send('POST', domain, { headers, payload: BODY[domain].payload })
      const second = await ep.send('POST', domain, { headers, payload: BODY[domain].payload })
      t.equal(first.statusCode, 200, `${ep.name} ${domain}`)
      t.equal(first.body, '')
      t.equal(first.headers['content-type'], undefined)
      t.equal(first.headers['api-supported-versions'], '2018-01-01')
      t.match(first.headers['x-ms-request-id'], GUID)
      t.not(first.headers['x-ms-request-id'], second.headers['x-ms-request-id'], 'one id per request')
    }
  }
})

t.test('paths are case-insensitive and take a trailing slash', async (t) => {
  for (const ep of await endpoints(t)) {
    const base = ep.path('shop')
    for (const path of [base.toUpperCase().replace('SHOP', 'shop'), `${base}/`, `${base.replace('api/events', 'Api/Events')}/?api-version=2018-01-01`]) {
      const res = await ep.send('POST', 'shop', { path, headers: { ...auth, 'content-type': 'application/json' }, payload: BODY.shop.payload })
      t.equal(res.statusCode, 200, `${ep.name} POST ${path}`)
    }
  }
})

t.test('GET/PUT/DELETE/PATCH → 405 MethodNotAllowed with Allow: POST, OPTIONS', async (t) => {
  for (const ep of await endpoints(t)) {
    for (const method of ['GET', 'PUT', 'DELETE', 'PATCH']) {
      const res = await ep.send(method, 'shop', { headers: { 'content-type': 'application/json' }, payload: method === 'GET' || method === 'DELETE' ? undefined : '{' })
      t.equal(azureError(t, res, 405, 'MethodNotAllowed', 'MethodNotAllowed'), `The requested resource does not support http method '${method}'. The publish endpoint accepts POST, OPTIONS.`)
      t.equal(res.headers.allow, 'POST, OPTIONS', `${ep.name} ${method}`)
      t.equal(res.headers['api-supported-versions'], '2018-01-01')
    }
  }
})

t.test('OPTIONS → 200 with Allow, api-supported-versions, the domain\'s aeg-input-event-schema and x-ms-request-id, no credentials', async (t) => {
  for (const ep of await endpoints(t)) {
    for (const [domain, schema] of [['shop', 'EventGridEvent'], ['clouds', 'CloudEventV10'], ['mapped', 'CustomEventSchema']] as const) {
      const res = await ep.send('OPTIONS', domain, { headers: { 'content-type': 'application/json' } })
      t.equal(res.statusCode, 200, `${ep.name} ${domain}`)
      t.equal(res.headers.allow, 'POST, OPTIONS')
      t.equal(res.headers['api-supported-versions'], '2018-01-01')
      t.equal(res.headers['aeg-input-event-schema'], schema)
      t.match(res.headers['x-ms-request-id'], GUID)
      t.equal(res.body, '')
    }
  }
})

t.test('HEAD → 404 as on Azure; OPTIONS and 405 on an unknown domain → 404 DomainNotFound', async (t) => {
  const [shared] = await endpoints(t)
  for (const ep of await endpoints(t)) t.equal((await ep.send('HEAD', 'shop')).statusCode, 404, `${ep.name} HEAD`)
  for (const method of ['OPTIONS', 'GET']) {
    const res = await shared!.send(method, 'shop', { path: '/domains/nope/api/events' })
    t.match(azureError(t, res, 404, 'NotFound', 'DomainNotFound'), /^Domain 'nope' is not configured\. Configured domains: shop, clouds, mapped\./)
  }
})

t.test('too large → 413 RequestEntityTooLarge/PayloadTooLarge naming 1536000 bytes (request) and 1049600 (event)', async (t) => {
  for (const ep of await endpoints(t)) {
    const request = await ep.send('POST', 'shop', { headers: { ...auth, 'content-type': 'application/json' }, payload: JSON.stringify([egEvent({ topic: 'tenant-a', data: 'x'.repeat(1_536_000) })]) })
    t.match(azureError(t, request, 413, 'RequestEntityTooLarge', 'PayloadTooLarge'), /^The maximum size \(1536000\) has been exceeded\./)
    const event = await ep.send('POST', 'clouds', { headers: { ...auth, 'content-type': 'application/cloudevents+json' }, payload: JSON.stringify({ specversion: '1.0', id: '1', source: 'tenant-a', type: 'T', data: 'x'.repeat(1_049_600) }) })
    t.match(azureError(t, event, 413, 'RequestEntityTooLarge', 'PayloadTooLarge'), /^The maximum size \(1049600\) has been exceeded\. event is \d+ bytes/)
  }
})

t.test('CloudEvents domain: the structured-mode leniencies of a CloudEvents topic', async (t) => {
  for (const ep of await endpoints(t)) {
    for (const [contentType, event] of [
      ['application/json', { specversion: '1.0', id: '1', type: 'T', source: 'tenant-a' }],
      ['application/cloudevents+json', { specversion: '0.3', id: '1', type: 'T', source: 'tenant-a' }],
      ['application/cloudevents+json', { id: '1', type: 'T', source: 'tenant-a' }]
    ] as const) {
      const res = await ep.send('POST', 'clouds', { headers: { ...auth, 'content-type': contentType }, payload: JSON.stringify(event) })
      t.equal(res.statusCode, 200, `${ep.name} accepts ${contentType} ${JSON.stringify(event)}`)
    }
    const noType = await ep.send('POST', 'clouds', { headers: { ...auth, 'content-type': 'application/cloudevents+json' }, payload: JSON.stringify({ specversion: '1.0', id: '1', source: 'tenant-a' }) })
    t.equal(azureError(t, noType, 400, 'BadRequest', 'InputJsonInvalid'), "This resource is configured for 'CloudEventV10' schema and requires 'eventType' property to be set. event.type must be a non-empty string, got missing.")
  }
})

t.test('SAS tokens are scoped to the domain endpoint: /domains/NAME on the shared port, the host on its own port', async (t) => {
  const sas = async (resource: string): Promise<string> => await generateSharedAccessSignature(resource, new AzureKeyCredential(KEY), new Date(Date.now() + 3600_000))
  const [shared, own] = await endpoints(t)
  const post = async (ep: Endpoint, resource: string): Promise<Response> =>
    await ep.send('POST', 'shop', { headers: { 'aeg-sas-token': await sas(resource), 'content-type': 'application/json' }, payload: BODY.shop.payload })
  // inject() sends Host: localhost:80, the host a client of these apps would sign for.
  for (const resource of ['http://localhost:80/domains/shop/api/events', 'http://localhost:80/domains/shop']) {
    t.equal((await post(shared!, resource)).statusCode, 200, `shared port accepts a token for ${resource}`)
  }
  for (const resource of ['http://localhost:80/topics/shop/api/events', 'http://localhost:80/domains/clouds/api/events', 'http://localhost:80/']) {
    t.match(azureError(t, await post(shared!, resource), 401, 'Unauthorized', 'Unauthorized'), /^The SAS token is for resource '.*', which does not match the topic endpoint 'localhost:80\/domains\/shop\/api\/events' it was sent to\./, `shared port refuses ${resource}`)
  }
  t.equal((await post(own!, 'http://localhost:80/')).statusCode, 200, "the domain's own host is the domain")
  t.match(azureError(t, await post(own!, 'http://localhost:80/domains/clouds/api/events'), 401, 'Unauthorized', 'Unauthorized'), /^The SAS token is for resource /)
})

const CE_HEADERS = { 'ce-id': 'b-1', 'ce-source': 'tenant-a', 'ce-type': 'Contoso.Orders.Created', 'ce-specversion': '1.0' }
const HINT = 'Please check required attributes at https://github.com/cloudevents/spec/blob/v1.0/spec.md#required-attributes'

t.test('binary mode: a missing ce-* header → 400 InvalidCloudEventHeader; ce-source must name a domain topic; Event Grid domains ignore ce-*', async (t) => {
  for (const ep of await endpoints(t)) {
    const missing = await ep.send('POST', 'clouds', { headers: { ...auth, ...CE_HEADERS, 'ce-type': '', 'content-type': 'application/json' }, payload: '{}' })
    t.equal(azureError(t, missing, 400, 'BadRequest', 'InvalidCloudEventHeader'), `ce-type header is empty for the cloud event. ${HINT}`)
    const source = await ep.send('POST', 'clouds', { headers: { ...auth, ...CE_HEADERS, 'ce-source': '/contoso/orders', 'content-type': 'text/plain' }, payload: 'hi' })
    t.match(azureError(t, source, 400, 'BadRequest', 'InputJsonInvalid'),
      /^Required property 'source' needs to either be a full resource id or should be just the name of the domain topic\. Found: \/contoso\/orders\. \(event\.source: /)
    const onEventGrid = await ep.send('POST', 'shop', { headers: { ...auth, ...CE_HEADERS, 'content-type': 'text/plain' }, payload: 'hi' })
    t.equal(azureError(t, onEventGrid, 415, 'UnsupportedMediaType', 'InvalidContentType'),
      "The Content-Type header must be application/json for a domain with input schema EventGridSchema, got 'text/plain'.")
  }
})

async function freePort (): Promise<number> {
  return await new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number }
      server.close(() => { resolve(port) })
    })
  })
}

t.test('binary mode: the event reaches the domain topic ce-source names, delivered as a structured CloudEvent', async (t) => {
  const port = await freePort()
  const eg = await startTestEmulator(t, `
domains:
  clouds:
    inputSchema: CloudEventSchemaV1_0
    port: ${port}
    keys: [${KEY}]
    topics:
      tenant-a:
        subscriptions:
          ce-a:
            eventDeliverySchema: CloudEventSchemaV1_0
            destination: { endpointType: WebHook, properties: { endpointUrl: /sink/clouds-a } }
`)
  for (const [name, url] of [['shared port', `${eg.url}/domains/clouds/api/events`], ['domain port', `http://127.0.0.1:${port}/api/events`]] as const) {
    const id = `bin-${name.replace(' ', '-')}`
    const res = await request(url, {
      method: 'POST',
      headers: { ...auth, ...CE_HEADERS, 'ce-id': id, 'ce-tenant': 'contoso', 'ce-note': 'caf%C3%A9', 'content-type': 'application/json' },
      body: '{"orderId":1}'
    })
    t.equal(res.statusCode, 200, name)
    t.match(res.headers['x-ms-request-id'], GUID)
    await res.body.dump()
    const [record] = await eg.waitForDeliveries((r) => r.eventIds.includes(id) && r.outcome === 'Delivered')
    t.equal(record!.topic, 'clouds/tenant-a', 'routed to the domain topic named by ce-source')
    // The sink also recorded the validation handshake (no body): only events are looked at.
    const delivered = eg.sink('clouds-a').flatMap((r): Array<Record<string, unknown>> => r.body == null ? [] : [r.body as Record<string, unknown>]).find((e) => e.id === id)
    t.same(delivered, {
      id,
      source: 'tenant-a',
      type: 'Contoso.Orders.Created',
      specversion: '1.0',
      tenant: 'contoso',
      note: 'café',
      datacontenttype: 'application/json',
      data: { orderId: 1 }
    }, `${name}: extensions kept, the body is data`)
  }
})
