/**
 * Runs of NotMatched records: with many subscriptions, the router records the subscriptions that decline an event
 * as a few log entries standing for a record each. Everything read from the log — query order, seq numbers,
 * fields, reasons, bounds, listeners, outcome counters — must be exactly what a record per subscription gives;
 * a store without `addDeclined` (records one by one) is the reference.
 */
import t from 'tap'
import type { DeliveryRecord } from '../../../src/delivery/delivery-log.js'
import { OutcomeRecorder } from '../../../src/delivery/engine/outcome-recorder.js'
import { Router } from '../../../src/delivery/engine/router.js'
import type { DeliveryLogStore } from '../../../src/delivery/ports.js'
import { createSubscription, type SubscriptionRuntime } from '../../../src/delivery/subscription.js'
import { SubscriptionMap } from '../../../src/delivery/subscription-map.js'
import type { AcceptedEvent } from '../../../src/domain/events.js'
import { OutcomeCounters } from '../../../src/observe/counters.js'
import { ManualClock } from '../../helpers/manual-clock.js'
import { DeliveryLog, event } from './fixtures.js'

/** The same log without runs: every NotMatched comes as its own record, as before runs existed. */
function oneByOne (log: DeliveryLog): DeliveryLogStore {
  return { add: (r) => log.add(r), onRecord: (l) => log.onRecord(l), query: (q) => log.query(q), clear: () => { log.clear() }, get size () { return log.size } }
}

function subscriptions (count: number): SubscriptionRuntime[] {
  return Array.from({ length: count }, (_, i) => {
    const filter = { advancedFilters: [{ operatorType: 'StringIn', key: 'data.customer', values: [`c${i % 8}`] }, { operatorType: 'NumberGreaterThan', key: 'data.n', value: -1 }] }
    const sub = createSubscription(i % 3 === 0 ? 'orders' : 'Orders', `Sub-${i}`, { destination: { endpointType: 'WebHook', properties: { endpointUrl: 'http://receiver.test/hook' } }, filter } as never, 'EventGridSchema')
    sub.state = 'Succeeded'
    return sub
  })
}

function customerEvent (id: string, customer: string, n: unknown = 1): AcceptedEvent {
  const e = event(id)
  return { ...e, eventGrid: { ...e.eventGrid!, data: { customer, n } } }
}

interface Setup { log: DeliveryLog, store: DeliveryLogStore, router: Router, counters: OutcomeCounters, heard: string[] }

/** A router over `store`; each hand-over records a Waiting record at once, so runs must leave room for it in order. */
function setup (runs: boolean, capacity?: number, maxBytes?: number): Setup {
  const log = new DeliveryLog(capacity, maxBytes)
  const store = runs ? log : oneByOne(log)
  const clock = new ManualClock()
  const recorder = new OutcomeRecorder({ clock, log: store })
  const router = new Router(clock, recorder, (sub, events) => { recorder.record(sub, events, { outcome: 'Waiting', reason: 'held' }) })
  const counters = new OutcomeCounters(store)
  const heard: string[] = []
  store.onRecord((r) => { heard.push(JSON.stringify(r)) })
  return { log, store, router, counters, heard }
}

function routeAll (s: Setup, subs: SubscriptionRuntime[]): void {
  // Single events (the path that makes runs), one declined by all, one whose filter throws for one subscription.
  s.router.route(subs, [customerEvent('a', 'c1')])
  s.router.route(subs, [customerEvent('b', 'nobody')])
  s.router.route(subs, [customerEvent('c', 'c3')])
  s.router.route(subs, [customerEvent('d', 'c5', 'not a number')])
  s.router.route(subs, [customerEvent('e', 'c3'), customerEvent('f', 'c7')]) // a batch: a record each, as before
}

const json = (records: DeliveryRecord[]): unknown => JSON.parse(JSON.stringify(records))

