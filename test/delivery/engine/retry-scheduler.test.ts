/** The retry scheduler: due on the clock, TTL checked when due, gone or failed subscriptions, restore. */
import t from 'tap'
import { OutcomeRecorder } from '../../../src/delivery/engine/outcome-recorder.js'
import { RetryScheduler } from '../../../src/delivery/engine/retry-scheduler.js'
import type { PendingBatch } from '../../../src/delivery/engine/types.js'
import { ManualClock } from '../../helpers/manual-clock.js'
import { DeliveryLog, event, outcomes, subscription } from './fixtures.js'

const START = Date.parse('2024-05-01T12:00:00Z')

function setup (): { clock: ManualClock, log: DeliveryLog, scheduler: RetryScheduler, due: PendingBatch[], deadLettered: string[] } {
  const clock = new ManualClock(START)
  const log = new DeliveryLog()
  const due: PendingBatch[] = []
  const deadLettered: string[] = []
  const scheduler = new RetryScheduler({
    clock,
    timeScale: 1,
    recorder: new OutcomeRecorder({ clock, log }),
    due: (b) => { due.push(b) },
    deadLetter: (b, reason) => { deadLettered.push(`${reason}:${b.events.map((e) => e.id).join(',')}`) }
  })
  return { clock, log, scheduler, due, deadLettered }
}

t.test('a scheduled batch comes due at its time, not before', async (t) => {
  const { clock, scheduler, due } = setup()
  scheduler.schedule({ sub: subscription(), events: [event('a', new Date(START).toISOString())], attempts: 1 }, START + 10_000)
  t.equal(scheduler.size, 1)
  clock.advance(9_999)
  t.same(due, [])
  clock.advance(1)
  t.match(due, [{ attempts: 1, events: [{ id: 'a' }] }])
  t.equal(scheduler.size, 0)
})

t.test('an event past its time-to-live is dead-lettered when its retry comes due', async (t) => {
  const { clock, scheduler, due, deadLettered } = setup()
  const sub = subscription({ retryPolicy: { eventTimeToLiveInMinutes: 1, maxDeliveryAttempts: 30 } })
  scheduler.schedule({ sub, events: [event('old', new Date(START).toISOString())], attempts: 3 }, START + 120_000)
  clock.advance(120_000)
  t.same(due, [])
  t.same(deadLettered, ['TimeToLiveExceeded:old'])
})

t.test('a deleted or failed subscription\'s retry is dropped with the reason when due', async (t) => {
  const { clock, log, scheduler, due } = setup()
  const gone = subscription()
  const failed = subscription()
  scheduler.schedule({ sub: gone, events: [event('g', new Date(START).toISOString())], attempts: 1 }, START + 10)
  scheduler.schedule({ sub: failed, events: [event('f', new Date(START).toISOString())], attempts: 1 }, START + 10)
  gone.active = false
  failed.state = 'Failed'
  failed.stateReason = 'refused'
  clock.advance(10)
  t.same(due, [])
  t.same(outcomes(log), ['Dropped:g', 'Dropped:f'])
  t.match(log.query()[1]?.reason, 'subscription validation failed: refused')
})

t.test('remove() hands back a subscription\'s retries; stop() fires nothing more', async (t) => {
  const { clock, scheduler, due } = setup()
  const a = subscription()
  const b = subscription()
  scheduler.schedule({ sub: a, events: [event('a')], attempts: 1 }, START + 10)
  scheduler.schedule({ sub: b, events: [event('b')], attempts: 1 }, START + 10)
  t.same(scheduler.remove(a).map((x) => x.events[0]?.id), ['a'])
  scheduler.stop()
  clock.advance(100)
  t.same(due, [])
})

t.test('restore() takes back a journalled retry: counted against the bound, due at its time (or at once if overdue)', async (t) => {
  const { clock, scheduler, due } = setup()
  const sub = subscription()
  scheduler.restore({ sub, events: [event('later', new Date(START).toISOString())], attempts: 2, dueAt: START + 5_000 })
  scheduler.restore({ sub, events: [event('overdue', new Date(START).toISOString())], attempts: 4, dueAt: START - 1_000 })
  t.equal(sub.backlog, 2)
  t.equal(scheduler.size, 2)
  clock.advance(0)
  t.same(due.map((b) => b.events[0]?.id), ['overdue'])
  clock.advance(5_000)
  t.match(due, [{ attempts: 4 }, { attempts: 2, events: [{ id: 'later' }] }])
  t.notOk('dueAt' in due[1]!, 'the batch is a plain pending batch again')
})
