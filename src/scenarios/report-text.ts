/**
 * Human output: one line per passed scenario; for a failed one every step, and for the failed step what was
 * expected, what actually happened (each near miss with the fields that differed) and the delivery log.
 */
import { formatDuration } from './duration.js'
import type { ScenarioResult, StepResult } from './run-scenario.js'

const MARK = { passed: '✓', failed: '✗', skipped: '-' } as const

export function formatScenario (r: ScenarioResult): string {
  const passedSteps = r.steps.filter((s) => s.status === 'passed').length
  const counts = r.steps.length > 0 ? `, ${r.passed ? r.steps.length : `${passedSteps} of ${r.steps.length}`} steps passed` : ''
  const head = r.stoppedAt === 'load'
    ? `FAIL  ${r.file}  (not a valid scenario file)`
    : `${r.passed ? 'PASS' : 'FAIL'}  ${r.name}  (${r.file}${counts}, ${formatDuration(r.durationMs)})`
  if (r.passed) return `${head}\n`
  const lines = [head]
  for (const p of r.problems) lines.push(...indentBlock(p.split('\n'), '  '))
  for (const step of r.steps) {
    lines.push(`  ${MARK[step.status]} ${step.index}. ${step.title}${step.status === 'failed' ? `   ${step.at.file}:${step.at.line}:${step.at.col}` : ''}${step.status === 'skipped' ? ' (skipped)' : ''}`)
    if (step.status === 'failed') lines.push(...indentBlock(stepDetails(step), '       '))
  }
  return `${lines.join('\n')}\n`
}

/** The explanation of a failed step, shared with the JUnit report. */
export function stepDetails (step: StepResult): string[] {
  const lines = step.message !== undefined ? step.message.split('\n') : []
  if (step.expected !== undefined) lines.push('expected:', ...indentBlock(step.expected, '  '))
  if (step.actual !== undefined) lines.push('actual:', ...indentBlock(step.actual, '  '))
  if (step.log !== undefined) lines.push(...step.log)
  return lines
}

export function formatSummary (results: ScenarioResult[], notRun: number, durationMs: number): string {
  const failed = results.filter((r) => !r.passed).length
  const parts = [`${results.length - failed} passed`, `${failed} failed`, ...(notRun > 0 ? [`${notRun} not run (--bail)`] : [])]
  const total = results.length + notRun
  return `\n${total} scenario${total === 1 ? '' : 's'}: ${parts.join(', ')} (${formatDuration(durationMs)})\n`
}

const indentBlock = (lines: string[], by: string): string[] => lines.map((l) => `${by}${l}`)
