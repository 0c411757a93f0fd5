/**
 * validateFilter: every kind of bad input, with the path it is reported at and the message; normalizeFilter.
 */
import t, { type Test } from 'tap'
import { normalizeFilter, OPERATOR_NAMES, validateFilter } from '../../src/domain/filter/index.js'

type Options = Parameters<typeof validateFilter>[1]

/** Asserts exactly one problem, at `path`, with a message matching every pattern. */
function one (t: Test, filter: unknown, path: Array<string | number>, patterns: Array<string | RegExp>, options?: Options): void {
  const problems = validateFilter(filter, options)
  t.equal(problems.length, 1, `one problem: ${JSON.stringify(problems)}`)
  t.same(problems[0]?.path, path, 'path')
  for (const pattern of patterns) t.match(problems[0]?.message, pattern)
}

const advanced = (filter: Record<string, unknown>): unknown => ({ advancedFilters: [filter] })
const at = (...rest: Array<string | number>): Array<string | number> => ['advancedFilters', 0, ...rest]

t.test('valid filters have no problems', async t => {
  t.same(validateFilter(undefined), [])
  t.same(validateFilter(null), [])
  t.same(validateFilter({}), [])
  t.same(validateFilter({
    includedEventTypes: ['Microsoft.Storage.BlobCreated', 'All'],
    subjectBeginsWith: '/blobServices/default/containers/c/',
    subjectEndsWith: '.jpg',
    isSubjectCaseSensitive: false,
    enableAdvancedFilteringOnArrays: true,
    advancedFilters: [
      { operatorType: 'NumberIn', key: 'data.counter', values: [5, 1] },
      { operatorType: 'NumberInRange', key: 'data.n', values: [[1, 1], [2, 3.5]] },
      { operatorType: 'BoolEquals', key: 'data.ok', value: false },
      { operatorType: 'NumberLessThan', key: 'data.n', values: [10] },
      { operatorType: 'IsNotNull', key: 'subject' },
      { operatorType: 'StringIn', key: 'data.s', values: ['x'.repeat(512)] }
    ]
  }), [])
  t.same(validateFilter({ includedEventTypes: null, advancedFilters: null, subjectBeginsWith: null, isSubjectCaseSensitive: null }), [], 'null = not set')
  t.same(validateFilter({ IncludedEventTypes: ['a'], AdvancedFilters: [{ OperatorType: 'stringin', KEY: 'data.a', Values: ['x'] }] }), [],
    'ARM matches property names and operator names case-insensitively')
})

t.test('the filter itself', async t => {
  one(t, 'x', [], ['filter must be an object', 'the string "x"'])
  one(t, [{}], [], ['filter must be an object', 'an array'])
})

t.test('unknown top-level property', async t => {
  one(t, { subjectBeginWith: '/a' }, ['subjectBeginWith'], ["unknown filter property 'subjectBeginWith'", "Did you mean 'subjectBeginsWith'?", 'Allowed: includedEventTypes, subjectBeginsWith'])
  const [problem] = validateFilter({ colour: 'red' })
  t.notMatch(problem?.message, 'Did you mean', 'no suggestion when nothing is close')
  one(t, { subjectEndsWith: 'a', SubjectEndsWith: 'b' }, ['SubjectEndsWith'], ["'SubjectEndsWith' repeats 'subjectEndsWith'"])
})

t.test('includedEventTypes', async t => {
  one(t, { includedEventTypes: 'Microsoft.Storage.BlobCreated' }, ['includedEventTypes'], ['must be an array of event type names', 'the string "Microsoft.Storage.BlobCreated"'])
  one(t, { includedEventTypes: ['a', 5] }, ['includedEventTypes', 1], ['event type must be a non-empty string, got the number 5'])
  one(t, { includedEventTypes: [''] }, ['includedEventTypes', 0], ['non-empty string'])
  const known = { knownEventTypes: new Set(['Microsoft.Communication.SMSReceived', 'Microsoft.Communication.SMSDeliveryReportReceived']) }
  one(t, { includedEventTypes: ['Microsoft.Communication.SMSRecieved'] }, ['includedEventTypes', 0],
    ["unknown event type 'Microsoft.Communication.SMSRecieved'", "Did you mean 'Microsoft.Communication.SMSReceived'?"], known)
  t.same(validateFilter({ includedEventTypes: ['microsoft.communication.smsreceived', 'All'] }, known), [], 'known types compare case-insensitively; All is always allowed')
})

t.test('subject and boolean options', async t => {
  one(t, { subjectBeginsWith: 5 }, ['subjectBeginsWith'], ['subjectBeginsWith must be a string', 'the number 5'])
  one(t, { subjectEndsWith: ['.jpg'] }, ['subjectEndsWith'], ['subjectEndsWith must be a string', 'an array'])
  one(t, { isSubjectCaseSensitive: 'true' }, ['isSubjectCaseSensitive'], ['must be true or false, got the string "true"'])
  one(t, { enableAdvancedFilteringOnArrays: 1 }, ['enableAdvancedFilteringOnArrays'], ['must be true or false, got the number 1'])
})

