/**
 * Event domains through the official SDK: EventGridPublisherClient publishes to a domain endpoint exactly as to a
 * topic endpoint (key and SAS), each event naming its domain topic; domain-topic and domain-scope subscriptions
 * receive what they should, stamped with the domain topic's resource id.
 */
import { AzureKeyCredential, AzureSASCredential, EventGridPublisherClient, generateSharedAccessSignature } from '@azure/eventgrid'
import t from 'tap'
import { startTestEmulator } from '../helpers/build.js'

const KEY = 'ZG9tYWluLWtleQ=='
const DOMAIN_ID = '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/local/providers/Microsoft.EventGrid/domains/shop'
const sink = (name: string): string => `{ destination: { endpointType: WebHook, properties: { endpointUrl: /sink/${name} } } }`
const YAML = `
domains:
  shop:
    keys: ["${KEY}"]
    subscriptions:
      audit: ${sink('audit')}
    topics:
      tenant-a:
        subscriptions:
          a-orders: ${sink('tenant-a')}
      tenant-b:
        subscriptions:
          b-orders: ${sink('tenant-b')}
  clouds:
    inputSchema: CloudEventSchemaV1_0
    keys: ["${KEY}"]
    subscriptions:
      all: ${sink('clouds-all')}
    topics:
      tenant-a:
        subscriptions:
          ce-a: ${sink('clouds-a')}
`

type Event = Record<string, unknown>
const notifications = (eg: Awaited<ReturnType<typeof startTestEmulator>>, name: string): Event[] =>
  eg.sink(name).filter((r) => r.headers['aeg-event-type'] === 'Notification').flatMap((r) => r.body as Event[])

t.test('Event Grid schema with AzureKeyCredential: each event reaches its domain topic and the domain scope', async (t) => {
  const eg = await startTestEmulator(t, YAML)
  const client = new EventGridPublisherClient(`${eg.url}/domains/shop/api/events`, 'EventGrid', new AzureKeyCredential(KEY), { allowInsecureConnection: true })
  await client.send([
    { topic: 'tenant-a', eventType: 'Shop.Order', subject: 'o/1', dataVersion: '1.0', data: { n: 1 } },
    { topic: `${DOMAIN_ID}/topics/tenant-b`, eventType: 'Shop.Order', subject: 'o/2', dataVersion: '1.0', data: { n: 2 } }
  ])
  // One event per request: tenant-a and tenant-b one delivery each, the domain scope's audit one per event.
  await eg.waitForDeliveries((r) => r.outcome === 'Delivered', 4)
  const a = notifications(eg, 'tenant-a')
  const b = notifications(eg, 'tenant-b')
  t.same(a.map((e) => (e.data as { n: number }).n), [1], 'tenant-a got only its event')
  t.same(b.map((e) => (e.data as { n: number }).n), [2], 'tenant-b got only its event (published by full resource id)')
  t.equal(a[0]!.topic, `${DOMAIN_ID}/topics/tenant-a`, 'stamped with the domain topic resource id')
  t.equal(b[0]!.topic, `${DOMAIN_ID}/topics/tenant-b`)
  t.same(notifications(eg, 'audit').map((e) => (e.data as { n: number }).n).sort(), [1, 2], 'the domain-scope subscription saw both')
  const log = eg.deliveries().filter((r) => r.outcome === 'Delivered').map((r) => `${r.topic}:${r.subscription}`).sort()
  t.same(log, ['shop/tenant-a:a-orders', 'shop/tenant-b:b-orders', 'shop:audit', 'shop:audit'].sort(), 'the delivery log names domain scopes')
})