t.test('40 subscriptions: the log reads exactly as with a record per declining subscription', async (t) => {
  const subs = subscriptions(40)
  const broken = subs[13]!
  const matches = broken.filter.matches.bind(broken.filter)
  ;(broken.filter as { matches: (v: Record<string, unknown>) => boolean }).matches = (view) => {
    if ((view.data as { customer?: string } | undefined)?.customer === 'c5') throw new Error('filter broke')
    return matches(view)
  }
  const runs = setup(true)
  const plain = setup(false)
  let entries = 0
  runs.log.onRecord(() => {}, () => { entries++ })
  routeAll(runs, subs)
  routeAll(plain, subs)
  t.ok(entries > 0 && entries < 40, `the declines were kept as ${entries} runs`)
  const expected = json(plain.log.query())
  t.equal((expected as unknown[]).length, 40 * 6, 'every subscription has a record for every event')
  t.equal(plain.log.query({ status: 'Dropped' }).length, 1, 'the throwing filter dropped d')
  t.equal(plain.log.query({ status: 'Waiting' }).length, 5 * 4, 'five subscriptions took each of a, c, e, f')
  t.same(json(runs.log.query()), expected, 'same records, order, seq numbers and reasons')
  t.strictSame(JSON.stringify(runs.log.query()), JSON.stringify(plain.log.query()), 'same JSON, key order included')
  t.match(runs.log.query({ subscription: 'sub-2' }).find((r) => r.eventIds[0] === 'a')?.reason, /data\.customer/, 'a declined event is explained from its filter')
  t.same(runs.log.query({ topic: 'orders', status: 'notmatched', limit: 7 }), plain.log.query({ topic: 'orders', status: 'notmatched', limit: 7 }), 'filters read the expanded records')
  t.same(runs.heard, plain.heard, 'a listener of records hears each one, in order')
  t.equal(runs.log.size, plain.log.size)
  for (const sub of subs) {
    t.strictSame(JSON.stringify(runs.counters.of(sub.topic, sub.name.toLowerCase())), JSON.stringify(plain.counters.of(sub.topic, sub.name.toLowerCase())), `counters of ${sub.topic}/${sub.name}`)
  }
  t.same(runs.counters.of('orders', 'Sub-0').counts, { NotMatched: 6 }, 'declines counted per subscription')
  t.same(runs.counters.of('Orders', 'Sub-1').counts, { Waiting: 1, NotMatched: 5 }, 'outcomes listed in the order they first came')
})

t.test('the log bounds count the records a run stands for, and forget them oldest first', async (t) => {
  const subs = subscriptions(40)
  for (const [capacity, maxBytes] of [[50, undefined], [7, undefined], [1000, 9000], [1000, 300]] as const) {
    const runs = setup(true, capacity, maxBytes)
    const plain = setup(false, capacity, maxBytes)
    routeAll(runs, subs)
    routeAll(plain, subs)
    t.equal(runs.log.size, plain.log.size, `size under ${capacity} records, ${maxBytes ?? 'default'} bytes`)
    t.ok(runs.log.size <= capacity)
    t.same(json(runs.log.query()), json(plain.log.query()), 'the same records kept')
    // Counters are not bounded by the log.
    t.same(runs.counters.of('orders', 'sub-0'), plain.counters.of('orders', 'sub-0'))
  }
  const small = setup(true, 50)
  small.router.route(subs, [customerEvent('x', 'nobody')])
  t.equal(small.log.size, 40, 'one run counts as its 40 records')
  small.router.route(subs, [customerEvent('y', 'nobody')])
  t.equal(small.log.size, 50)
  t.same(small.log.query().map((r) => r.seq), Array.from({ length: 50 }, (_, i) => 31 + i), 'the oldest 30 forgotten, seq numbers kept')
  small.log.clear()
  t.equal(small.log.size, 0)
  t.same(small.log.query(), [])
})

t.test('counters stay right across many subscription lists (each reload makes a new one)', async (t) => {
  const runs = setup(true)
  const plain = setup(false)
  for (let i = 0; i < 20; i++) {
    // A fresh list of the same names, as after a reload; the first event precedes any decline of some subscriptions.
    const subs = subscriptions(20)
    for (const s of [runs, plain]) {
      s.router.route(subs, [customerEvent(`m${i}`, `c${i % 8}`)])
      s.router.route(subs, [customerEvent(`n${i}`, 'nobody')])
    }
  }
  for (const sub of subscriptions(20)) {
    t.strictSame(JSON.stringify(runs.counters.of(sub.topic, sub.name)), JSON.stringify(plain.counters.of(sub.topic, sub.name)), `counters of ${sub.name}`)
  }
  t.same(runs.counters.of('Orders', 'sub-1').counts, { Waiting: 3, NotMatched: 37 })
  runs.counters.clear()
  t.same(runs.counters.of('Orders', 'sub-1'), { counts: {} })
})