t.test('advancedFilters shape', async t => {
  one(t, { advancedFilters: { operatorType: 'NumberIn' } }, ['advancedFilters'], ['advancedFilters must be an array', 'an object'])
  one(t, { advancedFilters: ['NumberIn'] }, at(), ['advanced filter must be an object', 'the string "NumberIn"'])
  one(t, advanced({ Operator: 'NumberIn', operatorType: 'NumberIn', key: 'data.a', values: [1] }), at('Operator'),
    ["unknown advanced filter property 'Operator'", "Did you mean 'operatorType'?", 'Allowed: operatorType, key, value, values'])
  one(t, advanced({ operatorType: 'NumberIn', OperatorType: 'NumberIn', key: 'data.a', values: [1] }), at('OperatorType'), ["repeats 'operatorType'"])
})

t.test('operatorType', async t => {
  one(t, advanced({ key: 'data.a', values: [1] }), at(), ['operatorType is required', OPERATOR_NAMES.join(', ')])
  one(t, advanced({ operatorType: 3, key: 'data.a' }), at('operatorType'), ['operatorType must be a string, got the number 3'])
  one(t, advanced({ operatorType: 'NumberEquals', key: 'data.a', value: 1 }), at('operatorType'),
    ["unknown operatorType 'NumberEquals'", `Allowed: ${OPERATOR_NAMES.join(', ')}`])
  one(t, advanced({ operatorType: 'StringNotContain', key: 'data.a', values: ['x'] }), at('operatorType'), ["Did you mean 'StringNotContains'?"])
})

t.test('key', async t => {
  one(t, advanced({ operatorType: 'IsNotNull' }), at(), ['key is required', "'data.counter'"])
  one(t, advanced({ operatorType: 'IsNotNull', key: 5 }), at('key'), ['key must be a string', 'the number 5'])
  one(t, advanced({ operatorType: 'IsNotNull', key: '' }), at('key'), ['key must not be empty'])
  one(t, advanced({ operatorType: 'IsNotNull', key: 'data..a' }), at('key'), ["key 'data..a' has an empty segment"])
  one(t, advanced({ operatorType: 'IsNotNull', Key: 'data.' }), at('Key'), ["key 'data.' has an empty segment"])
})

t.test('single-value operators: value', async t => {
  one(t, advanced({ operatorType: 'NumberLessThan', key: 'data.a' }), at(), ["NumberLessThan needs 'value' (a number)"])
  one(t, advanced({ operatorType: 'NumberLessThan', key: 'data.a', value: '5' }), at('value'), ['NumberLessThan needs a number, got the string "5"', 'write it without quotes: 5'])
  one(t, advanced({ operatorType: 'NumberGreaterThan', key: 'data.a', value: Infinity }), at('value'), ['needs a number, got the number Infinity'])
  one(t, advanced({ operatorType: 'BoolEquals', key: 'data.a', value: 'true' }), at('value'), ['BoolEquals needs true or false, got the string "true"', 'without quotes'])
  one(t, advanced({ operatorType: 'BoolEquals', key: 'data.a', value: 1 }), at('value'), ['BoolEquals needs true or false, got the number 1'])
  one(t, advanced({ operatorType: 'BoolEquals', key: 'data.a', value: true, values: [true] }), at(), ["either 'value' or 'values' to BoolEquals, not both"])
  one(t, advanced({ operatorType: 'NumberLessThan', key: 'data.a', values: [1, 2] }), at('values'), ["NumberLessThan compares with one value: write 'value: …' (a number), got 2 values"])
  one(t, advanced({ operatorType: 'NumberLessThan', key: 'data.a', values: ['1'] }), at('values', 0), ['NumberLessThan needs a number, got the string "1"'])
})

t.test('multi-value operators: values', async t => {
  one(t, advanced({ operatorType: 'StringIn', key: 'data.a' }), at(), ["StringIn needs 'values' (an array of strings)"])
  one(t, advanced({ operatorType: 'StringIn', key: 'data.a', value: 'x' }), at('value'), ["StringIn takes 'values' (an array of strings), not 'value'; write values: [\"x\"]"])
  one(t, advanced({ operatorType: 'NumberIn', key: 'data.a', values: 5 }), at('values'), ["NumberIn needs 'values' to be a non-empty array of numbers, got the number 5"])
  one(t, advanced({ operatorType: 'NumberIn', key: 'data.a', values: [] }), at('values'), ['non-empty array of numbers, got an empty array'])
  one(t, advanced({ operatorType: 'NumberIn', key: 'data.a', values: [1, '2'] }), at('values', 1), ['NumberIn needs a number, got the string "2"'])
  one(t, advanced({ operatorType: 'StringIn', key: 'data.a', Values: ['a', 1555] }), at('Values', 1), ["StringIn needs a string, got the number 1555; quote it: '1555'"])
  one(t, advanced({ operatorType: 'StringContains', key: 'data.a', values: [null] }), at('values', 0), ['StringContains needs a string, got null'])
  one(t, advanced({ operatorType: 'StringContains', key: 'data.a', values: ['x'.repeat(513)] }), at('values', 0), ['string value is 513 characters long; at most 512 are allowed'])
})

