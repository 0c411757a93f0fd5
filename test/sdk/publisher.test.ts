/**
 * The official SDK publishes to the emulator exactly as it would to Azure: EventGridPublisherClient with
 * AzureKeyCredential and AzureSASCredential, for the Event Grid and CloudEvents schemas.
 */
import { AzureKeyCredential, AzureSASCredential, EventGridPublisherClient, generateSharedAccessSignature } from '@azure/eventgrid'
import t from 'tap'
import { startTestEmulator } from '../helpers/build.js'
import { withFreePort } from '../helpers/free-port.js'

const KEY = 'bG9jYWwtZGV2LWtleQ=='
const YAML = `
topics:
  orders:
    keys: ["${KEY}"]
    subscriptions:
      to-sink:
        destination: { endpointType: WebHook, properties: { endpointUrl: /sink/orders } }
  clouds:
    inputSchema: CloudEventSchemaV1_0
    keys: ["${KEY}"]
    subscriptions:
      to-sink:
        destination: { endpointType: WebHook, properties: { endpointUrl: /sink/clouds } }
`

t.test('EventGridPublisherClient, Event Grid schema, AzureKeyCredential → delivered', async (t) => {
  const eg = await startTestEmulator(t, YAML)
  const client = new EventGridPublisherClient(`${eg.url}/topics/orders/api/events`, 'EventGrid', new AzureKeyCredential(KEY), { allowInsecureConnection: true })
  await client.send([{ eventType: 'Contoso.Items.ItemReceived', subject: 'items/1', dataVersion: '1.0', data: { itemSku: 'abc' } }])
  await eg.waitForDeliveries((r) => r.subscription === 'to-sink' && r.outcome === 'Delivered')
  const [request] = eg.sink('orders').filter((r) => r.headers['aeg-event-type'] === 'Notification')
  const [event] = request!.body as Array<Record<string, unknown>>
  t.equal(event!.eventType, 'Contoso.Items.ItemReceived')
  t.equal(event!.topic, '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/local/providers/Microsoft.EventGrid/topics/orders')
  t.equal(event!.metadataVersion, '1')
  t.same(event!.data, { itemSku: 'abc' })
})

t.test('EventGridPublisherClient, Event Grid schema, AzureSASCredential from generateSharedAccessSignature', async (t) => {
  const eg = await startTestEmulator(t, YAML)
  const endpoint = `${eg.url}/topics/orders/api/events`
  const sas = await generateSharedAccessSignature(endpoint, new AzureKeyCredential(KEY), new Date(Date.now() + 10 * 60 * 1000))
  const client = new EventGridPublisherClient(endpoint, 'EventGrid', new AzureSASCredential(sas), { allowInsecureConnection: true })
  await client.send([{ eventType: 'Sas.Test', subject: 's', dataVersion: '1', data: {} }])
  const [record] = await eg.waitForDeliveries((r) => r.outcome === 'Delivered')
  t.ok(record)
})

t.test('EventGridPublisherClient, CloudEvents schema, key and SAS', async (t) => {
  const eg = await startTestEmulator(t, YAML)
  const endpoint = `${eg.url}/topics/clouds/api/events`
  const byKey = new EventGridPublisherClient(endpoint, 'CloudEvent', new AzureKeyCredential(KEY), { allowInsecureConnection: true })
  await byKey.send([{ type: 'Contoso.Ce', source: '/contoso/items', data: { n: 1 }, extensionAttributes: { tenant: 'x' } }])
  const sas = await generateSharedAccessSignature(endpoint, new AzureKeyCredential(KEY), new Date(Date.now() + 60_000))
  const bySas = new EventGridPublisherClient(endpoint, 'CloudEvent', new AzureSASCredential(sas), { allowInsecureConnection: true })
  await bySas.send([{ type: 'Contoso.Ce', source: '/contoso/items', data: { n: 2 } }])
  await eg.waitForDeliveries((r) => r.outcome === 'Delivered', 2)
  const events = eg.sink('clouds').filter((r) => r.headers['aeg-event-type'] === 'Notification').map((r) => r.body as Record<string, unknown>)
  t.same(events.map((e) => (e.data as { n: number }).n).sort(), [1, 2])
  t.equal(events.find((e) => (e.data as { n: number }).n === 1)!.tenant, 'x', 'extension attribute kept')
})

