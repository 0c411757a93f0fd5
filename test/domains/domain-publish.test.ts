/**
 * Publishing to a domain over HTTP: Azure's 400 for a missing or malformed domain topic (every schema), the
 * unknown-domain 404, custom input schema domains, and the domain's own port. Errors are Event Grid's body with
 * Azure's "Report '…'" suffix, as on a topic (docs/errors.md); the wire details are in domain-wire.test.ts.
 */
import t from 'tap'
import { request } from 'undici'
import { azureError } from '../helpers/azure-error.js'
import { buildTestApp, egEvent, startTestEmulator } from '../helpers/build.js'
import { withFreePort } from '../helpers/free-port.js'

const DOMAIN_ID = '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/local/providers/Microsoft.EventGrid/domains/shop'
const YAML = `
domains:
  shop:
    subscriptions: {}
  clouds:
    inputSchema: CloudEventSchemaV1_0
  mapped:
    inputSchema: CustomEventSchema
    inputSchemaMapping:
      inputSchemaMappingType: Json
      properties:
        topic: { sourceField: tenant }
        eventType: { sourceField: kind }
    subscriptions:
      all:
        destination: { endpointType: WebHook, properties: { endpointUrl: /sink/mapped } }
`
const PREFIX = "Required property 'topic' needs to either be a full resource id or should be just the name of the domain topic."

async function post (t: Parameters<typeof buildTestApp>[0], url: string, payload: unknown, contentType = 'application/json') {
  const { app } = await buildTestApp(t, YAML)
  return await app.inject({ method: 'POST', url, payload: JSON.stringify(payload), headers: { 'content-type': contentType } })
}

t.test('a valid batch is accepted with 200 and an empty body', async (t) => {
  const res = await post(t, '/domains/shop/api/events?api-version=2018-01-01', [egEvent({ topic: 'tenant-a' }), egEvent({ topic: `${DOMAIN_ID}/topics/tenant-b` })])
  t.equal(res.statusCode, 200)
  t.equal(res.body, '')
})

t.test('an Event Grid event without topic → 400 InputJsonInvalid naming the event', async (t) => {
  const res = await post(t, '/domains/shop/api/events', [egEvent({ topic: 'tenant-a' }), egEvent()])
  t.equal(azureError(t, res, 400, 'BadRequest', 'InputJsonInvalid'),
    `${PREFIX} Found: . (events[1].topic: use a domain-topic name of 3-128 letters, digits, '-', '_' or '.', or '${DOMAIN_ID}/topics/<name>'.)`)
})

t.test('malformed topics → 400 quoting the value', async (t) => {
  for (const [topic, shown] of [
    ['a b c', 'a b c'],
    ['x', 'x'],
    ['/subscriptions/1/resourceGroups/rg/providers/Microsoft.EventGrid/domains/other/topics/t1', '/subscriptions/1/resourceGroups/rg/providers/Microsoft.EventGrid/domains/other/topics/t1'],
    [`${DOMAIN_ID}/topics/`, `${DOMAIN_ID}/topics/`],
    [42, '42']
  ] as const) {
    const res = await post(t, '/domains/shop/api/events', [egEvent({ topic })])
    const message = azureError(t, res, 400, 'BadRequest', 'InputJsonInvalid')
    t.ok(message.startsWith(`${PREFIX} Found: ${shown}. (events[0].topic:`), message)
  }
})

t.test('the full resource id is matched case-insensitively', async (t) => {
  const res = await post(t, '/domains/shop/api/events', [egEvent({ topic: `${DOMAIN_ID.toLowerCase()}/topics/tenant-a` })])
  t.equal(res.statusCode, 200)
})

t.test('a CloudEvent whose source is not a domain topic → 400 naming source', async (t) => {
  const res = await post(t, '/domains/clouds/api/events', { specversion: '1.0', id: '1', type: 't', source: '/contoso/app' }, 'application/cloudevents+json')
  t.equal(azureError(t, res, 400, 'BadRequest', 'InputJsonInvalid'), 'Required property \'source\' needs to either be a full resource id or should be just the name of the domain topic. Found: /contoso/app. (event.source: use a domain-topic name of 3-128 letters, digits, \'-\', \'_\' or \'.\', or \'/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/local/providers/Microsoft.EventGrid/domains/clouds/topics/<name>\'.)')
})

// Like a CloudEvents topic (and Azure): application/json carries one structured event; an array there is refused.
t.test('a CloudEvents domain takes one event as application/json and refuses an array there with Azure\'s StartArray 400', async (t) => {
  const single = await post(t, '/domains/clouds/api/events', { specversion: '1.0', id: '1', type: 't', source: 'tenant-a' })
  t.equal(single.statusCode, 200)
  t.equal(single.body, '')
  const res = await post(t, '/domains/clouds/api/events', [{ specversion: '1.0', id: '1', type: 't', source: 'tenant-a' }])
  t.equal(azureError(t, res, 400, 'BadRequest', 'InputJsonInvalid'), "This resource is configured to receive event in 'CloudEventV10' schema. " +
    'The JSON received does not conform to the expected schema. Token Expected: StartObject, Actual Token Received: StartArray. ' +
    'A single-event content type carries one event object; send an array as application/cloudevents-batch+json.')
})

