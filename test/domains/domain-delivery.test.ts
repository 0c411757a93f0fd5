/**
 * Delivery on domains works as on topics: filters (including on the stamped domain-topic id), retries on the
 * manual clock, dead letters, the delivery log's `topic` filter — and `filter test` agrees with the emulator.
 */
import { readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import t from 'tap'
import { filterTest } from '../../src/cli/commands/filter-test.js'
import { egEvent, startTestEmulator } from '../helpers/build.js'
import { ManualClock } from '../helpers/manual-clock.js'
import { startReceiver } from '../helpers/receiver.js'

const FILTER = '{ advancedFilters: [{ operatorType: StringEndsWith, key: topic, values: [/topics/tenant-a] }] }'

t.test('a domain-scope subscription can filter on the domain topic; retries and dead letters work on domain topics', async (t) => {
  const dir = t.testdir()
  const failing = await startReceiver(t, { defaultStatus: 500 })
  const clock = new ManualClock()
  const eg = await startTestEmulator(t, `
delivery: { deadLetterDir: "${dir}" }
domains:
  shop:
    subscriptions:
      only-a:
        destination: { endpointType: WebHook, properties: { endpointUrl: /sink/only-a } }
        filter: ${FILTER}
    topics:
      tenant-b:
        subscriptions:
          b-flaky:
            validation: skip
            destination: { endpointType: WebHook, properties: { endpointUrl: "${failing.url}/b" } }
            retryPolicy: { maxDeliveryAttempts: 2 }
            deadLetterDestination: { endpointType: StorageBlob, properties: { blobContainerName: dead-letters } }
`, { clock, random: () => 0 })
  eg.publishToDomain('shop', [egEvent({ id: 'to-a', topic: 'tenant-a' }), egEvent({ id: 'to-b', topic: 'tenant-b' })])
  await eg.waitForDeliveries((r) => r.eventIds.includes('to-a') && r.outcome === 'Delivered')
  t.match(eg.deliveries({ eventId: 'to-b', subscription: 'only-a' }), [{ topic: 'shop', outcome: 'NotMatched', reason: /StringEndsWith/ }])

  await eg.waitForDeliveries((r) => r.eventIds.includes('to-b') && r.outcome === 'Failed')
  clock.advance(10_000)
  const [dead] = await eg.waitForDeliveries((r) => r.eventIds.includes('to-b') && r.outcome === 'DeadLettered')
  t.equal(dead!.topic, 'shop/tenant-b')
  const [entry] = eg.emulator.deadLetters.list({ topic: 'shop/tenant-b' })
  t.match(entry, { subscription: 'b-flaky', reason: 'MaxDeliveryAttemptsExceeded', eventIds: ['to-b'] })
  const written = JSON.parse(await readFile(join(dir, entry!.path), 'utf8')) as Array<Record<string, unknown>>
  t.equal(written[0]!.topic, '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/local/providers/Microsoft.EventGrid/domains/shop/topics/tenant-b')
  const res = await eg.app.inject({ method: 'GET', url: '/admin/deliveries?topic=shop/tenant-b' })
  t.same(res.json<{ value: Array<{ outcome: string }> }>().value.map((r) => r.outcome), ['Failed', 'Failed', 'DeadLettered'])
})

t.test('filter test gives the same verdict on a delivered domain event', async (t) => {
  const dir = t.testdir()
  await writeFile(join(dir, 'filter.yaml'), `filter: ${FILTER}\n`)
  const event = egEvent({ topic: '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/local/providers/Microsoft.EventGrid/domains/shop/topics/tenant-a' })
  await writeFile(join(dir, 'events.json'), JSON.stringify([event, { ...event, topic: event.topic!.toString().replace('tenant-a', 'tenant-b') }]))
  let stdout = ''
  const code = await filterTest(['--filter', join(dir, 'filter.yaml'), '--event', join(dir, 'events.json')], { stdout: (s) => { stdout += s }, stderr: () => {}, env: {} })
  t.equal(code, 1, 'one of the two does not match')
  t.match(stdout, /^MATCH {4}event\[0\] \(id .*\): all clauses matched$/m)
  t.match(stdout, /^NO MATCH event\[1\] \(id .*\): advancedFilters\[0\] StringEndsWith topic: '\/subscriptions\/.*' ends with none of \[\/topics\/tenant-a\]$/m)
})
