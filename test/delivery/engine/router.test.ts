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

t.test('with many subscriptions the routing index is used, and hand-overs and records are those of evaluating every filter', async (t) => {
  const { createSubscription } = await import('../../../src/delivery/subscription.js')
  const make = (i: number, filter: Record<string, unknown> | undefined): SubscriptionRuntime => {
    const sub = createSubscription('orders', `sub-${i}`, { destination: { endpointType: 'WebHook', properties: { endpointUrl: 'http://receiver.test/hook' } }, ...(filter !== undefined ? { filter } : {}) } as never, 'EventGridSchema')
    sub.state = 'Succeeded'
    return sub
  }
  const filters: Array<Record<string, unknown> | undefined> = [
    { includedEventTypes: ['Contoso.Created'] },
    { includedEventTypes: ['contoso.CREATED'], subjectBeginsWith: '/ORDERS/' },
    { subjectBeginsWith: '/invoices/' },
    { advancedFilters: [{ operatorType: 'StringIn', key: 'data.city', values: ['oslo'] }] },
    { advancedFilters: [{ operatorType: 'NumberIn', key: 'data.n', values: [2] }] },
    undefined,
    { advancedFilters: [{ operatorType: 'BoolEquals', key: 'data.flag', value: true }] }
  ]
  const subs = Array.from({ length: 40 }, (_, i) => make(i, filters[i % filters.length]))
  const events = [
    { ...event('a'), eventGrid: { ...event('a').eventGrid!, data: { city: 'OSLO', n: 2, flag: true } } },
    event('b', undefined, 'Other.Type'),
    { ...event('c'), eventGrid: { ...event('c').eventGrid!, subject: '/invoices/9', data: { n: 3 } } }
  ]
  // The brute-force answer: every filter evaluated, in the router's order (subscription by subscription).
  const expected: string[] = []
  for (const sub of subs) for (const e of events) expected.push(`${sub.name}:${e.id}:${sub.filter.matches(e.eventGrid as never) ? 'match' : 'NotMatched'}`)
  const { log, router, queued } = setup()
  router.route(subs, events)
  router.route(new Set(subs), events) // the same list again, as an iterable: the cached index serves it
  const got = [...queued.flatMap(([name, ids]) => ids.map((id) => `${name}:${id}:match`)), ...log.query().map((r) => `${r.subscription}:${r.eventIds[0]!}:${r.outcome}`)]
  const order = (xs: string[]): string[] => [...xs].sort()
  t.same(order(got), order([...expected, ...expected]))
  t.same(log.query().slice(0, expected.filter((x) => x.endsWith('NotMatched')).length).map((r) => `${r.subscription}:${r.eventIds[0]!}:${r.outcome}`), expected.filter((x) => x.endsWith('NotMatched')), 'records come in the same order as without the index')
  t.ok(queued.length > 0 && log.size > 0)
  t.match(log.query().find((r) => r.subscription === 'sub-3' && r.eventIds[0] === 'b')?.reason, /data\.city/, 'a declined event is explained from its filter as before')
})
