/**
 * Takes the dashboard screenshots in docs/images/ with the same headless Chromium setup as the browser tests.
 * Run: node --import tsx scripts/dashboard-screenshots.ts
 */
import { mkdir } from 'node:fs/promises'
import { resolve } from 'node:path'
import { parseConfig } from '../src/config/load-config.js'
import { startEmulator } from '../src/index.js'
import { launchBrowser } from '../test/helpers/browser.js'

const out = resolve(import.meta.dirname, '../docs/images')
await mkdir(out, { recursive: true })
const eg = await startEmulator({
  port: 0,
  dataDir: resolve(import.meta.dirname, '../.eventgrid-emulator/screenshots'),
  config: parseConfig(`
delivery: { timeScale: 0.001 }
topics:
  acs:
    topicType: Microsoft.Communication.CommunicationServices
    source: /subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/local/providers/Microsoft.Communication/communicationServices/local-acs
    subscriptions:
      sms-bot:
        destination: { endpointType: WebHook, properties: { endpointUrl: /sink/sms-bot } }
        filter:
          includedEventTypes: [Microsoft.Communication.SMSReceived]
          advancedFilters: [{ operatorType: StringContains, key: data.message, values: [help] }]
      chat:
        destination: { endpointType: WebHook, properties: { endpointUrl: /sink/chat } }
        filter: { includedEventTypes: [Microsoft.Communication.ChatMessageReceived] }
  orders:
    subscriptions:
      billing:
        destination: { endpointType: WebHook, properties: { endpointUrl: /sink/billing } }
        retryPolicy: { maxDeliveryAttempts: 3 }
      not-started-yet:
        destination: { endpointType: WebHook, properties: { endpointUrl: "http://127.0.0.1:9/api/events" } }
`, 'screenshots.yaml', {})
})
eg.emulator.sink.script('billing', [500])
const browser = await launchBrowser()
const page = await browser.context.newPage()
await page.goto(`${eg.url}/ui/#stream`)
await page.waitForSelector('#stream-status:text("live")')
eg.simulate('acs', [{ eventType: 'Microsoft.Communication.SMSReceived', data: { message: 'help please' } }, { eventType: 'Microsoft.Communication.SMSReceived', data: { message: 'hello' } }])
eg.simulate('acs', { eventType: 'Microsoft.Communication.ChatMessageReceived' })
eg.publish('orders', [{ id: 'order-1001', subject: '/orders/1001', eventType: 'Contoso.Orders.Created', eventTime: new Date().toISOString(), data: { orderId: 1001, total: 42.5 } }])
await eg.waitForDeliveries((r) => r.subscription === 'billing' && r.outcome === 'Delivered')
await page.click('#stream-rows tr[data-event-id="order-1001"][data-outcome="Delivered"]')
await page.locator('#event-detail details[data-attempt="2"]').waitFor()
await page.locator('#event-detail details[data-attempt="1"] summary').click()
await page.screenshot({ path: `${out}/dashboard-stream.png` })
await page.goto(`${eg.url}/ui/#subscriptions`)
await page.locator('tr[data-sub="not-started-yet"]').waitFor()
await page.screenshot({ path: `${out}/dashboard-subscriptions.png`, fullPage: true })
await page.goto(`${eg.url}/ui/#trigger`)
await page.waitForFunction('document.querySelector("#trigger-data").value.length > 2')
await page.click('#trigger-send')
await page.waitForSelector('#trigger-result:text("Sent 1 event")')
await page.screenshot({ path: `${out}/dashboard-trigger.png` })
await browser.close()
await eg.close()
console.log(`screenshots written to ${out}`)
