/**
 * Every worked example of reference §4.8 (#1–#31), the blob subject-filter cases listed under it, and the
 * ACS subject note at the end of §9, each with its expected verdict.
 */
import t from 'tap'
import { compileFilter, type AdvancedFilter, type FilterSchema, type SubscriptionFilter } from '../../src/domain/filter/index.js'

interface Example {
  name: string
  filter: SubscriptionFilter
  event: Record<string, unknown>
  matched: boolean
  schema?: FilterSchema
}

function eventGrid (data: unknown, subject = '/s'): Record<string, unknown> {
  return {
    id: 'e1',
    topic: '/subscriptions/x/resourceGroups/rg/providers/Microsoft.EventGrid/topics/t',
    subject,
    eventType: 'Contoso.Item.Created',
    eventTime: '2024-01-01T00:00:00Z',
    data,
    dataVersion: '1.0',
    metadataVersion: '1'
  }
}

/** One advanced filter tried on several `data` objects: [data, expected] pairs. */
function advanced (
  name: string,
  filter: AdvancedFilter | AdvancedFilter[],
  rows: Array<[unknown, boolean]>,
  options: Omit<SubscriptionFilter, 'advancedFilters'> = {}
): Example[] {
  const advancedFilters = Array.isArray(filter) ? filter : [filter]
  return rows.map(([data, matched]) => ({
    name: `${name}: data ${JSON.stringify(data)}`,
    filter: { ...options, advancedFilters },
    event: eventGrid(data),
    matched
  }))
}

function subject (name: string, filter: SubscriptionFilter, rows: Array<[string, boolean]>): Example[] {
  return rows.map(([value, matched]) => ({ name: `${name}: subject ${value}`, filter, event: eventGrid({}, value), matched }))
}

const ranges = [[3.14159, 999.95], [3000, 4000]]
const strings = (operatorType: string, values: string[]): AdvancedFilter => ({ operatorType, key: 'data.key1', values })
const vmSubject = '/subscriptions/x/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines/vm1'
const labSubject = '/subscriptions/x/resourceGroups/rg/providers/microsoft.devtestlab/labs/lab1'
const subjectContains = (value: string): AdvancedFilter => ({ operatorType: 'StringContains', key: 'Subject', values: [value] })
const blobs = '/blobServices/default/containers'

