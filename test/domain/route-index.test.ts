/**
 * The routing index against brute force: for random subscriptions and events, the subscriptions that match when
 * every filter is evaluated are exactly those the index offers as candidates and that then match. Alphabets mix
 * cases and the characters where case folding is subtle (Kelvin sign, long s, final sigma, dotted capital I),
 * keys are spelled in several casings, values come as arrays with array filtering on and off. Hostile events (as
 * the in-process API may be handed: getters that throw or change, Proxies, other prototypes) must give each
 * subscription the same outcome too — matched, declined or a filter that throws — which the index ensures by
 * naming no candidates for them.
 */
import { types as util } from 'node:util'
import fc from 'fast-check'
import t from 'tap'
import { compileFilter, validateFilter, type AdvancedFilter, type FilterSchema, type SubscriptionFilter } from '../../src/domain/filter/index.js'
import { buildRouteIndex } from '../../src/domain/filter/route-index.js'

const RUNS = Number(process.env.FUZZ_RUNS ?? 500)
const SEED = Number(process.env.FUZZ_SEED ?? 20261130)

const letters = ['a', 'A', 'b', 'B', 'k', 'K', '\u212a', 's', 'S', '\u017f', '\u03c3', '\u03c2', '\u03a3', 'i', 'I', '\u0130', '/', '.']
const text = fc.array(fc.constantFrom(...letters), { maxLength: 4 }).map((xs) => xs.join(''))
const shortText = fc.array(fc.constantFrom(...letters), { minLength: 1, maxLength: 2 }).map((xs) => xs.join(''))
const types = fc.constantFrom('Order.Created', 'order.created', 'ORDER.CREATED', 'Order.Deleted', 'Other', 'all', 'All')
const keys = fc.constantFrom('data.s', 'data.S', 'Data.s', 'data.n', 'data.b', 'subject', 'Subject', 'data.arr', 'data.missing', 'type', 'eventType')
const scalar = fc.oneof(text, fc.constantFrom(0, 1, 2, -0, 2.5), fc.boolean(), fc.constant(null))
const value = fc.oneof(scalar, fc.array(fc.oneof(scalar, fc.constant({ x: 1 })), { maxLength: 3 }))

const advanced: fc.Arbitrary<AdvancedFilter> = fc.oneof(
  fc.record({ operatorType: fc.constantFrom('StringIn', 'StringBeginsWith', 'StringNotIn', 'StringContains'), key: keys, values: fc.array(text, { minLength: 1, maxLength: 3 }) }),
  fc.record({ operatorType: fc.constantFrom('NumberIn', 'NumberNotIn'), key: keys, values: fc.array(fc.constantFrom(0, 1, 2, -0, 2.5), { minLength: 1, maxLength: 3 }) }),
  fc.record({ operatorType: fc.constant('BoolEquals'), key: keys, value: fc.boolean() }),
  fc.record({ operatorType: fc.constantFrom('IsNotNull', 'IsNullOrUndefined'), key: keys }),
  fc.record({ operatorType: fc.constant('NumberGreaterThan'), key: keys, value: fc.constantFrom(0, 1, 2) })
)

const filter: fc.Arbitrary<SubscriptionFilter | undefined> = fc.option(fc.record({
  includedEventTypes: fc.option(fc.array(types, { maxLength: 3 }), { nil: undefined }),
  subjectBeginsWith: fc.option(shortText, { nil: undefined }),
  subjectEndsWith: fc.option(shortText, { nil: undefined }),
  isSubjectCaseSensitive: fc.option(fc.boolean(), { nil: undefined }),
  enableAdvancedFilteringOnArrays: fc.option(fc.boolean(), { nil: undefined }),
  advancedFilters: fc.option(fc.array(advanced, { maxLength: 3 }), { nil: undefined })
}, { requiredKeys: [] }), { nil: undefined })

const event = fc.record({
  id: fc.constant('e'),
  eventType: types,
  type: types,
  subject: fc.oneof(text, fc.constant(undefined), fc.constant(7)),
  Subject: fc.option(text, { nil: undefined }),
  data: fc.record({ s: value, S: value, n: value, b: value, arr: value }, { requiredKeys: [] })
}, { requiredKeys: ['id'] }) as fc.Arbitrary<Record<string, unknown>>

function drop (f: SubscriptionFilter | undefined): SubscriptionFilter | undefined {
  if (f === undefined) return undefined
  return Object.fromEntries(Object.entries(f).filter(([, v]) => v !== undefined)) as SubscriptionFilter
}

