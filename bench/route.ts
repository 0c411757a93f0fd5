/**
 * The real publish path with many subscriptions: validation, filtering through 1,000 subscriptions (5 advanced
 * filters each) and the delivery-log record (with its reason) for every subscription that declines.
 * Run: node --import tsx bench/route.ts [events=2000]
 */
import { parseConfig } from '../src/config/load-config.js'
import { startEmulator } from '../src/index.js'

const total = Number(process.argv[2] ?? 2000)
const subscriptions = Array.from({ length: 1000 }, (_, i) => `
      sub-${i}:
        validation: skip
        destination: { endpointType: WebHook, properties: { endpointUrl: /sink/s${i} } }
        filter:
          advancedFilters:
            - { operatorType: StringContains, key: data.message, values: [word${i}] }
            - { operatorType: NumberGreaterThan, key: data.n, value: ${i} }
            - { operatorType: StringBeginsWith, key: subject, values: [/a/${i}] }
            - { operatorType: BoolEquals, key: data.flag, value: true }
            - { operatorType: IsNotNull, key: data.to }`).join('')
const eg = await startEmulator({ port: 0, config: parseConfig(`topics:\n  bench:\n    subscriptions:${subscriptions}\n`, 'bench.yaml', {}) })
const events = Array.from({ length: total }, (_, i) => ({
  id: `e${i}`, subject: '/b/1', eventType: 'Bench.Event', eventTime: '2024-05-01T12:00:00Z', data: { message: 'nothing here', n: 5, flag: true, to: '+1' }
}))
const t0 = performance.now()
for (let i = 0; i < total; i += 100) eg.publish('bench', events.slice(i, i + 100))
const ms = performance.now() - t0
console.log(`publish path: ${total} events × 1,000 non-matching subscriptions in ${ms.toFixed(0)} ms = ${(ms * 1000 / total).toFixed(0)} µs per event (incl. ${eg.emulator.deliveryLog.size} NotMatched records, log capped at 100,000)`)
await eg.close()
