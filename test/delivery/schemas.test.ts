/** Delivery schemas and conversions (reference §2.3–2.4, §5.1), and delivery attribute headers (§3.5). */
import t from 'tap'
import { egEvent, startTestEmulator } from '../helpers/build.js'
import { startReceiver } from '../helpers/receiver.js'

const MAPPING = `
    inputSchemaMapping:
      inputSchemaMappingType: Json
      properties:
        id: { sourceField: orderId }
        eventType: { sourceField: kind, defaultValue: Orders.Unknown }
        subject: { defaultValue: orders }
        dataVersion: { defaultValue: "2.0" }`

function yaml (url: string, inputSchema: string, deliverySchema: string, extraTopic = '', destExtra = ''): string {
  return `
topics:
  tpc:
    inputSchema: ${inputSchema}${extraTopic}
    subscriptions:
      hook:
        validation: skip
        eventDeliverySchema: ${deliverySchema}
        destination: { endpointType: WebHook, properties: { endpointUrl: "${url}/hook"${destExtra} } }
`
}

t.test('Event Grid → Event Grid: array body, application/json, aeg-data-version', async (t) => {
  const r = await startReceiver(t)
  const eg = await startTestEmulator(t, yaml(r.url, 'EventGridSchema', 'EventGridSchema'))
  eg.publish('tpc', [egEvent({ id: 'eg', dataVersion: '3.1' })])
  const [n] = await r.waitFor(1)
  t.equal(n!.headers['content-type'], 'application/json; charset=utf-8')
  t.equal(n!.headers['aeg-data-version'], '3.1')
  t.equal(n!.headers['aeg-metadata-version'], '1')
  t.match(n!.body, [{ id: 'eg', dataVersion: '3.1', metadataVersion: '1' }])
})

t.test('Event Grid → CloudEvents: one object per request, application/cloudevents+json', async (t) => {
  const r = await startReceiver(t)
  const eg = await startTestEmulator(t, yaml(r.url, 'EventGridSchema', 'CloudEventSchemaV1_0'))
  const [accepted] = eg.publish('tpc', [egEvent({ id: 'to-ce', subject: '/s', eventType: 'A.B', eventTime: '2024-01-02T03:04:05Z', data: { k: 1 } })])
  const [n] = await r.waitFor(1)
  t.equal(n!.headers['content-type'], 'application/cloudevents+json; charset=utf-8')
  t.equal(n!.headers['aeg-metadata-version'], '1.0')
  t.equal(n!.headers.origin, 'eventgrid.azure.net')
  t.notOk('aeg-data-version' in n!.headers)
  t.same(n!.body, { id: 'to-ce', source: accepted!.eventGrid!.topic, specversion: '1.0', type: 'A.B', subject: '/s', time: '2024-01-02T03:04:05Z', data: { k: 1 } })
})

t.test('CloudEvents → CloudEvents with batching: an array, application/cloudevents-batch+json, extensions kept', async (t) => {
  const r = await startReceiver(t)
  const eg = await startTestEmulator(t, yaml(r.url, 'CloudEventSchemaV1_0', 'CloudEventSchemaV1_0', '', ', maxEventsPerBatch: 5'))
  const ce = { specversion: '1.0', id: 'c1', source: '/src', type: 'T', myext: 'v', data: { a: 1 } }
  eg.publish('tpc', [ce, { ...ce, id: 'c2' }])
  const [n] = await r.waitFor(1)
  t.equal(n!.headers['content-type'], 'application/cloudevents-batch+json; charset=utf-8')
  t.same(n!.body, [ce, { ...ce, id: 'c2' }])
})

t.test('Custom → Event Grid: envelope from the mapping, data is the original object', async (t) => {
  const r = await startReceiver(t)
  const eg = await startTestEmulator(t, yaml(r.url, 'CustomEventSchema', 'EventGridSchema', MAPPING))
  eg.publish('tpc', [{ orderId: 'o-1', kind: 'Orders.Created', total: 5 }, { total: 6 }])
  await r.waitFor(2)
  const events = r.notifications().map((n) => (n.body as Array<Record<string, unknown>>)[0]!)
  const first = events.find((e) => e.id === 'o-1')!
  t.match(first, { eventType: 'Orders.Created', subject: 'orders', dataVersion: '2.0', metadataVersion: '1', data: { orderId: 'o-1', kind: 'Orders.Created', total: 5 } })
  t.match(first.topic, /Microsoft\.EventGrid\/topics\/tpc$/)
  const second = events.find((e) => e.id !== 'o-1')!
  t.match(second, { eventType: 'Orders.Unknown', id: /^[0-9a-f-]{36}$/, data: { total: 6 } })
})

t.test('Custom → CloudEvents', async (t) => {
  const r = await startReceiver(t)
  const eg = await startTestEmulator(t, yaml(r.url, 'CustomEventSchema', 'CloudEventSchemaV1_0', MAPPING))
  eg.publish('tpc', [{ orderId: 'o-2', kind: 'Orders.Paid' }])
  const [n] = await r.waitFor(1)
  t.match(n!.body, { id: 'o-2', type: 'Orders.Paid', subject: 'orders', specversion: '1.0', data: { orderId: 'o-2' } })
})

t.test('Custom → CustomInputSchema: the original objects, untouched, in an array', async (t) => {
  const r = await startReceiver(t)
  const eg = await startTestEmulator(t, yaml(r.url, 'CustomEventSchema', 'CustomInputSchema', MAPPING))
  eg.publish('tpc', [{ orderId: 'o-3', nested: { x: [1, 2] } }])
  const [n] = await r.waitFor(1)
  t.equal(n!.headers['content-type'], 'application/json; charset=utf-8')
  t.same(n!.body, [{ orderId: 'o-3', nested: { x: [1, 2] } }])
})

t.test('static and dynamic delivery attribute headers', async (t) => {
  const r = await startReceiver(t)
  const eg = await startTestEmulator(t, `
topics:
  tpc:
    subscriptions:
      hook:
        validation: skip
        destination:
          endpointType: WebHook
          properties:
            endpointUrl: "${r.url}/hook"
            deliveryAttributeMappings:
              - { name: Authorization, type: Static, properties: { value: "Bearer abc", isSecret: true } }
              - { name: X-Channel, type: Dynamic, properties: { sourceField: data.system } }
              - { name: X-Count, type: Dynamic, properties: { sourceField: data.count } }
              - { name: X-Subject, type: Dynamic, properties: { sourceField: subject } }
              - { name: X-Missing, type: Dynamic, properties: { sourceField: data.nope } }
              - { name: X-Object, type: Dynamic, properties: { sourceField: data } }
`)
  eg.publish('tpc', [egEvent({ subject: 'subj', data: { system: 'sales', count: 3 } })])
  const [n] = await r.waitFor(1)
  t.match(n!.headers, { authorization: 'Bearer abc', 'x-channel': 'sales', 'x-count': '3', 'x-subject': 'subj' })
  t.notOk('x-missing' in n!.headers, 'a missing field adds no header')
  t.notOk('x-object' in n!.headers, 'an object value adds no header')
  const sub = eg.emulator.describe(eg.emulator.topic('tpc')!.subscriptions.get('hook')!) as { properties: { destination: { properties: { deliveryAttributeMappings: Array<{ properties: { value?: string } }> } } } }
  t.equal(sub.properties.destination.properties.deliveryAttributeMappings[0]!.properties.value, undefined, 'secret values are hidden on reads')
})