t.test('a CloudEvents domain refuses another content type without ce-* headers with 415, as a CloudEvents topic does', async (t) => {
  const res = await post(t, '/domains/clouds/api/events', [{ specversion: '1.0', id: '1', type: 't', source: 'tenant-a' }], 'text/plain')
  t.match(azureError(t, res, 415, 'UnsupportedMediaType', 'InvalidContentType'),
    /^The Content-Type header is either missing or it doesn't have a valid value\. .* Got 'text\/plain'; binary content mode needs the ce-id, ce-source, ce-type and ce-specversion headers\.$/)
})

t.test('an Event Grid domain refuses a non-JSON content type with 415', async (t) => {
  const res = await post(t, '/domains/shop/api/events', [egEvent({ topic: 'tenant-a' })], 'text/plain')
  t.equal(azureError(t, res, 415, 'UnsupportedMediaType', 'InvalidContentType'),
    "The Content-Type header must be application/json for a domain with input schema EventGridSchema, got 'text/plain'.")
})

t.test('an unknown domain → 404 NotFound/DomainNotFound listing the configured domains', async (t) => {
  const res = await post(t, '/domains/nope/api/events', [egEvent({ topic: 'tenant-a' })])
  t.equal(azureError(t, res, 404, 'NotFound', 'DomainNotFound'),
    "Domain 'nope' is not configured. Configured domains: shop, clouds, mapped. Add it under domains: in the config file or check the URL.")
})

t.test('an unsupported api-version → 400 InvalidApiVersion', async (t) => {
  const res = await post(t, '/domains/shop/api/events?api-version=2099-01-01', [egEvent({ topic: 'tenant-a' })])
  t.equal(azureError(t, res, 400, 'BadRequest', 'InvalidApiVersion'),
    "The api-version '2099-01-01' is not supported for publishing. The supported api-version is '2018-01-01'.")
})

t.test('a custom-schema domain reads the domain topic from the mapped field and stamps the resource id', async (t) => {
  const eg = await startTestEmulator(t, YAML)
  const accepted = eg.publishToDomain('mapped', [{ tenant: 'tenant-a', kind: 'Shop.Custom', n: 1 }])
  t.equal(accepted[0]!.eventGrid!.topic, '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/local/providers/Microsoft.EventGrid/domains/mapped/topics/tenant-a')
  await eg.waitForDeliveries((r) => r.outcome === 'Delivered')
  const [event] = eg.sink('mapped').filter((r) => r.headers['aeg-event-type'] === 'Notification').flatMap((r) => r.body as Array<Record<string, unknown>>)
  t.equal(event!.eventType, 'Shop.Custom')
  t.equal(event!.topic, accepted[0]!.eventGrid!.topic)
  t.throws(() => eg.publishToDomain('mapped', [{ kind: 'Shop.Custom' }]), { message: /^Required property 'tenant' needs to either be a full resource id or should be just the name of the domain topic\. Found: \. \(events\[0\]\.tenant:/ })
})

t.test('POST /api/events on the domain port publishes to that domain, with its keys', async (t) => {
  let port = 0
  const eg = await withFreePort(async (free) => {
    port = free
    return await startTestEmulator(t, `
domains:
  shop:
    port: ${port}
    keys: [bG9jYWwtZGV2LWtleQ==]
    topics:
      tenant-a:
        subscriptions:
          to-sink:
            destination: { endpointType: WebHook, properties: { endpointUrl: /sink/orders } }
`)
  })
  const url = `http://127.0.0.1:${port}/api/events?api-version=2018-01-01`
  const denied = await request(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify([egEvent({ topic: 'tenant-a' })]) })
  // Azure's sentence first, then which domain and how to authenticate.
  t.equal(azureError(t, { statusCode: denied.statusCode, headers: denied.headers, body: await denied.body.text() }, 401, 'Unauthorized', 'Unauthorized'),
    "Request must contain one of the following authorization signature: aeg-sas-token, aeg-sas-key. Domain 'shop' requires authentication: " +
    'send the aeg-sas-key header (or query parameter), an aeg-sas-token header, or Authorization: SharedAccessSignature <token>.')
  const ok = await request(url, { method: 'POST', headers: { 'content-type': 'application/json', 'aeg-sas-key': 'bG9jYWwtZGV2LWtleQ==' }, body: JSON.stringify([egEvent({ id: 'via-port', topic: 'tenant-a' })]) })
  t.equal(ok.statusCode, 200)
  await ok.body.dump()
  const [record] = await eg.waitForDeliveries((r) => r.eventIds.includes('via-port') && r.outcome === 'Delivered')
  t.equal(record!.topic, 'shop/tenant-a')
})
