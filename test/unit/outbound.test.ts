/** What a webhook receives, built without a socket: body per schema, Event Grid's headers, delivery attributes. */
import t from 'tap'
import { attributeHeaders, buildOutbound, readPath } from '../../src/domain/delivery-rules/outbound.js'
import type { AcceptedEvent, EventGridEvent } from '../../src/domain/events.js'

function egAccepted (id: string, data: Record<string, unknown> = { n: 1 }): AcceptedEvent {
  const eventGrid: EventGridEvent = { id, topic: '/subscriptions/x/resourceGroups/r/providers/Microsoft.EventGrid/topics/t', subject: '/s', eventType: 'Demo.Created', eventTime: '2024-05-01T12:00:00Z', data, dataVersion: '2.0', metadataVersion: '1' }
  return { inputSchema: 'EventGridSchema', eventGrid, id, type: eventGrid.eventType, publishTime: '2024-05-01T12:00:01Z' } as AcceptedEvent
}

const settings = { subscriptionName: 'my-Hook', deliverySchema: 'EventGridSchema' as const, batching: false, attributeMappings: [] }

t.test('Event Grid schema: an array body and the aeg-* headers, delivery count from prior attempts', async (t) => {
  const msg = buildOutbound([egAccepted('a'), egAccepted('b')], settings, 2)
  t.same(JSON.parse(msg.body).map((e: { id: string }) => e.id), ['a', 'b'])
  t.same(msg.headers, {
    'content-type': 'application/json; charset=utf-8',
    'aeg-metadata-version': '1',
    'aeg-data-version': '2.0',
    'aeg-event-type': 'Notification',
    'aeg-subscription-name': 'MY-HOOK',
    'aeg-delivery-count': '2'
  })
})

t.test('CloudEvents: one object per request unless the subscription batches, then an array with the batch type', async (t) => {
  const single = buildOutbound([egAccepted('a')], { ...settings, deliverySchema: 'CloudEventSchemaV1_0' }, 0)
  t.match(JSON.parse(single.body), { specversion: '1.0', id: 'a', type: 'Demo.Created', source: String, subject: '/s', data: { n: 1 } })
  t.equal(single.headers['content-type'], 'application/cloudevents+json; charset=utf-8')
  t.equal(single.headers['aeg-metadata-version'], '1.0')
  t.equal(single.headers.origin, 'eventgrid.azure.net')
  t.notOk('aeg-data-version' in single.headers)
  const batch = buildOutbound([egAccepted('a'), egAccepted('b')], { ...settings, deliverySchema: 'CloudEventSchemaV1_0', batching: true }, 0)
  t.equal(batch.headers['content-type'], 'application/cloudevents-batch+json; charset=utf-8')
  t.equal(JSON.parse(batch.body).length, 2)
})

t.test('delivery attributes: static values, dynamic fields from the first event, never overriding aeg-* headers', async (t) => {
  const mappings = [
    { name: 'x-static', type: 'Static' as const, properties: { value: 'v', isSecret: true } },
    { name: 'x-dyn', type: 'Dynamic' as const, properties: { sourceField: 'data.Nested.VALUE' } },
    { name: 'x-missing', type: 'Dynamic' as const, properties: { sourceField: 'data.nope' } },
    { name: 'x-object', type: 'Dynamic' as const, properties: { sourceField: 'data.nested' } },
    { name: 'aeg-event-type', type: 'Static' as const, properties: { value: 'Spoofed' } }
  ]
  const msg = buildOutbound([egAccepted('a', { nested: { value: 42 } })], { ...settings, attributeMappings: mappings }, 0)
  t.equal(msg.headers['x-static'], 'v')
  t.equal(msg.headers['x-dyn'], '42', 'matched case-insensitively, rendered as text')
  t.notOk('x-missing' in msg.headers, 'a missing field adds no header')
  t.notOk('x-object' in msg.headers, 'an object adds no header')
  t.equal(msg.headers['aeg-event-type'], 'Notification', 'a mapping cannot replace an aeg-* header')
  t.same(attributeHeaders([], {}), {})
})

t.test('readPath: exact names first, then case-insensitive; arrays and scalars end the walk', async (t) => {
  const doc = { data: { A: 1, a: 2, list: [1], s: 'x' } }
  t.equal(readPath(doc, 'data.a'), 2)
  t.equal(readPath(doc, 'DATA.A'), 1)
  t.equal(readPath(doc, 'data.list.0'), undefined)
  t.equal(readPath(doc, 'data.s.length'), undefined)
})
