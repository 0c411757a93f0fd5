/**
 * Every operator × {match, no match, missing key, wrong type, array with arrays on, array with arrays off},
 * then combination rules, key resolution, event-type and subject clauses, and explain() reasons.
 */
import t, { type Test } from 'tap'
import { compileFilter, OPERATOR_NAMES, type AdvancedFilter, type SubscriptionFilter } from '../../src/domain/filter/index.js'

interface OperatorCase {
  filter: Omit<AdvancedFilter, 'key'>
  match: unknown
  noMatch: unknown
  missing: boolean
  /** a value of another type than the operator compares; null checks take any type */
  wrongType: [unknown, boolean]
  /** arrays on: [array, expected] */
  arraysOn: Array<[unknown[], boolean]>
  /** arrays off: [array, expected] */
  arraysOff: [unknown[], boolean]
}

const CASES: Record<string, OperatorCase> = {
  NumberGreaterThan: { filter: { operatorType: 'NumberGreaterThan', value: 10 }, match: 11, noMatch: 10, missing: false, wrongType: ['11', false], arraysOn: [[[1, 11], true], [[1, 10], false]], arraysOff: [[1, 11], false] },
  NumberGreaterThanOrEquals: { filter: { operatorType: 'NumberGreaterThanOrEquals', value: 10 }, match: 10, noMatch: 9.99, missing: false, wrongType: ['10', false], arraysOn: [[[10], true], [[9, 3], false]], arraysOff: [[10], false] },
  NumberLessThan: { filter: { operatorType: 'NumberLessThan', value: 10 }, match: 9, noMatch: 10, missing: false, wrongType: ['9', false], arraysOn: [[[20, 9], true], [[10, 11], false]], arraysOff: [[20, 9], false] },
  NumberLessThanOrEquals: { filter: { operatorType: 'NumberLessThanOrEquals', value: 10 }, match: 10, noMatch: 10.5, missing: false, wrongType: [true, false], arraysOn: [[[10, 99], true], [[11], false]], arraysOff: [[10, 99], false] },
  NumberIn: { filter: { operatorType: 'NumberIn', values: [1, 2.5] }, match: 2.5, noMatch: 3, missing: false, wrongType: ['1', false], arraysOn: [[[9, 1], true], [[9, '1'], false]], arraysOff: [[9, 1], false] },
  NumberNotIn: { filter: { operatorType: 'NumberNotIn', values: [1, 2] }, match: 3, noMatch: 1, missing: true, wrongType: ['1', true], arraysOn: [[[3, 4, '1'], true], [[3, 2], false]], arraysOff: [[3, 4, '1'], false] },
  NumberInRange: { filter: { operatorType: 'NumberInRange', values: [[1, 5], [10, 20]] }, match: 20, noMatch: 7, missing: false, wrongType: ['3', false], arraysOn: [[[7, 10], true], [[0, 7], false]], arraysOff: [[7, 10], false] },
  NumberNotInRange: { filter: { operatorType: 'NumberNotInRange', values: [[1, 5]] }, match: 6, noMatch: 1, missing: false, wrongType: ['6', false], arraysOn: [[[0, 6], true], [[0, 5], false]], arraysOff: [[0, 6], false] },
  BoolEquals: { filter: { operatorType: 'BoolEquals', value: true }, match: true, noMatch: false, missing: false, wrongType: ['true', false], arraysOn: [[[false, true], true], [[false, 'true'], false]], arraysOff: [[false, true], false] },
  StringContains: { filter: { operatorType: 'StringContains', values: ['help', 'stop'] }, match: 'Please HELP', noMatch: 'hello', missing: false, wrongType: [42, false], arraysOn: [[['x', 'stop it'], true], [['x', 'y'], false]], arraysOff: [['x', 'stop it'], false] },
  StringNotContains: { filter: { operatorType: 'StringNotContains', values: ['help'] }, match: 'hello', noMatch: 'unhelpful', missing: false, wrongType: [42, false], arraysOn: [[['x', 'y', 7], true], [['x', 'HELP'], false]], arraysOff: [['x', 'y', 7], false] },
  StringBeginsWith: { filter: { operatorType: 'StringBeginsWith', values: ['ab'] }, match: 'ABc', noMatch: 'cab', missing: false, wrongType: [12, false], arraysOn: [[['x', 'abba'], true], [['x', 'cab'], false]], arraysOff: [['x', 'abba'], false] },
  StringNotBeginsWith: { filter: { operatorType: 'StringNotBeginsWith', values: ['ab'] }, match: 'cab', noMatch: 'Abc', missing: false, wrongType: [12, false], arraysOn: [[['cab'], true], [['cab', 'abc'], false]], arraysOff: [['cab'], false] },
  StringEndsWith: { filter: { operatorType: 'StringEndsWith', values: ['.png'] }, match: 'A.PNG', noMatch: 'a.png.gif', missing: false, wrongType: [5, false], arraysOn: [[['a.gif', 'b.png'], true], [['a.gif'], false]], arraysOff: [['a.gif', 'b.png'], false] },
  StringNotEndsWith: { filter: { operatorType: 'StringNotEndsWith', values: ['.png'] }, match: 'a.gif', noMatch: 'b.Png', missing: false, wrongType: [5, false], arraysOn: [[['a.gif'], true], [['a.gif', 'b.png'], false]], arraysOff: [['a.gif'], false] },
  StringIn: { filter: { operatorType: 'StringIn', values: ['Contoso', 'fabrikam'] }, match: 'CONTOSO', noMatch: 'contoso ltd', missing: false, wrongType: [5, false], arraysOn: [[['x', 'FABRIKAM'], true], [['x'], false]], arraysOff: [['x', 'FABRIKAM'], false] },
  StringNotIn: { filter: { operatorType: 'StringNotIn', values: ['aws'] }, match: 'azure', noMatch: 'AWS', missing: true, wrongType: [5, true], arraysOn: [[['azure', 5], true], [['azure', 'Aws'], false]], arraysOff: [['azure', 5], false] },
  // null checks look only at presence, whatever the value's type and whether arrays are enabled
  IsNullOrUndefined: { filter: { operatorType: 'IsNullOrUndefined' }, match: null, noMatch: 'x', missing: true, wrongType: [0, false], arraysOn: [[[null], false], [[], false]], arraysOff: [[null], false] },
  IsNotNull: { filter: { operatorType: 'IsNotNull' }, match: 'x', noMatch: null, missing: false, wrongType: [0, true], arraysOn: [[[null], true], [[], true]], arraysOff: [[], true] }
}