t.test('a wrong key gets 401 through the SDK', async (t) => {
  const eg = await startTestEmulator(t, YAML)
  const client = new EventGridPublisherClient(`${eg.url}/topics/orders/api/events`, 'EventGrid', new AzureKeyCredential('d3Jvbmc='), { allowInsecureConnection: true })
  const err = await client.send([{ eventType: 'x', subject: 's', dataVersion: '1', data: {} }]).then(() => undefined, (e: unknown) => e as { statusCode?: number, message: string })
  t.equal(err?.statusCode, 401)
  t.match(err?.message, /not valid for topic 'orders'/)
})

t.test('an expired SAS token gets 401 through the SDK', async (t) => {
  const eg = await startTestEmulator(t, YAML)
  const endpoint = `${eg.url}/topics/orders/api/events`
  const sas = await generateSharedAccessSignature(endpoint, new AzureKeyCredential(KEY), new Date(Date.now() - 60_000))
  const client = new EventGridPublisherClient(endpoint, 'EventGrid', new AzureSASCredential(sas), { allowInsecureConnection: true })
  const err = await client.send([{ eventType: 'x', subject: 's', dataVersion: '1', data: {} }]).then(() => undefined, (e: unknown) => e as { statusCode?: number, message: string })
  t.equal(err?.statusCode, 401)
  t.match(err?.message, /expired/)
})

t.test('a SAS token signed with another key gets 401', async (t) => {
  const eg = await startTestEmulator(t, YAML)
  const endpoint = `${eg.url}/topics/orders/api/events`
  const sas = await generateSharedAccessSignature(endpoint, new AzureKeyCredential('b3RoZXIta2V5'), new Date(Date.now() + 60_000))
  const client = new EventGridPublisherClient(endpoint, 'EventGrid', new AzureSASCredential(sas), { allowInsecureConnection: true })
  const err = await client.send([{ eventType: 'x', subject: 's', dataVersion: '1', data: {} }]).then(() => undefined, (e: unknown) => e as { statusCode?: number, message: string })
  t.equal(err?.statusCode, 401)
  t.match(err?.message, /signature does not match/)
})

t.test('SAS is scoped: a correctly signed token for another topic is 401 (shared port and a topic\'s own port)', async (t) => {
  let port = 0
  const eg = await withFreePort(async (free) => {
    port = free
    return await startTestEmulator(t, `
topics:
  orders:
    keys: [${KEY}]
    subscriptions: {}
  invoices:
    keys: [${KEY}]
    port: ${port}
    subscriptions: {}
`)
  })
  const expires = new Date(Date.now() + 60_000)
  const ordersUrl = `${eg.url}/topics/orders/api/events`
  const invoicesUrl = `http://127.0.0.1:${port}/api/events`
  for (const [target, tokenFor] of [[ordersUrl, `${eg.url}/topics/invoices/api/events`], [invoicesUrl, ordersUrl]]) {
    const sas = await generateSharedAccessSignature(tokenFor!, new AzureKeyCredential(KEY), expires)
    const client = new EventGridPublisherClient(target!, 'EventGrid', new AzureSASCredential(sas), { allowInsecureConnection: true })
    const err = await client.send([{ eventType: 'Sas.Scope', subject: 's', dataVersion: '1', data: {} }]).then(() => undefined, (e: unknown) => e as { statusCode?: number, message: string })
    t.equal(err?.statusCode, 401)
    t.match(err?.message, /does not match the topic endpoint/)
    const own = await generateSharedAccessSignature(target!, new AzureKeyCredential(KEY), expires)
    await new EventGridPublisherClient(target!, 'EventGrid', new AzureSASCredential(own), { allowInsecureConnection: true })
      .send([{ eventType: 'Sas.Scope', subject: 's', dataVersion: '1', data: {} }])
    t.pass(`a token for ${target!} is accepted there`)
  }
})
