/** The router: matched events go to the queue, declined ones get a NotMatched record, a throwing filter drops one event. */
import t from 'tap'
import { OutcomeRecorder } from '../../../src/delivery/engine/outcome-recorder.js'
import { Router } from '../../../src/delivery/engine/router.js'
import type { SubscriptionRuntime } from '../../../src/delivery/subscription.js'
import type { AcceptedEvent } from '../../../src/domain/events.js'
import { ManualClock } from '../../helpers/manual-clock.js'
import { DeliveryLog, event, outcomes, subscription } from './fixtures.js'

function setup (): { log: DeliveryLog, router: Router, queued: Array<[string, string[]]> } {
  const log = new DeliveryLog()
  const queued: Array<[string, string[]]> = []
  const router = new Router(new ManualClock(), new OutcomeRecorder({ clock: new ManualClock(), log }), (sub: SubscriptionRuntime, events: AcceptedEvent[]) => { queued.push([sub.name, events.map((e) => e.id)]) })
  return { log, router, queued }
}

t.test('each subscription gets the events its filter accepts, in one hand-over; the rest are NotMatched', async (t) => {
  const { log, router, queued } = setup()
  const sub = subscription({ filter: { includedEventTypes: ['Keep'] } })
  router.route([sub], [event('a', undefined, 'Keep'), event('b', undefined, 'Skip'), event('c', undefined, 'Keep')])
  t.same(queued, [['hook', ['a', 'c']]])
  t.same(outcomes(log), ['NotMatched:b'])
  t.match(log.query()[0]?.reason, /Skip/)
})

t.test('no match, no hand-over', async (t) => {
  const { router, queued } = setup()
  router.route([subscription({ filter: { includedEventTypes: ['Keep'] } })], [event('a', undefined, 'Other')])
  t.same(queued, [])
})

t.test('a filter that throws drops that event for that subscription only', async (t) => {
  const { log, router, queued } = setup()
  const sub = subscription()
  ;(sub.filter as { matches: (v: Record<string, unknown>) => boolean }).matches = (view) => { if (view.id === 'bad') throw new Error('filter broke'); return true }
  router.route([sub], [event('bad'), event('good')])
  t.same(queued, [['hook', ['good']]])
  t.match(log.query(), [{ outcome: 'Dropped', eventIds: ['bad'], reason: 'internal error while evaluating the filter: Error: filter broke' }])
  t.equal(sub.backlog, 0, 'the dropped event was counted and settled')
})
