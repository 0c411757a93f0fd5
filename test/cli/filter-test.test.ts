/**
 * `filter test` through a fake CliIo: fixture files for the realistic ACS case, t.testdir for the rest.
 */
import { join } from 'node:path'
import t from 'tap'
import { filterTest, FILTER_TEST_USAGE } from '../../src/cli/commands/filter-test.js'
import type { CliIo } from '../../src/cli/io.js'

const fixtures = join(import.meta.dirname, '..', 'fixtures', 'filter')
const subscription = join(fixtures, 'sms-subscription.yaml')

async function run (...argv: string[]): Promise<{ code: number, stdout: string, stderr: string }> {
  let stdout = ''
  let stderr = ''
  const io: CliIo = { stdout: text => { stdout += text }, stderr: text => { stderr += text }, env: {} }
  const code = await filterTest(argv, io)
  return { code, stdout, stderr }
}

t.test('--help prints usage', async t => {
  t.same(await run('--help'), { code: 0, stdout: FILTER_TEST_USAGE, stderr: '' })
  t.equal((await run('-h')).code, 0)
})

t.test('bad options exit 2 with usage', async t => {
  const missing = await run('--filter', subscription)
  t.equal(missing.code, 2)
  t.match(missing.stderr, '--filter and --event are both required')
  t.match(missing.stderr, 'Usage: eventgrid-emulator filter test')
  const unknown = await run('--filter', subscription, '--event', 'x', '--verbose')
  t.equal(unknown.code, 2)
  t.match(unknown.stderr, "Unknown option '--verbose'")
  const schema = await run('--filter', subscription, '--event', 'x', '--schema', 'CustomInputSchema')
  t.equal(schema.code, 2)
  t.match(schema.stderr, "--schema must be one of EventGridSchema, CloudEventSchemaV1_0, got 'CustomInputSchema'")
})

t.test('subscription body + array of Event Grid events: each verdict, exit 1 when one does not match', async t => {
  const result = await run('--filter', subscription, '--event', join(fixtures, 'sms-events.json'))
  t.equal(result.code, 1)
  t.equal(result.stdout, [
    'MATCH    event[0] (id sms-1): all clauses matched',
    "NO MATCH event[1] (id sms-2): advancedFilters[0] StringContains data.message: 'hello' contains none of [help, stop]",
    ''
  ].join('\n'))
  t.equal(result.stderr, '')
})

t.test('a single CloudEvent is detected by specversion; exit 0 when all match', async t => {
  const result = await run('--filter', subscription, '--event', join(fixtures, 'sms-cloudevent.json'))
  t.same(result, { code: 0, stdout: 'MATCH    event (id sms-ce-1): all clauses matched\n', stderr: '' })
})

t.test('--schema overrides detection', async t => {
  const result = await run('--filter', subscription, '--event', join(fixtures, 'sms-cloudevent.json'), '--schema', 'EventGridSchema')
  t.equal(result.code, 1)
  t.equal(result.stdout, 'NO MATCH event (id sms-ce-1): includedEventTypes: event has no eventType\n')
})

t.test('bare filter and ARM properties.filter, YAML or JSON', async t => {
  const dir = t.testdir({
    'bare.yaml': 'subjectEndsWith: .jpg\n',
    'arm.json': JSON.stringify({ properties: { filter: { SubjectEndsWith: '.png' } } }),
    'event.yaml': 'id: e1\nsubject: /blobs/a.JPG\neventType: Microsoft.Storage.BlobCreated\n'
  })
  t.same(await run('--filter', join(dir, 'bare.yaml'), '--event', join(dir, 'event.yaml')),
    { code: 0, stdout: 'MATCH    event (id e1): all clauses matched\n', stderr: '' })
  const arm = await run('--filter', join(dir, 'arm.json'), '--event', join(dir, 'event.yaml'))
  t.equal(arm.code, 1)
  t.equal(arm.stdout, "NO MATCH event (id e1): subjectEndsWith: '/blobs/a.JPG' does not end with '.png'\n")
})

t.test('an invalid filter prints every problem as FILE: path: message and exits 2', async t => {
  const dir = t.testdir({
    'sub.yaml': [
      'filter:',
      '  subjectBeginWith: /a',
      '  advancedFilters:',
      '    - operatorType: NumberEquals',
      '      key: data.n',
      '      value: 5',
      ''
    ].join('\n'),
    'bare.json': '[1, 2]',
    'event.json': '{"id": "e1"}'
  })
  const file = join(dir, 'sub.yaml')
  const result = await run('--filter', file, '--event', join(dir, 'event.json'))
  t.equal(result.code, 2)
  t.equal(result.stdout, '')
  const lines = result.stderr.split('\n')
  t.match(lines[0], `${file}: filter.subjectBeginWith: unknown filter property 'subjectBeginWith'. Did you mean 'subjectBeginsWith'?`)
  t.match(lines[1], `${file}: filter.advancedFilters[0].operatorType: unknown operatorType 'NumberEquals'.`)
  t.equal(lines[2], '2 problems in the filter.')
  const bare = await run('--filter', join(dir, 'bare.json'), '--event', join(dir, 'event.json'))
  t.equal(bare.code, 2)
  t.match(bare.stderr, `${join(dir, 'bare.json')}: filter must be an object, got an array\n`)
})

t.test('unreadable or malformed files exit 2', async t => {
  const dir = t.testdir({
    'filter.yaml': 'subjectBeginsWith: /a\n',
    'broken.yaml': 'a: [1, 2\n',
    'scalars.json': '[{"id": "e1", "subject": "/a"}, 5]',
    'empty.json': '[]'
  })
  const filter = join(dir, 'filter.yaml')
  const missing = await run('--filter', filter, '--event', join(dir, 'nope.json'))
  t.equal(missing.code, 2)
  t.match(missing.stderr, `${join(dir, 'nope.json')}: cannot read: ENOENT`)
  const broken = await run('--filter', join(dir, 'broken.yaml'), '--event', filter)
  t.equal(broken.code, 2)
  t.match(broken.stderr, `${join(dir, 'broken.yaml')}: not valid YAML or JSON:`)
  const scalars = await run('--filter', filter, '--event', join(dir, 'scalars.json'))
  t.equal(scalars.code, 2)
  t.equal(scalars.stderr, `${join(dir, 'scalars.json')}: event[1] must be an object, got 5\n`)
  t.equal(scalars.stdout, '', 'no verdict is printed when an event is malformed')
  t.same(await run('--filter', filter, '--event', join(dir, 'empty.json')),
    { code: 2, stdout: '', stderr: `${join(dir, 'empty.json')}: no events to test (the array is empty)\n` })
})
