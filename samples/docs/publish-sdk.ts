import { AzureKeyCredential, AzureSASCredential, EventGridPublisherClient, generateSharedAccessSignature } from '@azure/eventgrid'

// The `orders` topic and key of config.example.yaml: npx eventgrid-emulator serve --config config.example.yaml
const endpoint = 'http://127.0.0.1:4000/topics/orders/api/events'
const key = new AzureKeyCredential('bG9jYWwtZGV2LWtleQ==')
// @azure/eventgrid 5.x refuses plain http:// unless the client allows it.
const client = new EventGridPublisherClient(endpoint, 'EventGrid', key, { allowInsecureConnection: true })
await client.send([{ eventType: 'Contoso.Items.ItemReceived', subject: 'items/1', dataVersion: '1.0', data: { sku: 'abc' } }])

// Or with a SAS token; generateSharedAccessSignature returns a Promise.
const sas = await generateSharedAccessSignature(endpoint, key, new Date(Date.now() + 60 * 60 * 1000))
const sasClient = new EventGridPublisherClient(endpoint, 'EventGrid', new AzureSASCredential(sas), { allowInsecureConnection: true })
await sasClient.send([{ eventType: 'Contoso.Items.ItemReceived', subject: 'items/2', dataVersion: '1.0', data: { sku: 'def' } }])
