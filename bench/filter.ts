/**
 * Filter engine benchmark: 1,000 subscriptions with 5 advanced filters each, every event routed through
 * all of them. Run: `node --import tsx bench/filter.ts [events] [rounds]` (default 10,000 events, 3 rounds).
 *
 * The subscriptions have no event-type or subject filter, and most advanced filters are built to pass,
 * so each event runs deep into the advanced filters of every subscription: a pessimistic figure.
 * The events are routed `rounds` times and the median round is reported, because on shared machines a
 * single round can be slowed several-fold by neighbours; CPU time is shown next to wall time for the same reason.
 */
import { compileFilter, type AdvancedFilter, type CompiledFilter, type SubscriptionFilter } from '../src/domain/filter/index.js'

const SUBSCRIPTIONS = 1_000
const FILTERS_PER_SUBSCRIPTION = 5
const WARM_UP_EVENTS = 1_000
const eventCount = Number(process.argv[2] ?? 10_000)
const rounds = Number(process.argv[3] ?? 3)

/** mulberry32: a seeded PRNG so every run measures the same workload */
function random (seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0
    let x = Math.imul(seed ^ (seed >>> 15), 1 | seed)
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296
  }
}
const rand = random(42)
const pick = <T>(items: readonly T[]): T => items[Math.floor(rand() * items.length)]!
const int = (max: number): number => Math.floor(rand() * max)

const WORDS = ['help', 'stop', 'start', 'order', 'status', 'yes', 'no', 'cancel', 'info', 'hello']
const PHONES = Array.from({ length: 50 }, (_, i) => `1555${String(1000000 + i * 7919).slice(0, 7)}`)
const TYPES = ['Microsoft.Communication.SMSReceived', 'Microsoft.Communication.SMSDeliveryReportReceived', 'Contoso.Orders.Created']

const FILTER_TEMPLATES: Array<() => AdvancedFilter> = [
  () => ({ operatorType: 'StringContains', key: 'data.message', values: [pick(WORDS), pick(WORDS), 'e'] }),
  () => ({ operatorType: 'StringNotContains', key: 'data.message', values: [pick(WORDS), 'zzz'] }),
  () => ({ operatorType: 'StringBeginsWith', key: 'data.to', values: ['1555', pick(PHONES)] }),
  () => ({ operatorType: 'StringIn', key: 'data.to', values: Array.from({ length: 3 }, () => pick(PHONES)) }),
  () => ({ operatorType: 'StringNotIn', key: 'data.from', values: [pick(PHONES), pick(PHONES)] }),
  () => ({ operatorType: 'StringEndsWith', key: 'subject', values: ['1', '3', '5', '7'] }),
  () => ({ operatorType: 'NumberLessThan', key: 'data.counter', value: 500 + int(500) }),
  () => ({ operatorType: 'NumberInRange', key: 'data.counter', values: [[0, 400 + int(600)], [2000, 3000]] }),
  () => ({ operatorType: 'NumberNotIn', key: 'data.priority', values: [int(5) + 5] }),
  () => ({ operatorType: 'BoolEquals', key: 'data.isEnabled', value: true }),
  () => ({ operatorType: 'IsNotNull', key: 'Data.Message' }),
  () => ({ operatorType: 'StringIn', key: 'EventType', values: TYPES })
]

function subscription (): SubscriptionFilter {
  const advancedFilters = Array.from({ length: FILTERS_PER_SUBSCRIPTION }, () => pick(FILTER_TEMPLATES)())
  return { advancedFilters, enableAdvancedFilteringOnArrays: rand() < 0.2 }
}

function event (i: number): Record<string, unknown> {
  const to = pick(PHONES)
  return {
    id: `event-${i}`,
    topic: '/subscriptions/0/resourcegroups/rg/providers/microsoft.communication/communicationservices/acs',
    subject: `/phonenumber/${to}`,
    eventType: pick(TYPES),
    eventTime: '2024-05-01T10:00:00.0000000Z',
    data: {
      messageId: `Incoming_${i}`,
      from: pick(PHONES),
      to,
      message: `${pick(WORDS)} ${pick(WORDS)} please`,
      counter: int(1000),
      priority: int(5),
      isEnabled: rand() < 0.9,
      tags: [int(10), int(10)]
    },
    dataVersion: '1.0',
    metadataVersion: '1'
  }
}

function route (filters: readonly CompiledFilter[], events: ReadonlyArray<Record<string, unknown>>): number {
  let matched = 0
  for (const e of events) {
    for (let i = 0; i < filters.length; i++) if (filters[i]!.matches(e)) matched++
  }
  return matched
}

const definitions = Array.from({ length: SUBSCRIPTIONS }, subscription)
const events = Array.from({ length: eventCount }, (_, i) => event(i))

const compileStart = performance.now()
const filters = definitions.map(definition => compileFilter(definition, 'EventGridSchema'))
const compileMs = performance.now() - compileStart

route(filters, events.slice(0, WARM_UP_EVENTS))
const results = Array.from({ length: rounds }, () => {
  const cpuStart = process.cpuUsage()
  const start = performance.now()
  const matched = route(filters, events)
  const wallMs = performance.now() - start
  const cpu = process.cpuUsage(cpuStart)
  return { wallMs, cpuMs: (cpu.user + cpu.system) / 1000, matched }
}).sort((a, b) => a.wallMs - b.wallMs)
const median = results[Math.floor(results.length / 2)]!

const fmt = (n: number, digits = 1): string => n.toLocaleString('en-US', { maximumFractionDigits: digits })
const perEventUs = (ms: number): number => (ms * 1000) / eventCount
console.log(`filter bench: ${fmt(SUBSCRIPTIONS)} subscriptions × ${FILTERS_PER_SUBSCRIPTION} advanced filters, ${fmt(eventCount)} events × ${rounds} rounds (node ${process.version})`)
console.log(`compile: ${fmt(compileMs)} ms for ${fmt(SUBSCRIPTIONS)} subscriptions (${fmt((compileMs * 1000) / SUBSCRIPTIONS)} µs each)`)
console.log(`route (median round): ${fmt(perEventUs(median.wallMs))} µs per event through ${fmt(SUBSCRIPTIONS)} subscriptions` +
  ` (${fmt(perEventUs(median.wallMs) * 1000 / SUBSCRIPTIONS, 0)} ns per subscription), CPU ${fmt(perEventUs(median.cpuMs))} µs`)
console.log(`         ${fmt(eventCount / (median.wallMs / 1000), 0)} events/s`)
console.log(`         rounds: ${results.map(r => `${fmt(perEventUs(r.wallMs))} µs`).join(', ')}`)
console.log(`         ${fmt(median.matched / eventCount)} matching subscriptions per event on average`)
