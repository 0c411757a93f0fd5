/**
 * The dashboard in real headless Chromium: a published event appears live; replay produces a second delivery;
 * the ACS form emits an event that reaches a subscription; re-validate turns a Creating subscription Succeeded
 * once its receiver starts; the subscription form shows the API's validation errors.
 */
import t, { type Test } from 'tap'
import { request } from 'undici'
import { egEvent, startTestEmulator } from '../helpers/build.js'
import { browserMissing, launchBrowser } from '../helpers/browser.js'
import { withFreePort } from '../helpers/free-port.js'
import { startReceiver } from '../helpers/receiver.js'

const missing = browserMissing()
if (missing !== undefined) {
  t.plan(0, `skipped: ${missing}`)
  process.exit(0)
}
const browser = await launchBrowser()
t.teardown(browser.close)

async function openPage (t: Test, url: string, hash: string): Promise<import('playwright-core').Page> {
  const page = await browser.context.newPage()
  // Closed before the emulator (teardowns run in order, and the emulator's came first): an open page keeps
  // connections and reconnects its event stream while the server is shutting down.
  t.teardown(async () => { await page.close() })
  // Anything loaded from outside the emulator, or any script error, fails the test on the spot.
  page.on('request', (r) => { if (!r.url().startsWith(url)) t.fail(`the dashboard requested ${r.url()}`) })
  page.on('pageerror', (err) => { t.fail(`script error in the page: ${err.message}`) })
  await page.goto(`${url}/`)
  t.equal(page.url(), `${url}/ui/`, 'GET / redirects to /ui/')
  await page.evaluate(`location.hash = ${JSON.stringify(hash)}`)
  await page.waitForSelector('#stream-status:text("live")')
  return page
}

t.test('a published event appears live; replay from its detail produces a second delivery', async (t) => {
  const receiver = await startReceiver(t)
  const eg = await startTestEmulator(t, `
topics:
  orders:
    subscriptions:
      hook:
        destination: { endpointType: WebHook, properties: { endpointUrl: "${receiver.url}/hook" } }
`)
  const page = await openPage(t, eg.url, 'stream')
  eg.publish('orders', [egEvent({ id: 'ui-live', subject: '/orders/ui' })])
  const row = page.locator('#stream-rows tr[data-event-id="ui-live"][data-outcome="Delivered"]')
  await row.waitFor()
  t.equal(await row.locator('td').nth(4).textContent(), '/orders/ui', 'subject shown')
  t.equal(await page.locator('#stream-rows tr[data-event-id="ui-live"][data-outcome="Published"]').count(), 1, 'the publish is a row too')
  await row.click()
  await page.locator('#event-detail details[data-attempt="1"]').waitFor()
  t.match(await page.locator('#event-detail').textContent(), /aeg-event-type: Notification/)
  await page.click('#replay-one')
  await page.locator('#replay-result:not([hidden])').waitFor()
  await page.locator('#stream-rows tr[data-event-id="ui-live"][data-outcome="Delivered"]').nth(1).waitFor()
  t.equal(receiver.notifications().length, 2, 'the receiver got the event twice')
  t.same(receiver.notifications().map((n) => (n.body as Array<{ id: string }>)[0]!.id), ['ui-live', 'ui-live'])
  await page.close()
})

