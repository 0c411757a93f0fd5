/**
 * The routing index against brute force: for random subscriptions and events, the subscriptions that match when
 * every filter is evaluated are exactly those the index offers as candidates and that then match. Alphabets mix
 * cases and the characters where case folding is subtle (Kelvin sign, long s, final sigma, dotted capital I),
 * keys are spelled in several casings, values come as arrays with array filtering on and off.
 */
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
    const index = buildRouteIndex(filters.map((f) => ({ filter: f, schema })))
    for (const e of events) {
      const brute = compiled.flatMap((c, i) => c.matches(e) ? [i] : [])
      const candidates = index.candidates(e)
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
  const index = buildRouteIndex(subs)
  t.equal(index.size, 9)
  t.same(index.candidates({ eventType: 'x', subject: '/none', data: {} }), [6, 8], 'only the unfiltered and the unindexable')
  t.same(index.candidates({ eventType: 'CONTOSO.created', subject: '/ORDERS/1', data: { city: 'OSLO', n: 2, flag: true } }), [0, 1, 2, 4, 5, 6, 8])
  t.same(index.candidates({ eventType: 'x', subject: '/Orders/1', data: { city: ['Bergen'] } }), [2, 3, 6, 8], 'an array value is looked into only with array filtering on')
  t.same(buildRouteIndex([]).candidates({}), [])
})
