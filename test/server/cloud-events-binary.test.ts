/**
 * CloudEvents binary content mode on CloudEvents topics: `ce-*` headers carry the attributes, the body is the
 * data in any content type; what the receiver gets is a structured CloudEvent with the extensions kept.
 * Runs against the shared-port route and a topic's own port.
 */
import type { Test } from 'tap'
import t from 'tap'
import { request } from 'undici'
import { startTestEmulator } from '../helpers/build.js'
import { withFreePort } from '../helpers/free-port.js'
import { startReceiver, type Receiver } from '../helpers/receiver.js'

const KEY = 'bG9jYWwtZGV2LWtleQ=='
const REQUIRED = { 'ce-id': 'b-1', 'ce-source': '/contoso/orders', 'ce-type': 'Contoso.Orders.Created', 'ce-specversion': '1.0' }
const HINT = 'Please check required attributes at https://github.com/cloudevents/spec/blob/v1.0/spec.md#required-attributes'
const SUFFIX = / Report '[0-9a-f-]{36}:[^']+ \(UTC\)' to our forums for assistance or raise a support ticket\.$/

/** An emulator whose CloudEvents topic has its own port and delivers to a receiver; both publish URLs. */
async function setup (t: Test): Promise<{ receiver: Receiver, urls: Array<[string, string]> }> {
  const receiver = await startReceiver(t)
  let port = 0
  const eg = await withFreePort(async (free) => {
    port = free
    return await startTestEmulator(t, `
topics:
  clouds:
    inputSchema: CloudEventSchemaV1_0
    port: ${port}
    keys: [${KEY}]
    subscriptions:
      hook:
        validation: skip
        eventDeliverySchema: CloudEventSchemaV1_0
        destination: { endpointType: WebHook, properties: { endpointUrl: "${receiver.url}/hook" } }
`)
  })
  return { receiver, urls: [['shared port', `${eg.url}/topics/clouds/api/events`], ['topic port', `http://127.0.0.1:${port}/api/events`]] }
}

async function post (url: string, headers: Record<string, string>, body: string | Buffer): Promise<{ status: number, json: () => { error: { code: string, message: string, details: Array<{ code: string, message: string }> } } }> {
  const res = await request(url, { method: 'POST', headers: { 'aeg-sas-key': KEY, ...headers }, body })
  const text = await res.body.text()
  return { status: res.statusCode, json: () => JSON.parse(text) }
}

t.test('binary mode with JSON, text and binary data: delivered as structured CloudEvents with extensions', async (t) => {
  const { receiver, urls } = await setup(t)
  let n = 0
  for (const [name, url] of urls) {
    const json = await post(url, { ...REQUIRED, 'ce-id': `json-${name}`, 'ce-subject': 'orders/1', 'ce-time': '2024-05-01T12:00:00Z', 'ce-tenant': 'contoso', 'ce-traceparent': '00-abc-01', 'content-type': 'application/json' }, '{"orderId":1}')
    t.equal(json.status, 200, `${name} json`)
    const text = await post(url, { ...REQUIRED, 'ce-id': `text-${name}`, 'ce-note': 'caf%C3%A9', 'content-type': 'text/plain; charset=utf-8' }, 'hello')
    t.equal(text.status, 200, `${name} text`)
    const bytes = await post(url, { ...REQUIRED, 'ce-id': `bin-${name}`, 'content-type': 'application/octet-stream' }, Buffer.from([0, 1, 2, 255]))
    t.equal(bytes.status, 200, `${name} bytes`)
    n += 3
    const got = (await receiver.waitFor(n)).map((r) => r.body as Record<string, unknown>)
    t.same(got.find((e) => e.id === `json-${name}`), {
      id: `json-${name}`,
      source: '/contoso/orders',
      type: 'Contoso.Orders.Created',
      specversion: '1.0',
      subject: 'orders/1',
      time: '2024-05-01T12:00:00Z',
      tenant: 'contoso',
      traceparent: '00-abc-01',
      datacontenttype: 'application/json',
      data: { orderId: 1 }
    })
    t.same(got.find((e) => e.id === `text-${name}`), {
      id: `text-${name}`, source: '/contoso/orders', type: 'Contoso.Orders.Created', specversion: '1.0', note: 'café', datacontenttype: 'text/plain; charset=utf-8', data: 'hello'
    }, 'percent-encoded header values are decoded')
    t.same(got.find((e) => e.id === `bin-${name}`), {
      id: `bin-${name}`, source: '/contoso/orders', type: 'Contoso.Orders.Created', specversion: '1.0', datacontenttype: 'application/octet-stream', data_base64: 'AAEC/w=='
    })
  }
})

t.test('a missing or empty required ce-* header → 400 BadRequest/InvalidCloudEventHeader naming it', async (t) => {
  const { urls } = await setup(t)
  for (const [name, url] of urls) {
    for (const header of Object.keys(REQUIRED)) {
      const without: Record<string, string> = { ...REQUIRED, 'content-type': 'application/json' }
      delete without[header]
      const missing = await post(url, without, '{}')
      t.equal(missing.status, 400, `${name} without ${header}`)
      const { error } = missing.json()
      t.equal(error.code, 'BadRequest')
      t.equal(error.details[0]!.code, 'InvalidCloudEventHeader')
      t.equal(error.message.replace(SUFFIX, ''), `${header} header is missing for the cloud event. ${HINT}`)
      t.equal(error.message, error.details[0]!.message)
      const empty = await post(url, { ...REQUIRED, [header]: '', 'content-type': 'application/json' }, '{}')
      t.equal(empty.status, 400)
      t.equal(empty.json().error.message.replace(SUFFIX, ''), `${header} header is empty for the cloud event. ${HINT}`)
    }
    const badName = await post(url, { ...REQUIRED, 'ce-Bad_Name': 'x', 'content-type': 'application/json' }, '{}')
    t.equal(badName.status, 400)
    t.equal(badName.json().error.details[0]!.code, 'InvalidCloudEventHeader')
    t.match(badName.json().error.message, /^Header 'ce-bad_name' does not name a valid CloudEvents attribute/)
    const badTime = await post(url, { ...REQUIRED, 'ce-time': 'yesterday', 'content-type': 'application/json' }, '{}')
    t.equal(badTime.status, 400)
    t.match(badTime.json().error.message, /^ce-time header must be an RFC 3339 date-time, got "yesterday"\./)
    const emptyJson = await post(url, { ...REQUIRED, 'content-type': 'application/json' }, '')
    t.equal(emptyJson.status, 400)
    t.equal(emptyJson.json().error.details[0]!.code, 'InputJsonInvalid')
  }
})

t.test('a structured content type wins over ce-* headers; binary mode is for CloudEvents topics only', async (t) => {
  const { receiver, urls } = await setup(t)
  const [, url] = urls[0]!
  const structured = await post(url, { ...REQUIRED, 'content-type': 'application/cloudevents+json' }, JSON.stringify({ specversion: '1.0', id: 'from-body', source: '/s', type: 'T' }))
  t.equal(structured.status, 200)
  const [n] = await receiver.waitFor(1)
  t.equal((n!.body as { id: string }).id, 'from-body')
  const eg = await startTestEmulator(t, 'topics:\n  plain:\n    subscriptions: {}\n')
  const onEventGrid = await post(`${eg.url}/topics/plain/api/events`, { ...REQUIRED, 'content-type': 'text/plain' }, 'hi')
  t.equal(onEventGrid.status, 415, 'an Event Grid topic ignores ce-* headers and wants application/json')
  t.equal(onEventGrid.json().error.details[0]!.code, 'InvalidContentType')
})
