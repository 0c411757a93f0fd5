/** The per-subscription queue: holding until validated, the waiting bound, batching, the concurrency cap, due retries first. */
import t from 'tap'
import { buildOutbound } from '../../../src/domain/delivery-rules/outbound.js'
import { OutcomeRecorder } from '../../../src/delivery/engine/outcome-recorder.js'
import { MAX_WAITING_EVENTS, SubscriptionQueues } from '../../../src/delivery/engine/subscription-queue.js'
import type { PendingBatch } from '../../../src/delivery/engine/types.js'
import { ManualClock } from '../../helpers/manual-clock.js'
import { DeliveryLog, event, outcomes, subscription } from './fixtures.js'

function setup (concurrency = 2): { log: DeliveryLog, queues: SubscriptionQueues, launched: PendingBatch[] } {
  const log = new DeliveryLog()
  const launched: PendingBatch[] = []
  const queues = new SubscriptionQueues({ recorder: new OutcomeRecorder({ clock: new ManualClock(), log }), concurrency, launch: (b) => { b.sub.inFlight++; launched.push(b) } }) // holds a slot, as the attempt runner does
  return { log, queues, launched }
}

t.test('a validated subscription launches batches up to its concurrency; the rest waits in the queue', async (t) => {
  const { queues, launched } = setup(2)
  const sub = subscription()
  queues.enqueue(sub, [event('a'), event('b'), event('c')])
  t.same(launched.map((b) => b.events.map((e) => e.id)), [['a'], ['b']])
  t.equal(sub.ready.length, 1)
  t.equal(sub.backlog, 3)
  sub.inFlight-- // an attempt ended
  queues.pump(sub)
  t.same(launched.at(-1)?.events.map((e) => e.id), ['c'])
  t.equal(sub.ready.length, 0)
})

t.test('batch settings group events', async (t) => {
  const { queues, launched } = setup()
  const sub = subscription({ destination: { endpointType: 'WebHook', properties: { endpointUrl: 'http://x.test/', maxEventsPerBatch: 2 } } })
  sub.state = 'Succeeded'
  queues.enqueue(sub, [event('a'), event('b'), event('c')])
  t.same(launched.map((b) => b.events.map((e) => e.id)), [['a', 'b'], ['c']])
})

t.test('events wait (recorded Waiting) until validation; a Failed subscription drops them', async (t) => {
  const { log, queues, launched } = setup()
  const sub = subscription()
  sub.state = 'Creating'
  queues.enqueue(sub, [event('a')])
  t.same(launched, [])
  t.same(outcomes(log), ['Waiting:a'])
  sub.state = 'Succeeded'
  queues.pump(sub)
  t.same(launched.map((b) => b.events[0]?.id), ['a'])
  sub.state = 'Failed'
  queues.enqueue(sub, [event('b')])
  t.match(log.query().at(-1), { outcome: 'Dropped', reason: /subscription is Failed/ })
})

t.test('at most MAX_WAITING_EVENTS wait for validation; the excess is dropped with a reason', async (t) => {
  const { log, queues } = setup()
  const sub = subscription()
  sub.state = 'Creating'
  queues.enqueue(sub, Array.from({ length: MAX_WAITING_EVENTS + 2 }, (_, i) => event(`e${i}`)))
  t.equal(sub.ready.length, MAX_WAITING_EVENTS)
  t.match(log.query()[0], { outcome: 'Dropped', eventIds: [`e${MAX_WAITING_EVENTS}`, `e${MAX_WAITING_EVENTS + 1}`], reason: /already holds 10000 events/ })
  t.equal(sub.backlog, MAX_WAITING_EVENTS)
})

t.test('due retries go before new events; drop() records both as Dropped; stop() launches nothing', async (t) => {
  const { log, queues, launched } = setup(1)
  const sub = subscription()
  queues.enqueue(sub, [event('first'), event('new')])
  queues.retryDue({ sub, events: [event('retry')], attempts: 1 })
  t.equal(queues.dueCount, 1)
  sub.inFlight--
  queues.pump(sub)
  t.same(launched.map((b) => b.events[0]?.id), ['first', 'retry'], 'the retry took the free slot before the new event')
  queues.retryDue({ sub, events: [event('retry2')], attempts: 1 })
  t.equal(queues.drop(sub, 'gone'), 2, 'the new event and the due retry')
  t.same(outcomes(log).slice(-2), ['Dropped:new', 'Dropped:retry2'])
  t.equal(queues.dueCount, 0)
  sub.inFlight = 0
  queues.stop()
  queues.enqueue(sub, [event('late')])
  t.equal(launched.length, 2, 'nothing starts after stop()')
})

t.test('one event for several subscriptions: each gets the body buildOutbound would make for its schema, serialised once per schema', async (t) => {
  const { queues, launched } = setup(4)
  const eg = subscription()
  const ce = subscription({ eventDeliverySchema: 'CloudEventSchemaV1_0' })
  ce.state = 'Succeeded'
  const ceBatched = subscription({ eventDeliverySchema: 'CloudEventSchemaV1_0', destination: { endpointType: 'WebHook', properties: { endpointUrl: 'http://x.test/', preferredBatchSizeInKilobytes: 64 } } } as never)
  ceBatched.state = 'Succeeded'
  const e = event('a')
  for (const sub of [eg, eg, ce, ceBatched, eg]) queues.enqueue(sub, [e])
  const expected = (b: PendingBatch): string => buildOutbound(b.events, { subscriptionName: b.sub.name, deliverySchema: b.sub.deliverySchema, batching: b.sub.batching, attributeMappings: [] }, 0).body
  t.equal(launched.length, 5)
  for (const b of launched) t.equal(b.body, expected(b), `${b.sub.deliverySchema}${b.sub.batching ? ' batched' : ''}`)
  t.equal(launched[0]!.body, launched[1]!.body)
  t.not(launched[2]!.body, launched[0]!.body)
  // An event that cannot be serialised gets no body here: the attempt fails building its request, as before.
  const bad = event('big')
  bad.eventGrid!.data = { n: 10n }
  queues.enqueue(eg, [bad])
  t.equal(launched.at(-1)!.events[0]!.id, 'big')
  t.equal(launched.at(-1)!.body, undefined)
})