const event = (data: Record<string, unknown>): Record<string, unknown> =>
  ({ id: '1', subject: '/s', eventType: 'T', eventTime: '2024-01-01T00:00:00Z', data, dataVersion: '', metadataVersion: '1' })

function check (t: Test, filter: SubscriptionFilter, data: Record<string, unknown>, expected: boolean, label: string): void {
  const compiled = compileFilter(filter, 'EventGridSchema')
  const verdict = compiled.explain(event(data))
  t.equal(compiled.matches(event(data)), expected, label)
  t.equal(verdict.matched, expected, `${label}: explain() agrees`)
  if (!expected) {
    const operatorType = (filter.advancedFilters?.[0] as AdvancedFilter).operatorType
    t.match(verdict.reason, `advancedFilters[0] ${operatorType} data.k: `, `${label}: reason names index, operator and key`)
  }
}

t.test('the table covers all 19 operators', async t => {
  t.same(Object.keys(CASES).sort(), [...OPERATOR_NAMES].sort())
  t.equal(OPERATOR_NAMES.length, 19)
})

for (const [name, c] of Object.entries(CASES)) {
  t.test(`advanced filter › ${name}`, async t => {
    const filter = { ...c.filter, key: 'data.k' }
    const off: SubscriptionFilter = { advancedFilters: [filter] }
    const on: SubscriptionFilter = { advancedFilters: [filter], enableAdvancedFilteringOnArrays: true }
    check(t, off, { k: c.match }, true, 'match')
    check(t, off, { k: c.noMatch }, false, 'no match')
    check(t, off, { other: 1 }, c.missing, 'missing key')
    check(t, off, { k: c.wrongType[0] }, c.wrongType[1], 'wrong type')
    for (const [array, expected] of c.arraysOn) check(t, on, { k: array }, expected, `array ${JSON.stringify(array)}, arrays on`)
    check(t, off, { k: c.arraysOff[0] }, c.arraysOff[1], `array ${JSON.stringify(c.arraysOff[0])}, arrays off`)
  })
}

