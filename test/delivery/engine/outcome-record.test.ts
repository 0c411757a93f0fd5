/**
 * The recorder's compact records: what they read as (getters, toJSON, the log's query) is the plain record they
 * stand for, whatever the times (fractional, far from the first one recorded, before 1970), and a time no ISO
 * string can show is refused when recording, as when records held ISO strings.
 */
import t from 'tap'
import { AttemptRecord, DecisionRecord, plainRecord } from '../../../src/delivery/engine/outcome-record.js'
import { OutcomeRecorder } from '../../../src/delivery/engine/outcome-recorder.js'
import { ManualClock } from '../../helpers/manual-clock.js'
import { DeliveryLog, event, subscription } from './fixtures.js'

t.test('times far apart, fractional or before 1970 read back exactly as ISO strings', async (t) => {
  for (const ms of [Date.parse('2024-05-01T12:00:00.250Z'), 0, -1.5, 1714564810370.9, Date.parse('2200-01-01T00:00:00.001Z'), -8.64e15, 8.64e15]) {
    const next = ms > 0 ? ms - 10_370.5 : ms + 10_370.5
    const r = new AttemptRecord('orders', 'hook', 'a', 'T', undefined, 'Failed', ms, 'HTTP 500', 1, 500, undefined, 15, next)
    t.equal(r.time, new Date(ms).toISOString(), `time ${ms}`)
    t.equal(r.nextAttemptTime, new Date(next).toISOString(), `next attempt ${next}`)
  }
})

t.test('a time no ISO string can show is refused when recording, not when read', async (t) => {
  const log = new DeliveryLog()
  const sub = subscription()
  for (const bad of [Number.NaN, 8.64e15 + 1, Number.POSITIVE_INFINITY]) {
    const recorder = new OutcomeRecorder({ clock: new ManualClock(bad), log })
    t.throws(() => { recorder.record(sub, [event('a')], { outcome: 'Dropped', reason: 'x' }) }, RangeError, `record at ${bad}`)
    t.throws(() => { recorder.attempted(sub, [event('a')], { attempt: 1, outcome: 'Failed', nextAttemptAt: bad }, 0) }, RangeError, `next attempt at ${bad}`)
  }
  t.equal(log.size, 0)
})

t.test('the getters read as the plain record does; toJSON leaves out what is not set', async (t) => {
  const r = new AttemptRecord('orders', 'hook', ['a', 'b'], 'T1,T2', undefined, 'Delivered', 0, undefined, 2, 200, undefined, 123, undefined)
  t.same(r.eventIds, ['a', 'b'])
  t.equal(r.durationMs, 12.3)
  t.equal(r.nextAttemptTime, undefined)
  t.same(Object.keys(r.toJSON()), ['time', 'topic', 'subscription', 'eventIds', 'eventType', 'attempt', 'status', 'durationMs', 'outcome', 'seq'])
  const d = new DecisionRecord('orders', 'hook', 'a', 'T', '/s', 'Dropped', 0, 'gone')
  t.same(d.eventIds, ['a'])
  t.same(Object.keys(d.toJSON()), ['time', 'topic', 'subscription', 'eventIds', 'eventType', 'subject', 'outcome', 'reason', 'seq'])
  const plain = { seq: 1, time: 'x', topic: 't', subscription: 's', eventIds: [], outcome: 'Delivered' as const }
  t.equal(plainRecord(plain), plain, 'a plain record is handed out as it is')
})

t.test("the log's query hands out plain objects, numbered, with no getters", async (t) => {
  const log = new DeliveryLog()
  const recorder = new OutcomeRecorder({ clock: new ManualClock(Date.parse('2024-05-01T12:00:00Z')), log })
  const sub = subscription()
  recorder.attempted(sub, [event('a')], { attempt: 1, status: 500, durationMs: 0.04, outcome: 'Failed', reason: 'HTTP 500', nextAttemptAt: Date.parse('2024-05-01T12:00:10Z') })
  recorder.record(sub, [event('a')], { outcome: 'Dropped', reason: 'gone' })
  const [failed, dropped] = log.query()
  t.equal(Object.getPrototypeOf(failed), Object.prototype)
  t.same({ ...failed }, { time: '2024-05-01T12:00:00.000Z', topic: 'orders', subscription: 'hook', eventIds: ['a'], eventType: 'Contoso.Created', subject: '/orders/1', attempt: 1, status: 500, durationMs: 0, outcome: 'Failed', reason: 'HTTP 500', nextAttemptTime: '2024-05-01T12:00:10.000Z', seq: 1 })
  t.same({ ...dropped }, { time: '2024-05-01T12:00:00.000Z', topic: 'orders', subscription: 'hook', eventIds: ['a'], eventType: 'Contoso.Created', subject: '/orders/1', outcome: 'Dropped', reason: 'gone', seq: 2 })
  t.same(log.query({ eventId: 'a', status: '500' }).map((r) => r.seq), [1], 'filters read the compact record')
})