t.test('range operators: [low, high] pairs', async t => {
  one(t, advanced({ operatorType: 'NumberInRange', key: 'data.a', values: [[1, 5], 7] }), at('values', 1), ['NumberInRange needs [low, high] pairs of numbers, got 7'])
  t.equal(validateFilter(advanced({ operatorType: 'NumberInRange', key: 'data.a', values: [1, 5] })).length, 2, 'a flat [1, 5] is two bad pairs, both reported')
  one(t, advanced({ operatorType: 'NumberNotInRange', key: 'data.a', values: [[1, 2, 3]] }), at('values', 0), ['got [1,2,3]'])
  one(t, advanced({ operatorType: 'NumberInRange', key: 'data.a', values: [['1', 2]] }), at('values', 0), ['pairs of numbers, got ["1",2]'])
  one(t, advanced({ operatorType: 'NumberInRange', key: 'data.a', values: [[5, 1]] }), at('values', 0), ['range [5, 1] is empty: low 5 is greater than high 1; write [1, 5]'])
  one(t, advanced({ operatorType: 'NumberInRange', key: 'data.a', value: [1, 5] }), at('value'), ["NumberInRange takes 'values' (an array of [low, high] pairs of numbers), not 'value'"])
})

t.test('null checks take no value', async t => {
  one(t, advanced({ operatorType: 'IsNullOrUndefined', key: 'data.a', value: null }), at('value'), ["IsNullOrUndefined takes no value; remove 'value'"])
  one(t, advanced({ operatorType: 'IsNotNull', key: 'data.a', Values: [] }), at('Values'), ["IsNotNull takes no value; remove 'Values'"])
})

t.test('limits (§4.7)', async t => {
  const isNotNull = { operatorType: 'IsNotNull', key: 'subject' }
  t.same(validateFilter({ advancedFilters: Array(25).fill(isNotNull) }), [], '25 filters')
  one(t, { advancedFilters: Array(26).fill(isNotNull) }, ['advancedFilters'], ['26 advanced filters given; at most 25 are allowed'])
  const numbers = (n: number): unknown => ({ operatorType: 'NumberIn', key: 'data.a', values: Array.from({ length: n }, (_, i) => i) })
  t.same(validateFilter({ advancedFilters: [numbers(20), numbers(4), { operatorType: 'NumberLessThan', key: 'data.a', value: 1 }] }), [], '25 values in total')
  one(t, { advancedFilters: [numbers(13), numbers(13)] }, ['advancedFilters'], ['advanced filters hold 26 values in total; at most 25 are allowed'])
  one(t, { advancedFilters: [numbers(25), { operatorType: 'BoolEquals', key: 'data.a', value: true }] }, ['advancedFilters'], ['hold 26 values'])
})

t.test('every problem is reported, not just the first', async t => {
  const problems = validateFilter({
    includedEventTypes: 'x',
    subjectBeginWith: '/a',
    advancedFilters: [
      { operatorType: 'NumberIn', key: 'data.a', values: ['1', '2'] },
      { operatorType: 'Nope', key: '' }
    ]
  })
  t.same(problems.map(p => p.path), [
    ['includedEventTypes'],
    ['subjectBeginWith'],
    ['advancedFilters', 0, 'values', 0],
    ['advancedFilters', 0, 'values', 1],
    ['advancedFilters', 1, 'key'],
    ['advancedFilters', 1, 'operatorType']
  ])
})

t.test('normalizeFilter', async t => {
  t.same(normalizeFilter({
    IncludedEventTypes: ['A'],
    SubjectBeginsWith: '/a',
    SUBJECTENDSWITH: '.b',
    IsSubjectCaseSensitive: true,
    EnableAdvancedFilteringOnArrays: true,
    AdvancedFilters: [
      { OperatorType: 'numberlessthan', Key: 'data.n', Values: [10] },
      { operatorType: 'StringIn', key: 'data.s', values: ['x'] },
      { operatorType: 'IsNotNull', key: 'subject' },
      { operatorType: 'BoolEquals', key: 'data.ok', value: false }
    ]
  }), {
    includedEventTypes: ['A'],
    subjectBeginsWith: '/a',
    subjectEndsWith: '.b',
    isSubjectCaseSensitive: true,
    enableAdvancedFilteringOnArrays: true,
    advancedFilters: [
      { operatorType: 'NumberLessThan', key: 'data.n', value: 10 },
      { operatorType: 'StringIn', key: 'data.s', values: ['x'] },
      { operatorType: 'IsNotNull', key: 'subject' },
      { operatorType: 'BoolEquals', key: 'data.ok', value: false }
    ]
  })
  t.same(normalizeFilter({ includedEventTypes: null, advancedFilters: null }), {}, 'null means not set')
  t.same(normalizeFilter(undefined), {})
})
