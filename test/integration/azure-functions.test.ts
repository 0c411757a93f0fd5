/** AzureFunction destinations go to a local Functions host's Event Grid trigger endpoint, without a handshake. */
import t from 'tap'
import { startFunctionsHost } from '../../samples/azure-functions/functions-host.js'
import { egEvent, startTestEmulator } from '../helpers/build.js'

const FN_ID = '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/local/providers/Microsoft.Web/sites/my-app/functions/'

t.test('events reach the function through /runtime/webhooks/EventGrid?functionName=NAME and get 202', async (t) => {
  const received: unknown[][] = []
  const host = await startFunctionsHost({ OnOrder: (events) => { received.push(events) } }, 0)
  t.teardown(async () => { await host.app.close() })
  const eg = await startTestEmulator(t, `
delivery: { azureFunctionsHostUrl: "${host.url}" }
topics:
  orders:
    subscriptions:
      func-sub:
        destination: { endpointType: AzureFunction, properties: { resourceId: "${FN_ID}OnOrder", maxEventsPerBatch: 10 } }
`)
  eg.publish('orders', [egEvent({ id: 'f1' }), egEvent({ id: 'f2' })])
  const [record] = await eg.waitForDeliveries((r) => r.outcome === 'Delivered')
  t.equal(record!.status, 202, 'the Functions host answers 202 Accepted, a success')
  t.same(received.flat().map((e) => (e as { id: string }).id), ['f1', 'f2'])
  t.equal(eg.deliveries({ status: 'Waiting' }).length, 0, 'no handshake wait')
})

t.test('a function that is not registered gets 404 from the host, which Event Grid retries', async (t) => {
  const host = await startFunctionsHost({ Other: () => {} }, 0)
  t.teardown(async () => { await host.app.close() })
  const eg = await startTestEmulator(t, `
delivery: { timeScale: 0.001, azureFunctionsHostUrl: "${host.url}" }
topics:
  orders:
    subscriptions:
      func-sub:
        destination: { endpointType: AzureFunction, properties: { resourceId: "${FN_ID}Missing" } }
        retryPolicy: { maxDeliveryAttempts: 2 }
`)
  eg.publish('orders', [egEvent({ id: 'lost' })])
  const [dropped] = await eg.waitForDeliveries((r) => r.outcome === 'Dropped')
  t.equal(eg.deliveries({ eventId: 'lost', status: '404' }).length, 2)
  t.match(dropped!.reason, /MaxDeliveryAttemptsExceeded/)
})

t.test('a throwing function → 500 → retried, then succeeds', async (t) => {
  let calls = 0
  const host = await startFunctionsHost({ Flaky: () => { if (++calls === 1) throw new Error('boom') } }, 0)
  t.teardown(async () => { await host.app.close() })
  const eg = await startTestEmulator(t, `
delivery: { timeScale: 0.001, azureFunctionsHostUrl: "${host.url}" }
topics:
  orders:
    subscriptions:
      func-sub:
        destination: { endpointType: AzureFunction, properties: { resourceId: "${FN_ID}Flaky" } }
`)
  eg.publish('orders', [egEvent({ id: 'flaky' })])
  await eg.waitForDeliveries((r) => r.outcome === 'Delivered')
  t.same(eg.deliveries({ eventId: 'flaky' }).map((r) => r.status), [500, 202])
})

t.test('config errors for AzureFunction destinations', async (t) => {
  const { parseConfig } = await import('../../src/config/load-config.js')
  t.throws(() => parseConfig(`
topics:
  orders:
    subscriptions:
      func-sub:
        destination: { endpointType: AzureFunction, properties: { resourceId: /subscriptions/x/providers/Microsoft.Web/sites/app } }
`, 'c.yaml', {}), { message: /c\.yaml:6:\d+ .*resourceId: '\/subscriptions\/x\/providers\/Microsoft\.Web\/sites\/app' is not a function resource id/ })
  t.throws(() => parseConfig(`
topics:
  orders:
    subscriptions:
      func-sub:
        destination: { endpointType: AzureFunction, properties: {} }
`, 'c.yaml', {}), { message: /an AzureFunction destination needs 'resourceId'/ })
})