t.test('Event Grid schema with AzureSASCredential from generateSharedAccessSignature', async (t) => {
  const eg = await startTestEmulator(t, YAML)
  const endpoint = `${eg.url}/domains/shop/api/events`
  const sas = await generateSharedAccessSignature(endpoint, new AzureKeyCredential(KEY), new Date(Date.now() + 10 * 60 * 1000))
  const client = new EventGridPublisherClient(endpoint, 'EventGrid', new AzureSASCredential(sas), { allowInsecureConnection: true })
  await client.send([{ topic: 'tenant-b', eventType: 'Sas.Test', subject: 's', dataVersion: '1', data: {} }])
  await eg.waitForDeliveries((r) => r.outcome === 'Delivered', 2)
  t.equal(notifications(eg, 'tenant-b').length, 1)
  t.equal(notifications(eg, 'audit').length, 1)
})

t.test('CloudEvents domain: source names the domain topic and is delivered as published', async (t) => {
  const eg = await startTestEmulator(t, YAML)
  const endpoint = `${eg.url}/domains/clouds/api/events`
  const byKey = new EventGridPublisherClient(endpoint, 'CloudEvent', new AzureKeyCredential(KEY), { allowInsecureConnection: true })
  await byKey.send([{ type: 'Shop.Ce', source: 'tenant-a', data: { n: 1 } }, { type: 'Shop.Ce', source: 'tenant-z', data: { n: 2 } }])
  const sas = await generateSharedAccessSignature(endpoint, new AzureKeyCredential(KEY), new Date(Date.now() + 60_000))
  const bySas = new EventGridPublisherClient(endpoint, 'CloudEvent', new AzureSASCredential(sas), { allowInsecureConnection: true })
  await bySas.send([{ type: 'Shop.Ce', source: 'tenant-a', data: { n: 3 } }])
  // Five deliveries are due: n1 to ce-a and all, n2 to all, n3 to ce-a and all.
  await eg.waitForDeliveries((r) => r.outcome === 'Delivered', 5)
  const a = notifications(eg, 'clouds-a')
  t.same(a.map((e) => (e.data as { n: number }).n).sort(), [1, 3], 'domain topic tenant-a got its two events')
  t.equal(a[0]!.source, 'tenant-a', 'source kept as published')
  t.same(notifications(eg, 'clouds-all').map((e) => (e.data as { n: number }).n).sort(), [1, 2, 3],
    'the domain scope also saw the event of tenant-z, a domain topic no subscription created')
})

t.test('events without a domain topic get Azure\'s 400 through the SDK', async (t) => {
  const eg = await startTestEmulator(t, YAML)
  const client = new EventGridPublisherClient(`${eg.url}/domains/shop/api/events`, 'EventGrid', new AzureKeyCredential(KEY), { allowInsecureConnection: true })
  const err = await client.send([{ eventType: 'x', subject: 's', dataVersion: '1', data: {} }]).then(() => undefined, (e: unknown) => e as { statusCode?: number, message: string, code?: string })
  t.equal(err?.statusCode, 400)
  t.equal(err?.code, 'BadRequest')
  t.match(err?.message, /^Required property 'topic' needs to either be a full resource id or should be just the name of the domain topic\. Found: \./)
  t.equal(eg.deliveries().length, 0, 'nothing of the request was accepted')
})

t.test('a wrong key gets 401 naming the domain', async (t) => {
  const eg = await startTestEmulator(t, YAML)
  const client = new EventGridPublisherClient(`${eg.url}/domains/shop/api/events`, 'EventGrid', new AzureKeyCredential('d3Jvbmc='), { allowInsecureConnection: true })
  const err = await client.send([{ topic: 'tenant-a', eventType: 'x', subject: 's', dataVersion: '1', data: {} }]).then(() => undefined, (e: unknown) => e as { statusCode?: number, message: string, code?: string })
  t.equal(err?.statusCode, 401)
  t.equal(err?.code, 'Unauthorized')
  // Azure's sentence (naming the host the client used), the emulator's hint, then Azure's suffix.
  t.match(err?.message, /^The request authorization key is not authorized for 127\.0\.0\.1:\d+\. The access key in aeg-sas-key is not valid for domain 'shop'; use one of the keys configured under domains\.shop\.keys\. Report '[0-9a-f-]{36}:[^']+ \(UTC\)' to our forums for assistance or raise a support ticket\.$/)
})