const examples: Example[] = [
  ...advanced('#1-3 NumberIn', { operatorType: 'NumberIn', key: 'data.counter', values: [5, 1] },
    [[{ counter: 5 }, true], [{ counter: 3 }, false], [{}, false]]),
  ...advanced('#4-6 NumberNotIn', { operatorType: 'NumberNotIn', key: 'data.counter', values: [41, 0] },
    [[{ counter: 41 }, false], [{ counter: 7 }, true], [{}, true]]),
  ...advanced('#7 NumberLessThan', { operatorType: 'NumberLessThan', key: 'data.counter', value: 100 },
    [[{ counter: 99 }, true], [{ counter: 100 }, false]]),
  ...advanced('#8 NumberGreaterThan', { operatorType: 'NumberGreaterThan', key: 'data.counter', value: 20 },
    [[{ counter: 21 }, true], [{ counter: 20 }, false]]),
  ...advanced('#9 NumberLessThanOrEquals', { operatorType: 'NumberLessThanOrEquals', key: 'data.counter', value: 100 },
    [[{ counter: 100 }, true]]),
  ...advanced('#10 NumberGreaterThanOrEquals', { operatorType: 'NumberGreaterThanOrEquals', key: 'data.counter', value: 30 },
    [[{ counter: 30 }, true]]),
  ...advanced('#11 NumberInRange', { operatorType: 'NumberInRange', key: 'data.key1', values: ranges },
    [[{ key1: 5 }, true], [{ key1: 3000 }, true], [{ key1: 4000 }, true], [{ key1: 2000 }, false], [{ key1: 3.14 }, false]]),
  ...advanced('#12 NumberNotInRange', { operatorType: 'NumberNotInRange', key: 'data.key1', values: ranges },
    [[{ key1: 2000 }, true], [{ key1: 5 }, false]]),
  ...advanced('#13 BoolEquals', { operatorType: 'BoolEquals', key: 'data.isEnabled', value: true },
    [[{ isEnabled: true }, true], [{ isEnabled: false }, false], [{ isEnabled: 'true' }, false]]),
  ...advanced('#14 StringContains', strings('StringContains', ['microsoft', 'azure']),
    [[{ key1: 'azure data factory' }, true]]),
  ...advanced('#15 StringContains is case-insensitive', strings('StringContains', ['microsoft', 'azure']),
    [[{ key1: 'AZURE Functions' }, true]]),
  ...advanced('#16 StringNotContains', strings('StringNotContains', ['contoso', 'fabrikam']),
    [[{ key1: 'Contoso Ltd' }, false], [{ key1: 'adventure works' }, true], [{}, false]]),
  ...advanced('#17 StringBeginsWith', strings('StringBeginsWith', ['event', 'message']),
    [[{ key1: 'event hubs' }, true], [{ key1: 'grid' }, false]]),
  ...advanced('#18 StringNotBeginsWith', strings('StringNotBeginsWith', ['event', 'message']),
    [[{ key1: 'event hubs' }, false], [{ key1: 'grid' }, true]]),
  ...advanced('#19 StringEndsWith', strings('StringEndsWith', ['jpg', 'jpeg', 'png']),
    [[{ key1: 'eventgrid.png' }, true], [{ key1: 'a.PNG' }, true], [{ key1: 'a.gif' }, false]]),
  ...advanced('#20 StringNotEndsWith', strings('StringNotEndsWith', ['jpg', 'jpeg', 'png']),
    [[{ key1: 'eventgrid.png' }, false], [{ key1: 'a.gif' }, true]]),
  ...advanced('#21 StringIn', strings('StringIn', ['contoso', 'fabrikam', 'factory']),
    [[{ key1: 'Fabrikam' }, true], [{ key1: 'contoso ltd' }, false]]),
  ...advanced('#22 StringNotIn', strings('StringNotIn', ['aws', 'bridge']),
    [[{ key1: 'AWS' }, false], [{ key1: 'azure' }, true], [{}, true]]),
  ...advanced('#23 IsNullOrUndefined', { operatorType: 'IsNullOrUndefined', key: 'data.key1' },
    [[{ key2: 5 }, true], [{ key1: null }, true], [{ key1: 'x' }, false]]),
  ...advanced('#24 IsNotNull', { operatorType: 'IsNotNull', key: 'data.key1' },
    [[{ key2: 5 }, false], [{ key1: null }, false], [{ key1: 'x' }, true]]),
  {
    name: '#25 one StringContains on Subject with two values is an OR',
    filter: { advancedFilters: [{ operatorType: 'StringContains', key: 'Subject', values: ['/providers/microsoft.devtestlab/', '/providers/Microsoft.Compute/virtualMachines/'] }] },
    event: eventGrid({}, vmSubject),
    matched: true
  },
  {
    name: '#25 second value alone also matches',
    filter: { advancedFilters: [{ operatorType: 'StringContains', key: 'Subject', values: ['/providers/microsoft.devtestlab/', '/providers/Microsoft.Compute/virtualMachines/'] }] },
    event: eventGrid({}, labSubject),
    matched: true
  },
  {
    name: '#26 two StringContains filters are an AND: subject containing only one',
    filter: { advancedFilters: [subjectContains('/providers/microsoft.devtestlab/'), subjectContains('/providers/Microsoft.Compute/virtualMachines/')] },
    event: eventGrid({}, vmSubject),
    matched: false
  },
  {
    name: '#26 subject containing both',
    filter: { advancedFilters: [subjectContains('/providers/microsoft.devtestlab/'), subjectContains('/providers/Microsoft.Compute/virtualMachines/')] },
    event: eventGrid({}, `${labSubject}/providers/Microsoft.Compute/virtualMachines/vm1`),
    matched: true
  },
  {
    // [?] in the reference: we do not coerce, so a numeric extension never matches a string operator
    name: '#27 CloudEvents StringBeginsWith on a numeric extension attribute: no coercion',
    schema: 'CloudEventSchemaV1_0',
    filter: { advancedFilters: [{ operatorType: 'StringBeginsWith', key: 'comexampleothervalue', values: ['5', '1'] }] },
    event: { specversion: '1.0', id: '1', source: '/s', type: 'T', comexampleothervalue: 5 },
    matched: false
  },
  {
    name: '#27 the same extension attribute as a string matches',
    schema: 'CloudEventSchemaV1_0',
    filter: { advancedFilters: [{ operatorType: 'StringBeginsWith', key: 'comexampleothervalue', values: ['5', '1'] }] },
    event: { specversion: '1.0', id: '1', source: '/s', type: 'T', comexampleothervalue: '5' },
    matched: true
  },
  ...advanced('#28 NumberIn on an array, arrays off', { operatorType: 'NumberIn', key: 'data.tags', values: [1, 2] },
    [[{ tags: [2, 9] }, false]]),
  ...advanced('#29 NumberIn on an array, arrays on', { operatorType: 'NumberIn', key: 'data.tags', values: [1, 2] },
    [[{ tags: [2, 9] }, true], [{ tags: [7, 9] }, false]], { enableAdvancedFilteringOnArrays: true }),
  ...advanced('#30 NumberNotIn on an array, arrays on', { operatorType: 'NumberNotIn', key: 'data.tags', values: [2] },
    [[{ tags: [2, 9] }, false], [{ tags: [7, '2'] }, true]], { enableAdvancedFilteringOnArrays: true }),
  ...['NumberIn', 'NumberNotIn', 'StringIn', 'StringNotIn', 'StringNotContains', 'NumberNotInRange'].flatMap(operatorType =>
    [false, true].flatMap(arrays => advanced(
      `#31 ${operatorType} on an array of objects, arrays ${arrays ? 'on' : 'off'}`,
      { operatorType, key: 'data.items', values: operatorType.includes('Range') ? [[0, 1]] : operatorType.startsWith('Number') ? [1] : ['a'] },
      [[{ items: [{ a: 1 }] }, false]],
      { enableAdvancedFilteringOnArrays: arrays }
    ))),
  // A peer's conformance cases: a mixed array matches through its elements of the operator's type.
  ...advanced('#32 StringIn on a mixed array, arrays on', { operatorType: 'StringIn', key: 'data.mixed', values: ['a'] },
    [[{ mixed: ['a', 2, { b: 1 }] }, true], [{ mixed: ['x', 2, { b: 1 }] }, false], [{ mixed: [{ b: 1 }, 'A'] }, true]], { enableAdvancedFilteringOnArrays: true }),
  ...advanced('#32 NumberIn on a mixed array, arrays on', { operatorType: 'NumberIn', key: 'data.mixed', values: [2] },
    [[{ mixed: ['a', 2, { b: 1 }] }, true], [{ mixed: ['a', 3, [2]] }, false]], { enableAdvancedFilteringOnArrays: true }),
  ...advanced('#32 StringNotIn on a mixed array: its string element is excluded', { operatorType: 'StringNotIn', key: 'data.mixed', values: ['a'] },
    [[{ mixed: ['a', 2, { b: 1 }] }, false], [{ mixed: ['x', 2, { b: 1 }] }, true]], { enableAdvancedFilteringOnArrays: true }),
  ...advanced('#32 StringIn on a mixed array, arrays off', { operatorType: 'StringIn', key: 'data.mixed', values: ['a'] },
    [[{ mixed: ['a', 2, { b: 1 }] }, false]]),
  ...advanced('#31 a path into an array of objects is a missing key', { operatorType: 'NumberIn', key: 'data.items.a', values: [1] },
    [[{ items: [{ a: 1 }] }, false]], { enableAdvancedFilteringOnArrays: true }),

  ...subject('blob: container-name prefix', { subjectBeginsWith: `${blobs}/containerprefix` },
    [[`${blobs}/containerprefix-2/blobs/a.jpg`, true], [`${blobs}/containerprefix/blobs/a.jpg`, true], [`${blobs}/other/blobs/a.jpg`, false]]),
  ...subject('blob: one container only', { subjectBeginsWith: `${blobs}/containername/` },
    [[`${blobs}/containername/blobs/a.jpg`, true], [`${blobs}/containername2/blobs/a.jpg`, false]]),
  ...subject('blob: blob-name prefix', { subjectBeginsWith: `${blobs}/containername/blobs/blobprefix` },
    [[`${blobs}/containername/blobs/blobprefix-1.txt`, true], [`${blobs}/containername/blobs/other.txt`, false]]),
  ...subject('blob: virtual folder', { subjectBeginsWith: `${blobs}/containername/blobs/subfolder/` },
    [[`${blobs}/containername/blobs/subfolder/a.txt`, true], [`${blobs}/containername/blobs/a.txt`, false]]),
  ...subject('blob: suffix, case-insensitive by default', { subjectEndsWith: '.jpg' },
    [[`${blobs}/c/blobs/a.jpg`, true], [`${blobs}/c/blobs/a.JPG`, true], [`${blobs}/c/blobs/a.png`, false]]),
  ...subject('blob: suffix with isSubjectCaseSensitive', { subjectEndsWith: '.jpg', isSubjectCaseSensitive: true },
    [[`${blobs}/c/blobs/a.jpg`, true], [`${blobs}/c/blobs/a.JPG`, false]]),
  ...subject('blob: prefix and suffix are AND-ed', { subjectBeginsWith: `${blobs}/containername/`, subjectEndsWith: '.jpg' },
    [[`${blobs}/containername/blobs/a.jpg`, true], [`${blobs}/containername/blobs/a.png`, false], [`${blobs}/other/blobs/a.jpg`, false]]),
  ...subject('§9 ACS: the docs\' prefix without a leading slash', { subjectBeginsWith: 'phonenumber/1555' },
    [['/phonenumber/15555555555', false], ['phonenumber/15555555555', true]]),
  ...subject('§9 ACS: prefix with the leading slash real SMS subjects have', { subjectBeginsWith: '/phonenumber/1555' },
    [['/phonenumber/15555555555', true]])
]

for (const example of examples) {
  t.test(example.name, async t => {
    const compiled = compileFilter(example.filter, example.schema ?? 'EventGridSchema')
    t.equal(compiled.matches(example.event), example.matched, 'matches()')
    t.equal(compiled.explain(example.event).matched, example.matched, 'explain() gives the same verdict')
  })
}
