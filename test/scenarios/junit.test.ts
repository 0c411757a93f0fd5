/** The JUnit report is well-formed XML with the right counts, and escapes whatever the scenarios contain. */
import { readFile } from 'node:fs/promises'
import t from 'tap'
import { attr, text } from '../../src/scenarios/report-junit.js'
import { scenarioRun } from './run-cli.js'
import { findAll, parseXml } from './xml-check.js'

t.test('--junit writes a well-formed report: a suite per scenario, a case per step', async (t) => {
  const dir = t.testdir({
    'pass.yaml': 'name: passes\nsteps:\n  - wait: 1ms\n',
    // A name with every character XML cares about, and a control character XML 1.0 cannot carry.
    'fail.yaml': `name: "fails <b> & \\"c\\" 'd' \\a"
steps:
  - wait: 1ms
  - name: nothing arrives at <sink>
    expect: { sink: nobody, data: { note: "a < b & c" }, within: 50ms }
  - wait: 1ms
`,
    'invalid.yaml': 'name: invalid\nsteps:\n  - expct: {}\n'
  })
  const junit = `${dir}/reports/junit.xml`
  const { code, out } = await scenarioRun([`${dir}/pass.yaml`, `${dir}/fail.yaml`, `${dir}/invalid.yaml`, '--junit', junit])
  t.equal(code, 1)
  t.match(out, /3 scenarios: 1 passed, 2 failed/)

  const root = parseXml(await readFile(junit, 'utf8'))
  t.equal(root.name, 'testsuites')
  t.match(root.attrs, { tests: '5', failures: '1', errors: '1', skipped: '1' })
  const suites = findAll(root, 'testsuite')
  t.same(suites.map((s) => [s.attrs.name, s.attrs.tests, s.attrs.failures, s.attrs.errors, s.attrs.skipped]), [
    ['passes', '1', '0', '0', '0'],
    ['fails <b> & "c" \'d\' ', '3', '1', '0', '1'],
    [`${dir}/invalid.yaml`, '1', '0', '1', '0']
  ])
  const [failure] = findAll(root, 'failure')
  t.equal(failure!.attrs.message, "no matching delivery to sink 'nobody' within 50ms")
  t.match(failure!.text, `${dir}/fail.yaml:4:5`)
  t.match(failure!.text, "data.note = 'a < b & c'")
  t.match(findAll(suites[1]!, 'testcase')[1]!.attrs, { name: '2. nothing arrives at <sink>', line: '4' })
  t.match(findAll(root, 'error')[0]!.text, /invalid\.yaml:3:5 steps\[0\]\.expct: unknown step 'expct'/)
  t.equal(findAll(root, 'skipped').length, 1)
})

t.test('escaping › text and attributes', async (t) => {
  t.equal(text('a < b && c > d'), 'a &lt; b &amp;&amp; c &gt; d')
  t.equal(attr('"q" \'a\'\nline\ttab'), '&quot;q&quot; &apos;a&apos;&#10;line&#9;tab')
  t.equal(text('bell\u0007 nul\u0000 lone\uD800 pair\uD83D\uDE00'), 'bell nul lone pair\uD83D\uDE00')
})

t.test('the XML checker itself rejects what is not well-formed', async (t) => {
  for (const bad of ['<a><b></a></b>', '<a x="1" x="2"/>', '<a>1 & 2</a>', '<a x="<"/>', '<a/><b/>', '<a>\u0001</a>', '<a>&nbsp;</a>', '<a>']) {
    t.throws(() => parseXml(bad), bad)
  }
})