t.test('arrays with no element of the operator\'s type follow the missing-key rule', async t => {
  const on = (operatorType: string, values: unknown[]): SubscriptionFilter =>
    ({ enableAdvancedFilteringOnArrays: true, advancedFilters: [{ operatorType, key: 'data.k', values }] })
  check(t, on('NumberNotIn', [1]), { k: ['1', null] }, true, 'NumberNotIn matches like a missing key')
  check(t, on('StringNotIn', ['a']), { k: [] }, true, 'StringNotIn on an empty array matches')
  check(t, on('StringNotContains', ['a']), { k: [1, 2] }, false, 'StringNotContains does not')
  check(t, on('NumberNotInRange', [[1, 2]]), { k: [] }, false, 'NumberNotInRange does not')
  check(t, on('NumberIn', [1]), { k: [] }, false, 'positive operators never match an empty array')
  check(t, on('NumberIn', [5]), { k: [5, { a: 1 }] }, true, 'object elements are skipped: the number element matches')
  check(t, on('StringIn', ['a']), { k: ['a', 2, { b: 1 }] }, true, 'a mixed array matches StringIn through its string element')
  check(t, on('NumberIn', [2]), { k: ['a', 2, { b: 1 }] }, true, 'and NumberIn through its number element')
  check(t, on('NumberIn', [5]), { k: [[5]] }, false, 'a nested array is not looked into')
  check(t, on('NumberNotIn', [5]), { k: [{ a: 1 }] }, false, 'an array of only objects never matches, even a negated operator')
})

t.test('null is a value of the wrong type for comparing operators', async t => {
  const one = (operatorType: string, values: unknown[]): SubscriptionFilter => ({ advancedFilters: [{ operatorType, key: 'data.k', values }] })
  check(t, one('NumberIn', [0]), { k: null }, false, 'NumberIn')
  check(t, one('NumberNotIn', [0]), { k: null }, true, 'NumberNotIn')
  check(t, one('StringNotContains', ['x']), { k: null }, false, 'StringNotContains')
})

t.test('numbers compare as numbers', async t => {
  const f: SubscriptionFilter = { advancedFilters: [{ operatorType: 'NumberIn', key: 'data.k', values: [5, 0.1] }] }
  check(t, f, { k: 5.0 }, true, '5.0 is 5')
  check(t, f, { k: 0.1 }, true, 'decimals')
  check(t, f, { k: '5' }, false, '"5" is not 5')
  check(t, { advancedFilters: [{ operatorType: 'NumberGreaterThan', key: 'data.k', value: -1.5 }] }, { k: -1 }, true, 'negative decimals')
})

t.test('combination rules (§4.4)', async t => {
  const contains = (...values: string[]): AdvancedFilter => ({ operatorType: 'StringContains', key: 'data.k', values })
  const notContains = (...values: string[]): AdvancedFilter => ({ operatorType: 'StringNotContains', key: 'data.k', values })
  check(t, { advancedFilters: [contains('a', 'b')] }, { k: 'xbx' }, true, 'values of one filter are OR-ed')
  check(t, { advancedFilters: [contains('a'), contains('b')] }, { k: 'xbx' }, false, 'filters are AND-ed')
  check(t, { advancedFilters: [contains('a'), contains('b')] }, { k: 'ab' }, true, 'all filters satisfied')
  check(t, { advancedFilters: [notContains('a', 'b')] }, { k: 'xbx' }, false, 'negated values are AND-ed: one hit fails')
  check(t, { advancedFilters: [notContains('a', 'b')] }, { k: 'xyz' }, true, 'negated: no hit matches')
  const both: SubscriptionFilter = { includedEventTypes: ['T'], subjectBeginsWith: '/s', advancedFilters: [contains('a')] }
  check(t, both, { k: 'a' }, true, 'event type, subject and advanced filters all hold')
  t.notOk(compileFilter({ ...both, subjectBeginsWith: '/x' }, 'EventGridSchema').matches(event({ k: 'a' })), 'a failing subject fails the event')
})

