/**
 * Every step kind is one handler (src/scenarios/steps/*.ts) listed in schema.ts `STEPS`: its schema is what the
 * scenario schema accepts under its key, its loaded form is what runs, and docs/scenarios.md lists it.
 */
import { readFileSync } from 'node:fs'
import t from 'tap'
import { parseScenario } from '../../src/scenarios/load-scenario.js'
import { scenarioSchema, STEPS } from '../../src/scenarios/schema.js'
import type { Target } from '../../src/scenarios/target.js'

const kinds = Object.keys(STEPS)

t.test('the scenario schema takes each kind from its handler', async (t) => {
  const stepProperties = scenarioSchema.properties.steps.items.properties as Record<string, unknown>
  for (const [kind, handler] of Object.entries(STEPS)) t.equal(stepProperties[kind], handler.schema, kind)
  t.same(Object.keys(stepProperties), ['id', 'name', ...kinds])
})

t.test('docs/scenarios.md lists every step kind in its Steps table', async (t) => {
  const docs = readFileSync(new URL('../../docs/scenarios.md', import.meta.url), 'utf8')
  const start = docs.indexOf('## Steps')
  const table = docs.slice(start, docs.indexOf('\n## ', start + 1))
  for (const kind of kinds) t.match(table, new RegExp(`^\\| [^|]*\`${kind}\``, 'm'), kind)
})

t.test('an unknown step lists every kind the handlers define', async (t) => {
  const text = 'name: x\nsteps:\n  - expectt: { subscription: a }\n'
  t.throws(() => parseScenario(text, 's.yaml', {}), { message: new RegExp(`unknown step 'expectt'\\..* A step is one of: ${kinds.join(', ')} \\(with an optional id and name\\)`) })
})

t.test('each kind loads into the form its handler runs, titled by the handler', async (t) => {
  const scenario = parseScenario([
    'name: x',
    'steps:',
    '  - wait: 2s',
    '  - set: { who: me }',
    '  - sink: { name: s1, statuses: [500] }',
    '  - expect: { sink: s1, within: 1s }'
  ].join('\n'), 's.yaml', {})
  t.same(scenario.steps.map((s) => s.kind), ['wait', 'set', 'sink', 'expect'])
  t.match(scenario.steps[0], { kind: 'wait', ms: 2000 })
  t.match(scenario.steps[1], { kind: 'set', values: { who: 'me' } })
  t.match(scenario.steps[3], { kind: 'expect', to: { sink: 's1' }, withinMs: 1000 })
  const target = { timeScale: 1 } as unknown as Target
  t.equal(STEPS.wait.title({ kind: 'wait', ms: 2000 }, target), 'wait 2s')
  t.equal(STEPS.sink.title({ kind: 'sink', name: 's1', statuses: [500] }, target), "sink 's1' answers 500")
})

t.test('a variable set by a set step is known to the steps after it only', async (t) => {
  const text = (steps: string[]): string => ['name: x', 'steps:', ...steps].join('\n')
  const publish = '  - publish: { topic: t-1, event: { subject: "$' + '{vars.who}" } }'
  t.doesNotThrow(() => parseScenario(text(['  - set: { who: me }', publish]), 's.yaml', {}))
  t.throws(() => parseScenario(text([publish, '  - set: { who: me }']), 's.yaml', {}),
    { message: /no earlier set step defines 'who'/ })
})
