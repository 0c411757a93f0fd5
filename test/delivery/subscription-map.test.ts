/**
 * A scope's SubscriptionMap sums its subscriptions' back-pressure counts as the OutcomeRecorder changes them, so a
 * publish reads the topic's backlog without adding up a thousand subscriptions. Whatever the order of additions,
 * replacements, deletions, adoptions by another map and outcomes, backlog() is the sum over what the map holds.
 */
import fc from 'fast-check'
import t from 'tap'
import { OutcomeRecorder } from '../../src/delivery/engine/outcome-recorder.js'
import { SubscriptionMap } from '../../src/delivery/subscription-map.js'
import type { SubscriptionRuntime } from '../../src/delivery/subscription.js'
import { ManualClock } from '../helpers/manual-clock.js'
import { DeliveryLog, event, subscription } from './engine/fixtures.js'

const sum = (map: SubscriptionMap): number => [...map.values()].reduce((n, s) => n + s.backlog, 0)

const op = fc.oneof(
  fc.record({ kind: fc.constant('set' as const), map: fc.nat(1), name: fc.nat(3), sub: fc.nat(5) }),
  fc.record({ kind: fc.constant('delete' as const), map: fc.nat(1), name: fc.nat(3) }),
  fc.record({ kind: fc.constant('clear' as const), map: fc.nat(1) }),
  fc.record({ kind: fc.constant('accept' as const), sub: fc.nat(5), n: fc.integer({ min: 1, max: 3 }) }),
  fc.record({ kind: fc.constant('settle' as const), sub: fc.nat(5), n: fc.integer({ min: 1, max: 4 }), outcome: fc.constantFrom('Delivered', 'Dropped', 'DeadLettered', 'Failed') }),
  fc.record({ kind: fc.constant('filterThrew' as const), sub: fc.nat(5) })
)

t.test('backlog() is always the sum over the subscriptions the map holds', async (t) => {
  let checks = 0
  fc.assert(fc.property(fc.array(op, { maxLength: 40 }), (ops) => {
    const recorder = new OutcomeRecorder({ clock: new ManualClock(), log: new DeliveryLog() })
    const subs: SubscriptionRuntime[] = Array.from({ length: 6 }, () => subscription())
    const maps = [new SubscriptionMap(), new SubscriptionMap()]
    const events = (n: number): ReturnType<typeof event>[] => Array.from({ length: n }, (_, i) => event(`e${i}`))
    for (const o of ops) {
      switch (o.kind) {
        case 'set': maps[o.map]!.set(`s${o.name}`, subs[o.sub]!); break
        case 'delete': maps[o.map]!.delete(`s${o.name}`); break
        case 'clear': maps[o.map]!.clear(); break
        case 'accept': recorder.accept(subs[o.sub]!, o.n); break
        case 'settle': recorder.record(subs[o.sub]!, events(o.n), { outcome: o.outcome as 'Delivered' }); break
        case 'filterThrew': recorder.fail(subs[o.sub]!, events(1), 'evaluating the filter', new Error('x'), false); break
      }
      for (const map of maps) {
        if (map.backlog() !== sum(map)) return false
        checks++
      }
    }
    return true
  }), { numRuns: 300, seed: 20261130 })
  t.ok(checks > 1000, `${checks} sums compared`)
})

t.test('a subscription adopted by a new map is counted once, and the new map adds up while the old one holds it', async (t) => {
  const recorder = new OutcomeRecorder({ clock: new ManualClock(), log: new DeliveryLog() })
  const old = new SubscriptionMap()
  const fresh = new SubscriptionMap()
  const sub = subscription()
  old.set('a', sub)
  recorder.accept(sub, 3)
  fresh.set('a', sub)
  t.equal(old.backlog(), 3)
  t.equal(fresh.backlog(), 3)
  recorder.record(sub, [event('x')], { outcome: 'Delivered' })
  t.equal(old.backlog(), 2)
  t.equal(fresh.backlog(), 2)
  old.delete('a')
  t.equal(old.backlog(), 0)
  t.equal(fresh.backlog(), 2)
})
