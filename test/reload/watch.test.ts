/**
 * `watch: true` (serve --watch): the test edits a real config file and waits for the reload event (fs.watch is
 * event-driven; nothing here sleeps). A filter change applies to the next event, a pending retry of an untouched
 * subscription survives, and a broken edit leaves the previous config running.
 */
import { Writable } from 'node:stream'
import t from 'tap'
import { egEvent } from '../helpers/build.js'
import { ManualClock } from '../helpers/manual-clock.js'
import { startReceiver } from '../helpers/receiver.js'
import { configFile, reloaded, replaceFile, startFromFile as start } from '../helpers/reload.js'

const config = (flakyUrl: string, filteredUrl: string, types: string): string => `
delivery: { timeScale: 1 }
topics:
  orders:
    subscriptions:
      filtered:
        validation: skip
        destination: { endpointType: WebHook, properties: { endpointUrl: "${filteredUrl}/filtered" } }
        filter: { includedEventTypes: [${types}] }
      flaky:
        validation: skip
        destination: { endpointType: WebHook, properties: { endpointUrl: "${flakyUrl}/flaky" } }
`

t.test('under watch: a filter edit applies to the next event, a pending retry survives, a broken edit changes nothing', async (t) => {
  const flaky = await startReceiver(t, { statuses: [500] })
  const filtered = await startReceiver(t)
  const file = await configFile(t, config(flaky.url, filtered.url, 'Shop.A'))
  const clock = new ManualClock()
  const lines: Array<Record<string, unknown>> = []
  const stream = new Writable({ write (chunk: Buffer, _enc, done) { for (const l of chunk.toString().split('\n')) if (l !== '') lines.push(JSON.parse(l) as Record<string, unknown>); done() } })
  const eg = await start(t, file, { watch: true, clock, random: () => 0, logger: { level: 'info', stream } })

  eg.publish('orders', [egEvent({ id: 'first', eventType: 'Shop.B' })])
  await eg.waitForDeliveries((r) => r.eventIds.includes('first') && r.subscription === 'flaky' && r.outcome === 'Failed')
  t.match(eg.deliveries({ eventId: 'first', subscription: 'filtered' }), [{ outcome: 'NotMatched' }], 'Shop.B is filtered out at first')
  t.equal(eg.emulator.pendingRetries, 1, 'a retry of flaky is pending')

  // The first reload that is not a no-op must be exactly this edit (one atomic replace: no half-written file).
  const edit = reloaded(eg, (r) => !r.ok || r.summary !== 'no changes')
  await replaceFile(file, config(flaky.url, filtered.url, 'Shop.A, Shop.B'))
  const result = await edit
  t.match(result, { ok: true })
  t.equal(result.ok ? result.summary : result.error, '~subscription orders/filtered')
  t.ok(lines.some((l) => l.msg === `config reloaded from ${file}: ~subscription orders/filtered`), 'one summary line logged')
  t.equal(eg.emulator.pendingRetries, 1, 'the untouched subscription kept its pending retry')

  eg.publish('orders', [egEvent({ id: 'second', eventType: 'Shop.B' })])
  await eg.waitForDeliveries((r) => r.eventIds.includes('second') && r.subscription === 'filtered' && r.outcome === 'Delivered')
  t.equal(filtered.notifications().length, 1, 'the next event passed the new filter')

  clock.advance(10_000) // Event Grid's first retry comes after 10 s
  const [retried] = await eg.waitForDeliveries((r) => r.eventIds.includes('first') && r.subscription === 'flaky' && r.outcome === 'Delivered')
  t.equal(retried!.attempt, 2, 'the retry scheduled before the reload was delivered after it')

  const broken = reloaded(eg, (r) => !r.ok || r.summary !== 'no changes')
  await replaceFile(file, 'topics:\n  orders:\n    subscriptions: [\n')
  const failure = await broken
  t.match(failure, { ok: false, file })
  t.match(failure.ok ? '' : failure.error, new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:\\d+:\\d+ `), 'reported as file:line:col')
  t.ok(lines.some((l) => l.level === 50 && typeof l.msg === 'string' && l.msg.startsWith('config reload failed, the previous config keeps running:')), 'logged as an error')

  eg.publish('orders', [egEvent({ id: 'third', eventType: 'Shop.B' })])
  await eg.waitForDeliveries((r) => r.eventIds.includes('third') && r.subscription === 'filtered' && r.outcome === 'Delivered')
  t.pass('the previous config keeps serving')

  const res = await eg.app.inject({ method: 'POST', url: '/admin/reload' })
  t.equal(res.statusCode, 400)
  const body = res.json<{ error: { code: string, message: string, details: Array<{ code: string, message: string }> } }>()
  t.equal(body.error.code, 'BadRequest')
  t.equal(body.error.details[0]!.code, 'InvalidConfig')
  t.match(body.error.details[0]!.message, /^.*config\.yaml:\d+:\d+ /)
  t.match(body.error.message, /^The config file .*config\.yaml was not applied, the previous config keeps running:\n/)
})
