/**
 * Runs one scenario against a target: prepares it (reset, the scenario's subscriptions and sink scripts),
 * then runs the steps in order. A failed step skips the rest, since later steps build on earlier ones.
 */
import { formatPath, type Problem } from '../domain/problems.js'
import type { StepOutcome } from './expectations.js'
import { stepHandler } from './schema.js'
import type { StepRunContext } from './step-handler.js'
import { SetupError, type OpenTarget, type Target } from './target.js'
import type { Location, Scenario } from './types.js'
import { interpolate, type Captures } from './variables.js'

const HANDSHAKE_WAIT_MS = 10_000

export interface StepResult {
  index: number
  title: string
  at: Location
  status: 'passed' | 'failed' | 'skipped'
  durationMs: number
  message?: string
  expected?: string[]
  actual?: string[]
  log?: string[]
}

export interface ScenarioResult {
  file: string
  name: string
  passed: boolean
  durationMs: number
  /** Why the scenario could not run: file problems (`file:line:col message`) or a failed setup. */
  problems: string[]
  /** Set when problems kept the scenario from running. */
  stoppedAt?: 'load' | 'setup'
  steps: StepResult[]
}

export async function runScenario (scenario: Scenario, open: OpenTarget): Promise<ScenarioResult> {
  const started = performance.now()
  const result = (problems: string[], steps: StepResult[]): ScenarioResult => ({
    file: scenario.file,
    name: scenario.name,
    passed: problems.length === 0 && steps.every((s) => s.status === 'passed'),
    durationMs: performance.now() - started,
    problems,
    ...(problems.length > 0 ? { stoppedAt: 'setup' as const } : {}),
    steps
  })
  let target: Target
  try {
    target = await open(scenario.topics, scenario.namespaces)
  } catch (err) {
    return result([setupProblem(err, scenario.file)], [])
  }
  try {
    await prepare(scenario, target)
    return result([], await runSteps(scenario, target))
  } catch (err) {
    return result([setupProblem(err, scenario.file)], [])
  } finally {
    await target.close()
  }
}

/** A result for a file that could not be loaded. */
export function invalidScenario (file: string, problems: string[]): ScenarioResult {
  return { file, name: file, passed: false, durationMs: 0, problems, stoppedAt: 'load', steps: [] }
}

async function prepare (scenario: Scenario, target: Target): Promise<void> {
  await target.reset()
  for (const [topic, t] of Object.entries(scenario.topics)) {
    for (const sub of t.subscriptions) {
      try {
        await target.putSubscription(topic, sub.name, sub.body)
      } catch (err) {
        throw new SetupError(`subscription '${sub.name}' of topic '${topic}' was rejected: ${(err as Error).message}`, sub.at)
      }
    }
  }
  for (const [name, statuses] of Object.entries(scenario.sinks)) await target.scriptSink(name, statuses)
  if (scenario.acsOutcomes.length > 0) await target.setAcsOutcomes(scenario.acsOutcomes)
  await handshakesSettled(scenario, target)
}

/**
 * Waits (a bounded time) until the scenario's subscriptions have finished their validation handshake, so steps
 * measure deliveries, not handshakes, and `expectNoDelivery` cannot pass only because events are still held.
 * A failed handshake is not a setup error: the subscription's state and the delivery log show it.
 */
async function handshakesSettled (scenario: Scenario, target: Target): Promise<void> {
  const pending = new Set(Object.entries(scenario.topics).flatMap(([topic, t]) => t.subscriptions.map((s) => `${topic}/${s.name}`)))
  const deadline = performance.now() + HANDSHAKE_WAIT_MS
  while (pending.size > 0 && performance.now() < deadline) {
    const creating = (await target.topics()).flatMap((t) => t.subscriptions.filter((s) => s.state === 'Creating').map((s) => `${t.name}/${s.name}`))
    if (!creating.some((name) => pending.has(name))) return
    await new Promise((resolve) => setTimeout(resolve, target.pollMs))
  }
}

async function runSteps (scenario: Scenario, target: Target): Promise<StepResult[]> {
  const captures: Captures = { steps: {}, vars: {} }
  const ctx: StepRunContext = { target, known: new Map(), held: new Map(), scenario, captures }
  const results: StepResult[] = []
  for (const step of scenario.steps) {
    const base = { index: step.index, title: step.name ?? stepHandler(step.kind).title(step, target), at: step.at }
    if (results.some((r) => r.status !== 'passed')) { results.push({ ...base, status: 'skipped', durationMs: 0 }); continue }
    const t0 = performance.now()
    let outcome: StepOutcome
    try {
      outcome = await stepHandler(step.kind).run(interpolate(step, captures), ctx)
    } catch (err) {
      outcome = { ok: false, message: errorText(err) }
    }
    const { ok, events, ...details } = outcome
    if (ok && step.id !== undefined) captures.steps[step.id] = { ...events?.[0], events: events ?? [] }
    results.push({ ...base, status: ok ? 'passed' : 'failed', durationMs: performance.now() - t0, ...details })
  }
  return results
}

function setupProblem (err: unknown, file: string): string {
  const at = err instanceof SetupError ? err.at : undefined
  return `${at !== undefined ? `${at.file}:${at.line}:${at.col} ` : `${file}: `}${errorText(err)}`
}

/** Error text; errors that carry problems (a simulate body, a publish) list each with its path. */
function errorText (err: unknown): string {
  const problems = (err as { problems?: Problem[] }).problems
  if (Array.isArray(problems) && problems.length > 0) return problems.map((p) => `${formatPath(p.path) || '(body)'}: ${p.message}`).join('\n')
  return (err as Error).message
}