t.test('key resolution (§4.3)', async t => {
  const eg = {
    id: 'ID-1',
    topic: '/topics/t',
    subject: '/a/b',
    eventType: 'Contoso.Created',
    eventTime: 't',
    dataVersion: '2.0',
    metadataVersion: '1',
    data: { Key: 'exact', key: 'lower', Nested: { deeper: { deepest: { level5: 'deep' } } }, 'john.doe': 'x', constructor: undefined }
  }
  const stringIn = (key: string, value: string): boolean =>
    compileFilter({ advancedFilters: [{ operatorType: 'StringIn', key, values: [value] }] }, 'EventGridSchema').matches(eg)
  t.ok(stringIn('Subject', '/a/b'), 'Subject')
  t.ok(stringIn('ID', 'id-1'), 'ID')
  t.ok(stringIn('Id', 'id-1'), 'Id')
  t.ok(stringIn('EventType', 'contoso.created'), 'EventType')
  t.ok(stringIn('DataVersion', '2.0'), 'DataVersion')
  t.ok(stringIn('Topic', '/topics/t'), 'Topic')
  t.ok(stringIn('data.Key', 'exact'), 'exact segment match wins')
  t.ok(stringIn('data.key', 'lower'), 'exact segment match wins (other casing)')
  t.ok(stringIn('Data.nested.DEEPER.deepest.level5', 'deep'), 'case-insensitive at any depth')
  t.notOk(stringIn('data.john.doe', 'x'), 'property names with dots cannot be addressed')
  const once = compileFilter({ advancedFilters: [{ operatorType: 'StringIn', key: 'Data.Key1', values: ['lower'] }] }, 'EventGridSchema')
  t.ok(once.matches({ data: { key1: 'lower' } }), 'another casing is found…')
  t.notOk(once.matches({ data: { Key1: 'exact', key1: 'lower' } }), '…and remembered, but an exact spelling still wins')
  t.ok(once.matches({ data: { KEY1: 'lower' } }), '…and a third spelling is still found')
  const isNull = compileFilter({ advancedFilters: [{ operatorType: 'IsNullOrUndefined', key: 'data.toString' }] }, 'EventGridSchema')
  t.ok(isNull.matches(eg), 'inherited properties are not keys')

  const ce = { specversion: '1.0', id: 'c1', source: '/src', type: 'Contoso.Created', subject: 'sub', time: 't', dataschema: '#1', datacontenttype: 'application/json', comexampleextension1: 'ext', data: { n: 1 } }
  const ceIn = (key: string, value: string): boolean =>
    compileFilter({ advancedFilters: [{ operatorType: 'StringIn', key, values: [value] }] }, 'CloudEventSchemaV1_0').matches(ce)
  for (const [key, value] of Object.entries(ce)) {
    if (typeof value === 'string') t.ok(ceIn(key, value), `CloudEvents ${key}`)
  }
  t.ok(ceIn('ComExampleExtension1', 'EXT'), 'CloudEvents extension attribute, any casing')
})