t.test('the index offers every subscription that matches, so routing through it decides as brute force does', async (t) => {
  let compared = 0
  let skipped = 0
  let matched = 0
  let excluded = 0
  fc.assert(fc.property(fc.array(filter, { maxLength: 12 }), fc.array(event, { minLength: 1, maxLength: 6 }), fc.constantFrom<FilterSchema>('EventGridSchema', 'CloudEventSchemaV1_0'), (raw, events, schema) => {
    const filters = raw.map(drop).filter((f) => validateFilter(f).length === 0)
    skipped += raw.length - filters.length
    const compiled = filters.map((f) => compileFilter(f, schema))
    const index = buildRouteIndex(filters.map((f) => ({ filter: f, schema })), util.isProxy)
    for (const e of events) {
      const brute = compiled.flatMap((c, i) => c.matches(e) ? [i] : [])
      const candidates = index.candidates(e)
      if (candidates === undefined) return false // plain data: the index always answers
      const viaIndex = candidates.filter((i) => compiled[i]!.matches(e))
      if (JSON.stringify(viaIndex) !== JSON.stringify(brute)) return false
      if (candidates.some((p, i) => i > 0 && candidates[i - 1]! >= p)) return false
      compared++
      matched += brute.length
      excluded += compiled.length - candidates.length
    }
    return true
  }), { numRuns: RUNS, seed: SEED })
  t.ok(compared > RUNS, `${compared} events compared (${skipped} invalid random filters skipped)`)
  // The property is only worth something if both sides of it occur often.
  t.ok(matched > RUNS && excluded > RUNS, `${matched} matches, ${excluded} subscriptions left out by the index`)
})

t.test('candidates are narrowed by what filters test with equality', async (t) => {
  const subs: Array<{ filter: SubscriptionFilter | undefined, schema: FilterSchema }> = [
    { filter: { advancedFilters: [{ operatorType: 'StringIn', key: 'data.city', values: ['Oslo', 'Bergen'] }] }, schema: 'EventGridSchema' },
    { filter: { advancedFilters: [{ operatorType: 'NumberIn', key: 'data.n', values: [1, 2] }] }, schema: 'EventGridSchema' },
    { filter: { subjectBeginsWith: '/orders/' }, schema: 'EventGridSchema' },
    { filter: { subjectBeginsWith: '/Orders/', isSubjectCaseSensitive: true }, schema: 'EventGridSchema' },
    { filter: { includedEventTypes: ['Contoso.Created'] }, schema: 'EventGridSchema' },
    { filter: { advancedFilters: [{ operatorType: 'BoolEquals', key: 'data.flag', value: true }] }, schema: 'EventGridSchema' },
    { filter: undefined, schema: 'EventGridSchema' },
    { filter: { includedEventTypes: [] }, schema: 'EventGridSchema' },
    { filter: { advancedFilters: [{ operatorType: 'StringContains', key: 'data.city', values: ['o'] }] }, schema: 'EventGridSchema' }
  ]
  const index = buildRouteIndex(subs, util.isProxy)
  t.equal(index.size, 9)
  t.same(index.candidates({ eventType: 'x', subject: '/none', data: {} }), [6, 8], 'only the unfiltered and the unindexable')
  t.same(index.candidates({ eventType: 'CONTOSO.created', subject: '/ORDERS/1', data: { city: 'OSLO', n: 2, flag: true } }), [0, 1, 2, 4, 5, 6, 8])
  t.same(index.candidates({ eventType: 'x', subject: '/Orders/1', data: { city: ['Bergen'] } }), [2, 3, 6, 8], 'an array value is looked into only with array filtering on')
  t.same(buildRouteIndex([], util.isProxy).candidates({}), [])
})

/**
 * A hostile part of an event, applied to a fresh copy each time (a getter may answer differently on each read, so
 * each side of the comparison gets an event in the same initial state).
 */
type Hostility =
  | { kind: 'throwingGetter', at: 'data' | 'top', name: string, enumerable: boolean }
  | { kind: 'flipGetter', name: string }
  | { kind: 'proxy', throwOn: string | undefined }
  | { kind: 'prototype', name: string }
  | { kind: 'elementGetter', name: string }
  | { kind: 'nonObject', data: unknown }

const dataNames = fc.constantFrom('s', 'S', 'n', 'b', 'arr', 'missing')
const hostility: fc.Arbitrary<Hostility> = fc.oneof(
  fc.record({ kind: fc.constant('throwingGetter' as const), at: fc.constantFrom('data' as const, 'top' as const), name: fc.constantFrom('s', 'S', 'n', 'subject', 'Subject', 'eventType', 'type'), enumerable: fc.boolean() }),
  fc.record({ kind: fc.constant('flipGetter' as const), name: dataNames }),
  fc.record({ kind: fc.constant('proxy' as const), throwOn: fc.option(dataNames, { nil: undefined }) }),
  fc.record({ kind: fc.constant('prototype' as const), name: dataNames }),
  fc.record({ kind: fc.constant('elementGetter' as const), name: dataNames }),
  fc.record({ kind: fc.constant('nonObject' as const), data: fc.constantFrom('text', 5, null, true, [1, 'a'], [{ s: 'a' }]) })
)