t.test("through a scope's SubscriptionMap: the records routing its list gives, and every change seen at once", async (t) => {
  const viaMap = setup(true)
  const viaList = setup(true)
  const map = new SubscriptionMap()
  for (const sub of subscriptions(40)) map.set(sub.name, sub)
  const both = (e: AcceptedEvent): void => {
    viaMap.router.route(map, [e])
    viaList.router.route([...map.values()], [e])
  }
  both(customerEvent('a', 'c1'))
  const first = map.list()
  t.equal(map.list(), first, 'the list is the same object until a change')
  t.ok(Object.isFrozen(first))
  map.delete('Sub-1')
  t.not(map.list(), first, 'a delete makes a new list')
  both(customerEvent('b', 'c1'))
  const extra = subscriptions(41)[40]!
  map.set(extra.name, extra)
  both(customerEvent('c', 'c0'))
  // A subscription's filter changed in place, as SubscriptionRegistry.reconfigure does (which then calls changed()).
  const sub2 = map.get('Sub-2')!
  const other = createSubscription(sub2.topic, sub2.name, { destination: sub2.body.destination, filter: { advancedFilters: [{ operatorType: 'StringIn', key: 'data.customer', values: ['c1'] }] } } as never, 'EventGridSchema')
  const before = map.list()
  Object.assign(sub2, { body: other.body, filter: other.filter })
  map.changed()
  t.not(map.list(), before, 'changed() makes a new list')
  both(customerEvent('d', 'c1'))
  map.clear()
  both(customerEvent('e', 'c1'))
  t.strictSame(JSON.stringify(viaMap.log.query()), JSON.stringify(viaList.log.query()), 'same records, order and seq numbers')
  const waiting = (id: string): string[] => viaMap.log.query({ status: 'Waiting', eventId: id }).map((r) => r.subscription)
  t.same(waiting('b'), ['Sub-9', 'Sub-17', 'Sub-25', 'Sub-33'], 'the deleted subscription is gone')
  t.same(waiting('c'), ['Sub-0', 'Sub-8', 'Sub-16', 'Sub-24', 'Sub-32', 'Sub-40'], 'the added one takes its events')
  t.same(waiting('d'), ['Sub-2', 'Sub-9', 'Sub-17', 'Sub-25', 'Sub-33'], 'the changed filter decides')
  t.same(viaMap.log.query({ eventId: 'e' }), [], 'an empty scope records nothing')
})

t.test('a SubscriptionMap knows its earliest expiry', async (t) => {
  const map = new SubscriptionMap()
  t.equal(map.earliestExpiry(), Infinity)
  const [a, b] = subscriptions(2)
  map.set('a', { ...a!, body: { ...a!.body, expirationTimeUtc: '2030-01-02T00:00:00Z' } })
  t.equal(map.earliestExpiry(), Date.parse('2030-01-02T00:00:00Z'))
  map.set('b', { ...b!, body: { ...b!.body, expirationTimeUtc: '2030-01-01T00:00:00Z' } })
  t.equal(map.earliestExpiry(), Date.parse('2030-01-01T00:00:00Z'))
  map.delete('b')
  t.equal(map.earliestExpiry(), Date.parse('2030-01-02T00:00:00Z'))
  map.set('a', b!)
  t.equal(map.earliestExpiry(), Infinity, 'a replaced subscription no longer counts')
})

t.test('an event a filter throws on is dropped for that subscription, as without the index, even where the index would leave it out', async (t) => {
  const subs = Array.from({ length: 40 }, (_, i) => {
    // The number is read before the customer the index files the subscription under.
    const filter = { advancedFilters: [{ operatorType: 'NumberGreaterThan', key: 'data.n', value: -1 }, { operatorType: 'StringIn', key: 'data.customer', values: [`c${i % 8}`] }] }
    const sub = createSubscription('orders', `Sub-${i}`, { destination: { endpointType: 'WebHook', properties: { endpointUrl: 'http://receiver.test/hook' } }, filter } as never, 'EventGridSchema')
    sub.state = 'Succeeded'
    return sub
  })
  const s = setup(true)
  const e = event('h')
  // A getter that throws, as an object handed to the in-process API may hold (JSON.stringify skips it).
  const data = Object.defineProperty({ customer: 'c1' }, 'n', { get () { throw new Error('hostile') }, enumerable: false })
  s.router.route(subs, [{ ...e, eventGrid: { ...e.eventGrid!, data } }])
  t.equal(s.log.query({ status: 'Dropped' }).length, 40, 'every filter threw: Dropped for each')
  t.match(s.log.query()[0]?.reason, /evaluating the filter: Error: hostile/)
  t.equal(s.log.query({ status: 'NotMatched' }).length, 0)
  s.router.route(subs, [customerEvent('p', 'c1')])
  t.equal(s.log.query({ status: 'Waiting', eventId: 'p' }).length, 5, 'plain events still go through the index')
})

t.test('counters read between many runs (applied a batch at a time) match a record each', async (t) => {
  const subs = subscriptions(40)
  const runs = setup(true)
  const plain = setup(false)
  const customers = ['c1', 'nobody', 'c3', 'c3', 'c0', 'c7', 'nobody']
  for (let i = 0; i < 700; i++) {
    for (const s of [runs, plain]) s.router.route(subs, [customerEvent(`m${i}`, customers[i % customers.length]!)])
    // Reads at odd moments: before, between and after the batches of runs are applied.
    if (i === 3 || i === 150 || i === 151 || i === 480) {
      for (const sub of subs.slice(0, 9)) t.strictSame(JSON.stringify(runs.counters.of(sub.topic, sub.name)), JSON.stringify(plain.counters.of(sub.topic, sub.name)), `after ${i + 1} events: ${sub.name}`)
    }
  }
  for (const sub of subs) t.strictSame(JSON.stringify(runs.counters.of(sub.topic, sub.name)), JSON.stringify(plain.counters.of(sub.topic, sub.name)), `at the end: ${sub.name}`)
  t.same(runs.counters.of('Orders', 'Sub-1').counts, { NotMatched: 600, Waiting: 100 })
})