t.test('includedEventTypes (§3.4)', async t => {
  const eg = event({})
  const ce = { specversion: '1.0', id: '1', source: '/s', type: 'Contoso.Created' }
  const types = (includedEventTypes: string[] | null | undefined, e = eg): boolean =>
    compileFilter({ includedEventTypes }, 'specversion' in e ? 'CloudEventSchemaV1_0' : 'EventGridSchema').matches(e)
  t.ok(types(undefined), 'absent = all')
  t.ok(types(null), 'null = all')
  t.notOk(types([]), 'present but empty = no type')
  t.equal(compileFilter({ includedEventTypes: [] }, 'EventGridSchema').explain(eg).reason,
    'includedEventTypes is an empty list, which matches no event type (leave it out or use [All] for every type)')
  t.ok(types(['All']), "'All' = all")
  t.ok(types(['X', 'all']), "'all' in any casing, among others")
  t.ok(types(['t']), 'compared case-insensitively')
  t.notOk(types(['X', 'Y']), 'other types')
  t.ok(types(['contoso.created'], ce), 'CloudEvents: compares `type`')
  t.notOk(types(['T'], ce), 'CloudEvents: not eventType')
  t.equal(compileFilter({ includedEventTypes: ['A', 'B'] }, 'EventGridSchema').explain(eg).reason, "includedEventTypes: 'T' is not one of [A, B]")
  t.equal(compileFilter({ includedEventTypes: ['A'] }, 'EventGridSchema').explain({ id: '1' }).reason, 'includedEventTypes: event has no eventType')
})

t.test('subject filters (§3.4)', async t => {
  const withSubject = (subject: unknown): Record<string, unknown> => ({ id: '1', type: 'T', specversion: '1.0', source: '/s', subject })
  const f = compileFilter({ subjectBeginsWith: '/x', subjectEndsWith: '.jpg' }, 'CloudEventSchemaV1_0')
  t.notOk(f.matches({ id: '1', type: 'T' }), 'an event without a subject never matches a subject filter')
  t.equal(f.explain({ id: '1' }).reason, 'subjectBeginsWith: event has no subject')
  t.equal(f.explain(withSubject('/a/b')).reason, "subjectBeginsWith: '/a/b' does not begin with '/x'")
  t.equal(f.explain(withSubject('/X/b.png')).reason, "subjectEndsWith: '/X/b.png' does not end with '.jpg'")
  t.equal(f.explain(withSubject(5)).reason, 'subjectBeginsWith: subject 5 is not a string')
  const sensitive = compileFilter({ subjectBeginsWith: '/X', isSubjectCaseSensitive: true }, 'EventGridSchema')
  t.equal(sensitive.explain(withSubject('/x')).reason, "subjectBeginsWith: '/x' does not begin with '/X' (case-sensitive)")
  t.ok(compileFilter({ subjectBeginsWith: '', subjectEndsWith: '' }, 'EventGridSchema').matches({}), 'empty strings filter nothing')
})