t.test('the ACS form emits an event that reaches a subscription', async (t) => {
  const eg = await startTestEmulator(t, `
topics:
  acs:
    topicType: Microsoft.Communication.CommunicationServices
    source: /subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/local/providers/Microsoft.Communication/communicationServices/local-acs
    subscriptions:
      sms:
        destination: { endpointType: WebHook, properties: { endpointUrl: /sink/sms } }
        filter: { includedEventTypes: [Microsoft.Communication.SMSReceived] }
`)
  const page = await openPage(t, eg.url, 'trigger')
  await page.locator('#trigger-type option[value="Microsoft.Communication.SMSReceived"]').waitFor({ state: 'attached' })
  await page.selectOption('#trigger-type', 'Microsoft.Communication.SMSReceived')
  await page.waitForFunction('document.querySelector("#trigger-data").value.includes("\\"message\\"")')
  const data = JSON.parse(await page.inputValue('#trigger-data')) as Record<string, unknown>
  await page.fill('#trigger-data', JSON.stringify({ ...data, message: 'hello from the dashboard' }))
  await page.click('#trigger-send')
  await page.waitForSelector('#trigger-result:text("Sent 1 event")')
  await eg.waitForDeliveries((r) => r.subscription === 'sms' && r.outcome === 'Delivered')
  const got = eg.sink('sms').find((r) => r.headers['aeg-event-type'] === 'Notification')
  t.match((got!.body as Array<{ eventType: string, data: { message: string } }>)[0], { eventType: 'Microsoft.Communication.SMSReceived', data: { message: 'hello from the dashboard' } })
  await page.fill('#trigger-data', '{"message": 5}')
  await page.click('#trigger-send')
  await page.waitForSelector('#trigger-result.error')
  t.match(await page.textContent('#trigger-result'), /message/, 'the API error is shown')
  await page.close()
})

t.test('re-validate turns a Creating subscription Succeeded once its receiver starts', async (t) => {
  // A port nobody listens on yet; if another process takes it before the receiver binds it, start over on another.
  let state: string | null = null
  const { eg, page } = await withFreePort(async (port) => {
    // timeScale 100: the automatic handshake retry is minutes away, so only the button can validate in time.
    const eg = await startTestEmulator(t, `
delivery: { timeScale: 100 }
topics:
  orders:
    subscriptions:
      late:
        destination: { endpointType: WebHook, properties: { endpointUrl: "http://127.0.0.1:${port}/api" } }
`)
    const page = await openPage(t, eg.url, 'subscriptions')
    await page.waitForFunction('/ECONNREFUSED/.test(document.querySelector(\'tr[data-sub="late"]\')?.textContent ?? "")')
    state = await page.locator('tr[data-sub="late"] [data-state]').getAttribute('data-state')
    const app = (await import('fastify')).default()
    app.post('/api', async (req) => ({ validationResponse: (req.body as Array<{ data: { validationCode: string } }>)[0]!.data.validationCode }))
    try {
      await app.listen({ port, host: '127.0.0.1' })
    } catch (err) {
      await page.close()
      await app.close()
      await eg.close()
      throw err
    }
    t.teardown(async () => { await app.close() })
    return { eg, page }
  })
  t.equal(state, 'Creating')
  await page.click('tr[data-sub="late"] button[data-action="validate"]')
  await page.locator('tr[data-sub="late"] [data-state="Succeeded"]').waitFor()
  const after = await (await request(`${eg.url}/admin/topics/orders/subscriptions/late`)).body.json() as { properties: { provisioningState: string } }
  t.equal(after.properties.provisioningState, 'Succeeded')
  await page.close()
})

t.test('the subscription form creates a subscription and shows the same validation errors as the API', async (t) => {
  const eg = await startTestEmulator(t, `
topics:
  orders:
    subscriptions: {}
`)
  const page = await openPage(t, eg.url, 'subscriptions')
  await page.click('#new-sub')
  await page.fill('#sub-name', 'from-form')
  await page.fill('#sub-body', JSON.stringify({ destination: { endpointType: 'WebHook', properties: { endpointUrl: '/sink/form' } }, retryPolicy: { maxDeliveryAttempts: 0 } }))
  await page.click('#sub-save')
  await page.locator('#sub-errors:not([hidden])').waitFor()
  const api = await request(`${eg.url}/admin/topics/orders/subscriptions/from-form`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ destination: { endpointType: 'WebHook', properties: { endpointUrl: '/sink/form' } }, retryPolicy: { maxDeliveryAttempts: 0 } }) })
  const apiMessage = ((await api.body.json()) as { error: { message: string } }).error.message
  t.equal(await page.textContent('#sub-errors'), apiMessage, 'word for word the API message')
  await page.fill('#sub-body', JSON.stringify({ destination: { endpointType: 'WebHook', properties: { endpointUrl: '/sink/form' } } }))
  await page.click('#sub-save')
  await page.locator('tr[data-sub="from-form"] [data-state="Succeeded"]').waitFor()
  t.pass('created and validated')
  await page.close()
})
