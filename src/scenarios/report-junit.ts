/**
 * JUnit XML for CI: a <testsuite> per scenario and a <testcase> per step (failed: <failure> with the same
 * explanation as the text report; after a failure: <skipped>). A scenario that could not be loaded or set up
 * is one <testcase> with an <error>.
 */
import { stepDetails } from './report-text.js'
import type { ScenarioResult, StepResult } from './run-scenario.js'

export function formatJUnit (results: ScenarioResult[]): string {
  const suites = results.map(suite)
  const sum = (key: 'tests' | 'failures' | 'errors' | 'skipped'): number => suites.reduce((n, s) => n + s.counts[key], 0)
  const time = results.reduce((n, r) => n + r.durationMs, 0)
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="eventgrid-emulator scenarios" tests="${sum('tests')}" failures="${sum('failures')}" errors="${sum('errors')}" skipped="${sum('skipped')}" time="${seconds(time)}">`,
    ...suites.map((s) => s.xml),
    '</testsuites>',
    ''
  ].join('\n')
}

function suite (r: ScenarioResult): { xml: string, counts: { tests: number, failures: number, errors: number, skipped: number } } {
  const cases = r.problems.length > 0
    ? [`    <testcase classname="${attr(r.name)}" name="${r.stoppedAt ?? 'setup'}" file="${attr(r.file)}" time="${seconds(r.durationMs)}">\n      <error message="${attr(r.problems[0]!.split('\n')[0]!)}">${text(r.problems.join('\n'))}</error>\n    </testcase>`]
    : r.steps.map((s) => testcase(r, s))
  const counts = {
    tests: cases.length,
    failures: r.steps.filter((s) => s.status === 'failed').length,
    errors: r.problems.length > 0 ? 1 : 0,
    skipped: r.steps.filter((s) => s.status === 'skipped').length
  }
  const open = `  <testsuite name="${attr(r.name)}" file="${attr(r.file)}" tests="${counts.tests}" failures="${counts.failures}" errors="${counts.errors}" skipped="${counts.skipped}" time="${seconds(r.durationMs)}">`
  return { xml: [open, ...cases, '  </testsuite>'].join('\n'), counts }
}

function testcase (r: ScenarioResult, s: StepResult): string {
  const open = `    <testcase classname="${attr(r.name)}" name="${attr(`${s.index}. ${s.title}`)}" file="${attr(s.at.file)}" line="${s.at.line}" time="${seconds(s.durationMs)}"`
  if (s.status === 'passed') return `${open}/>`
  const inner = s.status === 'skipped'
    ? '<skipped message="an earlier step failed"/>'
    : `<failure message="${attr(s.message?.split('\n')[0] ?? 'failed')}" type="ExpectationFailed">${text([`${s.at.file}:${s.at.line}:${s.at.col}`, ...stepDetails(s)].join('\n'))}</failure>`
  return `${open}>\n      ${inner}\n    </testcase>`
}

const seconds = (ms: number): string => (ms / 1000).toFixed(3)

/** XML 1.0 cannot carry most control characters at all, even escaped; drop them. */
function clean (s: string): string {
  // eslint-disable-next-line no-control-regex -- removing control characters XML 1.0 forbids is the point
  return s.replace(/[\x00-\x08\x0B\x0C\x0E-\x1F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '')
}

export function text (s: string): string {
  return clean(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')
}

export function attr (s: string): string {
  return text(s).replace(/"/g, '&quot;').replace(/'/g, '&apos;').replace(/\n/g, '&#10;').replace(/\r/g, '&#13;').replace(/\t/g, '&#9;')
}