t.test('explain() reasons', async t => {
  const reason = (advancedFilters: AdvancedFilter[], data: unknown, arrays = false): string =>
    compileFilter({ advancedFilters, enableAdvancedFilteringOnArrays: arrays }, 'EventGridSchema').explain(event({ ...data as object })).reason
  const pass: AdvancedFilter = { operatorType: 'IsNullOrUndefined', key: 'data.none' }
  t.equal(reason([pass, pass, { operatorType: 'StringContains', key: 'data.message', values: ['help', 'stop'] }], { message: 'hello' }),
    "advancedFilters[2] StringContains data.message: 'hello' contains none of [help, stop]")
  t.equal(reason([{ operatorType: 'NumberIn', key: 'data.counter', values: [5, 1] }], {}),
    'advancedFilters[0] NumberIn data.counter: key is missing')
  t.equal(reason([{ operatorType: 'NumberIn', key: 'data.counter', values: [5, 1] }], { counter: [5] }),
    'advancedFilters[0] NumberIn data.counter: value is an array and enableAdvancedFilteringOnArrays is false')
  t.equal(reason([{ operatorType: 'NumberIn', key: 'data.counter', values: [5] }], { counter: '5' }),
    'advancedFilters[0] NumberIn data.counter: value "5" has type string, NumberIn needs a number')
  t.equal(reason([{ operatorType: 'NumberIn', key: 'data.counter', values: [5] }], { counter: null }),
    'advancedFilters[0] NumberIn data.counter: value is null, NumberIn needs a number')
  t.equal(reason([{ operatorType: 'StringNotContains', key: 'data.k', values: ['x'] }], {}),
    'advancedFilters[0] StringNotContains data.k: key is missing (StringNotContains does not match a missing key)')
  t.equal(reason([{ operatorType: 'StringNotContains', key: 'data.k', values: ['contoso'] }], { k: 'Contoso Ltd' }),
    "advancedFilters[0] StringNotContains data.k: 'Contoso Ltd' contains excluded value 'contoso'")
  t.equal(reason([{ operatorType: 'NumberNotIn', key: 'data.tags', values: [41, 2] }], { tags: [7, 2] }, true),
    'advancedFilters[0] NumberNotIn data.tags: element 2 of [7,2] equals excluded value 2')
  t.equal(reason([{ operatorType: 'NumberIn', key: 'data.tags', values: [1, 2] }], { tags: [7, 9] }, true),
    'advancedFilters[0] NumberIn data.tags: no element of [7,9] is one of [1, 2]')
  t.equal(reason([{ operatorType: 'NumberNotInRange', key: 'data.k', values: [[1, 5], [10, 20]] }], { k: 12 }),
    'advancedFilters[0] NumberNotInRange data.k: 12 is in excluded range [10, 20]')
  t.equal(reason([{ operatorType: 'NumberInRange', key: 'data.k', values: [[1, 5], [10, 20]] }], { k: 7 }),
    'advancedFilters[0] NumberInRange data.k: 7 is in none of the ranges [[1, 5], [10, 20]]')
  t.equal(reason([{ operatorType: 'NumberLessThan', key: 'data.k', value: 100 }], { k: 100 }),
    'advancedFilters[0] NumberLessThan data.k: 100 is not less than 100')
  t.equal(reason([{ operatorType: 'BoolEquals', key: 'data.k', value: true }], { k: false }),
    'advancedFilters[0] BoolEquals data.k: false is not true')
  t.equal(reason([{ operatorType: 'StringIn', key: 'data.k', values: ['a'] }], { k: [{ a: 1 }] }, true),
    'advancedFilters[0] StringIn data.k: value [{"a":1}] is an array holding objects or arrays, which advanced filters cannot match')
  t.equal(reason([{ operatorType: 'StringNotContains', key: 'data.k', values: ['a'] }], { k: [1] }, true),
    'advancedFilters[0] StringNotContains data.k: array [1] has no string element (StringNotContains does not match a missing key)')
  t.equal(reason([{ operatorType: 'IsNullOrUndefined', key: 'data.k' }], { k: 'x' }),
    "advancedFilters[0] IsNullOrUndefined data.k: value 'x' is not null")
  t.equal(reason([{ operatorType: 'IsNotNull', key: 'data.k' }], { k: null }),
    'advancedFilters[0] IsNotNull data.k: value is null')
  t.match(reason([{ operatorType: 'StringIn', key: 'data.k', values: ['a'] }], { k: 'x'.repeat(500) }), /'x{79}…' is not one of \[a\]$/, 'long values are cut')
  t.same(compileFilter({ includedEventTypes: ['T'] }, 'EventGridSchema').explain(event({})), { matched: true, reason: 'all clauses matched' })
  t.same(compileFilter(undefined, 'EventGridSchema').explain(event({})), { matched: true, reason: 'no filter clauses: every event matches' })
})

t.test('compileFilter accepts ARM spellings and rejects invalid filters', async t => {
  const arm = compileFilter({
    IncludedEventTypes: ['T'],
    AdvancedFilters: [{ OperatorType: 'numberlessthan', Key: 'data.k', Values: [10] }]
  } as SubscriptionFilter, 'EventGridSchema')
  t.ok(arm.matches(event({ k: 9 })), 'PascalCase properties, lower-case operator, values: [x] for a single-value operator')
  t.notOk(arm.matches(event({ k: 10 })))
  t.throws(
    () => compileFilter({ advancedFilters: [{ operatorType: 'NumberEquals', key: 'data.k', value: 1 }] }, 'EventGridSchema'),
    { name: 'TypeError', message: /advancedFilters\[0\]\.operatorType: unknown operatorType 'NumberEquals'/ }
  )
})
