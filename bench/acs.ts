/**
 * Cost of the ACS data plane per request: a signed `POST /sms` (HMAC verification over every ACS topic's key,
 * validation, outbox record, report scheduled) against the baseline `POST /topics/acs/simulate` of one
 * sms-received event (same app, same inject path, no signature). Reports are not awaited (time scale 1).
 * Medians of 3 runs; prints the ratio. Run: node --import tsx bench/acs.ts [requests=2000] [acsTopics=10]
 */
import { createHash, createHmac } from 'node:crypto'
import { parseConfig } from '../src/config/load-config.js'
import { defaultAcsAccessKey } from '../src/domain/acs-messaging/index.js'
import { startEmulator } from '../src/index.js'

const total = Number(process.argv[2] ?? 2000)
const topicCount = Number(process.argv[3] ?? 10)
const topics = Array.from({ length: topicCount }, (_, i) => `
  acs-${i}:
    topicType: Microsoft.Communication.CommunicationServices
    source: /subscriptions/0/resourceGroups/rg/providers/Microsoft.Communication/communicationServices/acs-${i}`).join('')
const eg = await startEmulator({ port: 0, config: parseConfig(`topics:${topics}\n`, 'bench.yaml', {}) })
// The last topic's key, so verification tries every key before the match (the worst case).
const key = defaultAcsAccessKey(`acs-${topicCount - 1}`)
const body = JSON.stringify({ from: '+18005550100', smsRecipients: [{ to: '+14255550123' }], message: 'hi', smsSendOptions: { enableDeliveryReport: false } })
const url = '/sms?api-version=2021-03-07'
const host = '127.0.0.1:4000'

function signed (): Record<string, string> {
  const date = new Date().toUTCString()
  const hash = createHash('sha256').update(body).digest('base64')
  const signature = createHmac('sha256', Buffer.from(key, 'base64')).update(`POST\n${url}\n${date};${host};${hash}`).digest('base64')
  return { host, 'content-type': 'application/json', 'x-ms-date': date, 'x-ms-content-sha256': hash, authorization: `HMAC-SHA256 SignedHeaders=x-ms-date;host;x-ms-content-sha256&Signature=${signature}` }
}

async function run (label: string, once: () => Promise<number>): Promise<number> {
  const times: number[] = []
  for (let r = 0; r < 3; r++) {
    eg.emulator.reset()
    const t0 = performance.now()
    for (let i = 0; i < total; i++) {
      const status = await once()
      if (status !== 202 && status !== 200) throw new Error(`${label}: status ${status}`)
    }
    times.push(performance.now() - t0)
  }
  const median = times.sort((a, b) => a - b)[1]!
  console.log(`${label}: ${total} requests, median ${median.toFixed(0)} ms = ${(median * 1000 / total).toFixed(0)} µs per request`)
  return median
}

const baseline = await run('baseline POST /topics/acs-0/simulate', async () => (await eg.app.inject({ method: 'POST', url: '/topics/acs-0/simulate', headers: { 'content-type': 'application/json' }, payload: '{"eventType":"sms-received"}' })).statusCode)
const sms = await run(`signed POST /sms (${topicCount} ACS topics)`, async () => (await eg.app.inject({ method: 'POST', url, headers: signed(), payload: body })).statusCode)
console.log(`ratio /sms : /simulate = ${(sms / baseline).toFixed(2)}`)
await eg.close()
