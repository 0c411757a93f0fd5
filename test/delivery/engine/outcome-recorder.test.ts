/** The outcome recorder: one record per decision, and the back-pressure count settled only by final outcomes. */
import t from 'tap'
import { OutcomeRecorder } from '../../../src/delivery/engine/outcome-recorder.js'
import { ManualClock } from '../../helpers/manual-clock.js'
import { DeliveryLog, event, outcomes, subscription } from './fixtures.js'

t.test('final outcomes settle the back-pressure count; Failed and Waiting do not', async (t) => {
  const log = new DeliveryLog()
  const recorder = new OutcomeRecorder({ clock: new ManualClock(), log })
  const sub = subscription()
  recorder.accept(sub, 3)
  recorder.record(sub, [event('a')], { outcome: 'Waiting', reason: 'held' })
  recorder.attempted(sub, [event('a')], { attempt: 1, status: 500, outcome: 'Failed', reason: 'HTTP 500', nextAttemptAt: Date.parse('2024-05-01T12:00:10Z') })
  t.equal(sub.backlog, 3)
  recorder.record(sub, [event('a')], { outcome: 'Delivered' })
  recorder.record(sub, [event('b'), event('c')], { outcome: 'Dropped', reason: 'gone' })
  t.equal(sub.backlog, 0)
  t.same(outcomes(log), ['Waiting:a', 'Failed:a', 'Delivered:a', 'Dropped:b,c'])
})

t.test('a record carries the clock time, the event type and subject, and no undefined fields', async (t) => {
  const log = new DeliveryLog()
  const recorder = new OutcomeRecorder({ clock: new ManualClock(Date.parse('2024-05-01T12:00:00Z')), log })
  const sub = subscription()
  recorder.attempted(sub, [event('a')], { attempt: 1, status: 200, error: undefined, outcome: 'Delivered' })
  const [r] = log.query()
  t.match(r, { time: '2024-05-01T12:00:00.000Z', topic: 'orders', subscription: 'hook', eventType: 'Contoso.Created', subject: '/orders/1', status: 200 })
  t.notOk('error' in r!, 'undefined fields are left out')
  recorder.record(sub, [event('b', undefined, 'T1'), event('c', undefined, 'T2')], { outcome: 'Delivered' }, Date.parse('2024-05-01T11:00:00Z'))
  t.match(log.query().at(-1), { eventType: 'T1,T2', subject: '/orders/1', time: '2024-05-01T11:00:00.000Z' })
})

t.test('fail() records Dropped with the error and counts events routing had not counted yet', async (t) => {
  const log = new DeliveryLog()
  const warnings: string[] = []
  const recorder = new OutcomeRecorder({ clock: new ManualClock(), log, logger: { info: () => {}, warn: (_o, m) => { warnings.push(m) } } })
  const sub = subscription()
  recorder.fail(sub, [event('a')], 'evaluating the filter', new TypeError('bad'), false)
  t.equal(sub.backlog, 0, 'counted, then settled')
  t.match(log.query()[0], { outcome: 'Dropped', reason: 'internal error while evaluating the filter: TypeError: bad' })
  t.same(warnings, ['event dropped', 'event dropped: internal error while evaluating the filter'])
})

t.test('a NotMatched record explains itself only when read', async (t) => {
  const log = new DeliveryLog()
  const recorder = new OutcomeRecorder({ clock: new ManualClock(), log })
  const sub = subscription({ filter: { includedEventTypes: ['Other'] } })
  let explained = 0
  const explain = sub.filter.explain.bind(sub.filter)
  ;(sub.filter as { explain: typeof explain }).explain = (view) => { explained++; return explain(view) }
  recorder.notMatched(sub, event('a'), { eventType: 'Created' }, 'now')
  t.equal(explained, 0)
  t.match(log.query()[0]?.reason, /Other/)
  t.equal(explained, 1)
})

t.test("a record's JSON keeps its keys in the order they always came: envelope, then the caller's fields", async (t) => {
  const log = new DeliveryLog()
  const recorder = new OutcomeRecorder({ clock: new ManualClock(Date.parse('2024-05-01T12:00:00Z')), log })
  const sub = subscription()
  recorder.attempted(sub, [event('a')], { attempt: 2, status: 500, error: undefined, durationMs: 1.5, outcome: 'Failed', reason: 'HTTP 500', nextAttemptAt: Date.parse('2024-05-01T12:00:10.000Z') })
  t.equal(JSON.stringify(log.query()[0]), '{"time":"2024-05-01T12:00:00.000Z","topic":"orders","subscription":"hook","eventIds":["a"],"eventType":"Contoso.Created","subject":"/orders/1","attempt":2,"status":500,"durationMs":1.5,"outcome":"Failed","reason":"HTTP 500","nextAttemptTime":"2024-05-01T12:00:10.000Z","seq":1}')
})