function hostile (plain: Record<string, unknown>, h: Hostility): Record<string, unknown> {
  const e: Record<string, unknown> = structuredClone(plain)
  const data = (typeof e.data === 'object' && e.data !== null ? e.data : {}) as Record<string, unknown>
  e.data = data
  switch (h.kind) {
    case 'throwingGetter':
      Object.defineProperty(h.at === 'data' ? data : e, h.name, { get () { throw new Error('hostile getter') }, enumerable: h.enumerable, configurable: true })
      break
    case 'flipGetter': {
      let reads = 0
      Object.defineProperty(data, h.name, { get () { reads++; if (reads === 3) throw new Error('third read'); return reads % 2 === 0 ? 'a' : 1 }, enumerable: true })
      break
    }
    case 'proxy':
      e.data = new Proxy(data, { get (target, key) { if (h.throwOn === undefined || key === h.throwOn) throw new Error('hostile proxy'); return Reflect.get(target, key) } })
      break
    case 'prototype': {
      const inherited = Object.create(Object.defineProperty({}, h.name, { get () { throw new Error('inherited getter') } })) as Record<string, unknown>
      for (const [k, v] of Object.entries(data)) if (k !== h.name) inherited[k] = v
      e.data = inherited
      break
    }
    case 'elementGetter': {
      const array = ['a', 1]
      Object.defineProperty(array, 1, { get () { throw new Error('hostile element') }, enumerable: true })
      data[h.name] = array
      break
    }
    case 'nonObject':
      e.data = structuredClone(h.data)
      break
  }
  return e
}

type Verdict = 'matched' | 'declined' | 'threw'
const verdict = (c: { matches: (e: Record<string, unknown>) => boolean }, e: Record<string, unknown>): Verdict => {
  try { return c.matches(e) ? 'matched' : 'declined' } catch { return 'threw' }
}

t.test('on hostile events every subscription gets the outcome evaluating every filter gives (the index steps aside)', async (t) => {
  let compared = 0
  let threw = 0
  let vouched = 0
  fc.assert(fc.property(fc.array(filter, { minLength: 4, maxLength: 12 }), event, hostility, fc.constantFrom<FilterSchema>('EventGridSchema', 'CloudEventSchemaV1_0'), (raw, plain, h, schema) => {
    const filters = raw.map(drop).filter((f) => validateFilter(f).length === 0)
    const compiled = filters.map((f) => compileFilter(f, schema))
    const index = buildRouteIndex(filters.map((f) => ({ filter: f, schema })), util.isProxy)
    // Brute force, in order, on one copy.
    const once = hostile(plain, h)
    const brute = compiled.map((c) => verdict(c, once))
    // As the router does, on another: the candidates (or every filter when the index cannot vouch), in order.
    const again = hostile(plain, h)
    let candidates: number[] | undefined
    try { candidates = index.candidates(again) } catch { candidates = undefined }
    if (candidates !== undefined) vouched++
    const viaIndex = compiled.map((c, i) => candidates === undefined || candidates.includes(i) ? verdict(c, again) : 'declined')
    if (JSON.stringify(viaIndex) !== JSON.stringify(brute)) return false
    compared++
    threw += brute.filter((v) => v === 'threw').length
    return true
  }), { numRuns: RUNS, seed: SEED })
  t.ok(compared > RUNS / 2, `${compared} hostile events compared`)
  t.ok(threw > RUNS / 25, `${threw} filters threw`)
  t.ok(vouched > 0, `${vouched} hostile events the index still answered (hostility where no filter reads)`)
})

t.test('the index names no candidates for an event it cannot read safely, and does not read it', async (t) => {
  const subs = Array.from({ length: 3 }, (_, i) => ({ filter: { advancedFilters: [{ operatorType: 'IsNotNull', key: 'data.to' }, { operatorType: 'StringIn', key: 'data.customer', values: [`c${i}`] }] }, schema: 'EventGridSchema' as const }))
  const index = buildRouteIndex(subs, util.isProxy)
  t.same(index.candidates({ subject: 's', data: { customer: 'c1', to: 1 } }), [1])
  let reads = 0
  const getter = { get () { reads++; throw new Error('boom') }, enumerable: false }
  t.equal(index.candidates({ subject: 's', data: Object.defineProperty({ customer: 'c1' }, 'to', getter) }), undefined, 'a getter where a filter reads')
  t.equal(index.candidates({ subject: 's', data: Object.defineProperty({ customer: 'c1' }, 'TO', getter) }), undefined, 'in another casing too')
  t.equal(index.candidates({ subject: 's', data: new Proxy({ customer: 'c1', to: 1 }, {}) }), undefined, 'a Proxy')
  t.equal(index.candidates({ subject: 's', data: Object.create({ to: 1 }) }), undefined, 'another prototype')
  t.equal(reads, 0, 'no getter was called')
  t.same(index.candidates({ subject: 's', data: Object.defineProperty({ customer: 'c2', to: 1 }, 'other', getter) }), [2], 'a getter nobody reads is fine')
  t.same(index.candidates({ subject: 's', data: 'text' }), [], 'a key through a non-object reads nothing')
  t.same(buildRouteIndex([{ filter: undefined, schema: 'EventGridSchema' }], util.isProxy).candidates(new Proxy({}, {})), [0], 'nothing to leave out: nothing to check')
})
