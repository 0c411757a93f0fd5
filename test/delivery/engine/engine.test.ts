/** The engine as a whole, on a manual clock and a fake transport: after `await close()` every event has its final record. */
import t from 'tap'
import { DeliveryEngine } from '../../../src/delivery/engine.js'
import type { DeadLetterWriter } from '../../../src/delivery/ports.js'
import { ManualClock } from '../../helpers/manual-clock.js'
import { DeliveryLog, event, FakeTransport, settle, subscription } from './fixtures.js'

const FINAL = new Set(['Delivered', 'DeadLettered', 'Dropped'])

t.test('close() resolves only once every accepted event has a final record, a dead-letter write under way included', async (t) => {
  const clock = new ManualClock()
  const log = new DeliveryLog()
  const transport = new FakeTransport()
  let finishWrite: (() => void) | undefined
  const store: DeadLetterWriter = { write: async () => { await new Promise<void>((resolve) => { finishWrite = resolve }); return { path: 'dead/x.json' } } }
  const engine = new DeliveryEngine({ clock, transport, log, deadLetters: store, timeScale: 1, timeoutMs: 30_000, baseUrl: () => 'http://127.0.0.1:1', concurrency: 1, random: () => 0.5 })
  const now = new Date(clock.now()).toISOString()
  const dl = subscription({ retryPolicy: { maxDeliveryAttempts: 1, eventTimeToLiveInMinutes: 1440 }, deadLetterDestination: { endpointType: 'StorageBlob', properties: { resourceId: '/x', blobContainerName: 'dead' } } } as never)
  const retrying = subscription()
  const busy = subscription()
  engine.route([dl], [event('dead', now)])
  engine.route([retrying], [event('retry', now)])
  engine.route([busy], [event('in-flight', now), event('queued', now)])
  t.equal(engine.inFlight, 3)
  transport.answerNext({ status: 500 }) // dead: no attempts left → dead-letter write starts
  transport.answerNext({ status: 503 }) // retry: scheduled
  await settle()
  t.equal(engine.pendingRetries, 1)
  const closing = engine.close(1_000, [dl, retrying, busy], async () => { await transport.destroy() })
  let closed = false
  void closing.then(() => { closed = true })
  transport.answerNext({ status: 200 }) // in-flight: ends during the grace
  await settle()
  t.notOk(closed, 'the dead-letter write is still under way')
  finishWrite!()
  const summary = await closing
  const finals = new Map(log.query().filter((r) => FINAL.has(r.outcome)).flatMap((r) => r.eventIds.map((id) => [id, r.outcome])))
  t.same(Object.fromEntries(finals), { dead: 'DeadLettered', retry: 'Dropped', 'in-flight': 'Delivered', queued: 'Dropped' })
  t.match(summary, { inFlightRequests: 1, pendingDropped: 2, cutAfterGrace: false })
  t.equal(engine.backlogOf([dl, retrying, busy]), 0)
})

t.test('in-flight requests that outlive the grace (on the injected clock) are cut and recorded as Dropped', async (t) => {
  const clock = new ManualClock()
  const log = new DeliveryLog()
  const transport = new FakeTransport()
  const engine = new DeliveryEngine({ clock, transport, log, deadLetters: { write: async () => ({ path: 'x' }) }, timeScale: 1, timeoutMs: 30_000, baseUrl: () => 'http://127.0.0.1:1' })
  const sub = subscription()
  engine.route([sub], [event('hanging', new Date(clock.now()).toISOString())])
  const closing = engine.close(500, [sub], async () => { await transport.destroy() })
  await settle()
  clock.advance(500)
  const summary = await closing
  t.ok(transport.destroyed)
  t.match(summary, { cutAfterGrace: true, droppedTotal: 1 })
  t.match(log.query().at(-1), { outcome: 'Dropped', eventIds: ['hanging'], reason: /emulator shut down after this attempt/ })
})

t.test('restoreRetry() puts a journalled batch back on the schedule and delivers it when due', async (t) => {
  const clock = new ManualClock()
  const log = new DeliveryLog()
  const transport = new FakeTransport()
  const engine = new DeliveryEngine({ clock, transport, log, deadLetters: { write: async () => ({ path: 'x' }) }, timeScale: 1, timeoutMs: 30_000, baseUrl: () => 'http://127.0.0.1:1' })
  const sub = subscription()
  engine.restoreRetry({ sub, events: [event('back', new Date(clock.now()).toISOString())], attempts: 2, dueAt: clock.now() + 10_000 })
  t.equal(engine.pendingRetries, 1)
  t.equal(engine.backlogOf([sub]), 1)
  clock.advance(10_000)
  const request = transport.answerNext({ status: 200 })
  t.equal(request.headers['aeg-delivery-count'], '2', 'the third attempt')
  await settle()
  t.match(log.query(), [{ outcome: 'Delivered', eventIds: ['back'], attempt: 3 }])
  t.equal(engine.backlogOf([sub]), 0)
})
