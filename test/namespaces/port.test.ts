/** A namespace with its own `port:` serves its data plane at that port's root, like a real namespace host. */
import { AzureKeyCredential, EventGridReceiverClient, EventGridSenderClient } from '@azure/eventgrid-namespaces'
import t from 'tap'
import { startTestEmulator } from '../helpers/build.js'
import { withFreePort } from '../helpers/free-port.js'
import { KEY } from './ns-helpers.js'

t.test('the SDK pointed at http://127.0.0.1:<port> publishes and receives', async (t) => {
  let port = 0
  await withFreePort(async (free) => {
    port = free
    return await startTestEmulator(t, `
namespaces:
  orders-ns:
    port: ${port}
    keys: [${KEY}]
    topics:
      orders:
        eventSubscriptions:
          worker: { deliveryConfiguration: { deliveryMode: Queue } }
`)
  })
  const endpoint = `http://127.0.0.1:${port}`
  const options = { allowInsecureConnection: true }
  await new EventGridSenderClient(endpoint, new AzureKeyCredential(KEY), 'orders', options).sendEvents({ id: 'via-port', type: 'T', source: '/s' })
  const receiver = new EventGridReceiverClient(endpoint, new AzureKeyCredential(KEY), 'orders', 'worker', options)
  const got = await receiver.receiveEvents({ maxWaitTime: 10 })
  t.equal(got.details[0]!.event.id, 'via-port')
  const refused = await new EventGridSenderClient(endpoint, new AzureKeyCredential('d3Jvbmc='), 'orders', options).sendEvents({ id: 'x', type: 'T', source: '/s' }).then(() => undefined, (err: { statusCode?: number }) => err)
  t.equal(refused?.statusCode, 401)
})
