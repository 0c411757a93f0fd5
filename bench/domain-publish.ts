/**
 * Domain publishing benchmark: the cost of reading each event's domain topic and routing per domain topic,
 * against publishing the same events to a plain topic (the baseline, measured in the same run).
 * Run: `node --import tsx bench/domain-publish.ts [batches] [rounds]` (default 200 batches of 100 events, 3 rounds).
 *
 * Both sides offer every event to 11 subscriptions whose filters decline it (so no HTTP is involved):
 * the topic has 11 subscriptions; the domain has 10 domain-scope subscriptions and 100 domain topics with one
 * subscription each. The median of the rounds is reported, with the domain/topic ratio.
 */
import type { SubscriptionBody } from '../src/config/types.js'
import type { Clock, Transport } from '../src/delivery/ports.js'
import { composeEmulator } from '../src/compose.js'

const batches = Number(process.argv[2] ?? 200)
const rounds = Number(process.argv[3] ?? 3)
const BATCH = 100
const DOMAIN_TOPICS = 100

const declines: SubscriptionBody = {
  destination: { endpointType: 'WebHook', properties: { endpointUrl: 'http://127.0.0.1:1/never' } },
  filter: { includedEventTypes: ['Never.Matches'] },
  validation: 'skip'
}
const subs = (n: number, prefix: string): Record<string, SubscriptionBody> => Object.fromEntries(Array.from({ length: n }, (_, i) => [`${prefix}-${i}`, declines]))

// A clock and transport that never fire: nothing is delivered, so only acceptance and routing are measured.
const clock: Clock = { now: () => Date.now(), setTimer: () => ({ id: 0 }), clearTimer: () => {} }
const transport: Transport = { send: async () => ({ status: 200, headers: {}, durationMs: 0 }), close: async () => {}, destroy: async () => {} }

const emulator = composeEmulator({
  server: { host: '127.0.0.1', port: 0 },
  delivery: { timeScale: 1, deadLetterDir: '/tmp/eventgrid-bench-dead-letters', azureFunctionsHostUrl: 'http://127.0.0.1:7071' },
  acs: { profile: 'current' },
  topics: { orders: { subscriptions: subs(11, 'sub') } },
  domains: {
    shop: {
      subscriptions: subs(10, 'scope'),
      topics: Object.fromEntries(Array.from({ length: DOMAIN_TOPICS }, (_, i) => [`tenant-${i}`, { subscriptions: subs(1, `t${i}`) }]))
    }
  }
}, { clock, transport })

const event = (i: number, topic?: string): Record<string, unknown> => ({
  id: `e-${i}`, ...(topic !== undefined ? { topic } : {}), subject: `orders/${i}`, eventType: 'Contoso.Orders.Created', eventTime: '2024-05-01T12:00:00Z', data: { n: i }, dataVersion: '1.0'
})
const topicBatches = Array.from({ length: batches }, (_, b) => Array.from({ length: BATCH }, (_, i) => event(b * BATCH + i)))
const domainBatches = Array.from({ length: batches }, (_, b) => Array.from({ length: BATCH }, (_, i) => event(b * BATCH + i, `tenant-${(b * BATCH + i) % DOMAIN_TOPICS}`)))

const topic = emulator.topic('orders')!
const domain = emulator.domain('shop')!
function timeTopic (): number {
  const start = performance.now()
  for (const body of topicBatches) emulator.publish(topic, body, 'application/json')
  return performance.now() - start
}
function timeDomain (): number {
  const start = performance.now()
  for (const body of domainBatches) emulator.publishToDomain(domain, body, 'application/json')
  return performance.now() - start
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!
timeTopic(); timeDomain() // warm-up
const topicMs: number[] = []
const domainMs: number[] = []
for (let r = 0; r < rounds; r++) {
  topicMs.push(timeTopic())
  domainMs.push(timeDomain())
  emulator.deliveryLog.clear()
}
const events = batches * BATCH
const t = median(topicMs)
const d = median(domainMs)
console.log(`${events} events in batches of ${BATCH}, each offered to 11 declining subscriptions; median of ${rounds} rounds`)
console.log(`topic  (baseline): ${t.toFixed(1)} ms  (${Math.round(events / t * 1000)} events/s)`)
console.log(`domain (${DOMAIN_TOPICS} topics): ${d.toFixed(1)} ms  (${Math.round(events / d * 1000)} events/s)`)
console.log(`ratio domain/topic: ${(d / t).toFixed(2)}`)
await emulator.close(0)
