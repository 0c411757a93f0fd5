/**
 * Runs one scenario against a target: prepares it (reset, the scenario's subscriptions and sink scripts),
 * then runs the steps in order. A failed step skips the rest, since later steps build on earlier ones.
 */
import { randomUUID } from 'node:crypto'
import { formatPath, type Problem } from '../domain/problems.js'
import { formatDuration, MAX_DURATION_MS } from './duration.js'
import { expectAttempts, expectDeadLetter, expectDelivery, expectNoDelivery, type ExpectContext, type StepOutcome } from './expectations.js'
import { expectSent } from './expect-sent.js'
import { describeDestination, type EventBody } from './observe.js'
import { SetupError, type OpenTarget, type Target } from './target.js'
import type { Location, Scenario, Step } from './types.js'
import { interpolate, type Captures } from './variables.js'
import { runReceive, runSettle, titleOfNamespaceStep, type HeldTokens } from './namespace-steps.js'
import type { NamespaceOps } from './namespace-target.js'
import { scenarioStepFailed } from '../errors.js'

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
  const ctx: StepContext = { target, known: new Map(), held: new Map() }
  const results: StepResult[] = []
  for (const step of scenario.steps) {
    const base = { index: step.index, title: titleOf(step, target), at: step.at }
    if (results.some((r) => r.status !== 'passed')) { results.push({ ...base, status: 'skipped', durationMs: 0 }); continue }
    const t0 = performance.now()
    let outcome: StepOutcome
    try {
      outcome = await runStep(interpolate(step, captures), ctx, scenario, captures)
    } catch (err) {
      outcome = { ok: false, message: errorText(err) }
    }
    const { ok, events, ...details } = outcome
    if (ok && step.id !== undefined) captures.steps[step.id] = { ...events?.[0], events: events ?? [] }
    results.push({ ...base, status: ok ? 'passed' : 'failed', durationMs: performance.now() - t0, ...details })
  }
  return results
}

/** Lock tokens from receive steps live as long as the run, for the settle steps after them. */
type StepContext = ExpectContext & { held: HeldTokens }

function namespaceOps (target: Target): NamespaceOps {
  if (target.namespaces === undefined) throw scenarioStepFailed('this emulator target does not support namespace steps')
  return target.namespaces
}

async function runStep (step: Step, ctx: StepContext, scenario: Scenario, captures: Captures): Promise<StepOutcome> {
  const { target } = ctx
  switch (step.kind) {
    case 'emit': {
      const topic = step.topic ?? await firstSystemTopic(target)
      const events = await target.simulate(topic, step.items) as unknown as EventBody[]
      for (const e of events) ctx.known.set(String(e.id), e)
      return { ok: true, events }
    }
    case 'publish': {
      const events = step.events.map(withDefaults)
      if (step.namespace !== undefined) {
        await namespaceOps(target).publish(step.namespace, step.topic, events, step.key ?? scenario.namespaces[step.namespace]?.keys?.[0])
        for (const e of events) ctx.known.set(String(e.id), e)
        return { ok: true, events }
      }
      if (step.toDomain === true) await target.publishToDomain(step.topic, events, step.key)
      else await target.publish(step.topic, events, step.key ?? scenario.topics[step.topic]?.settings.keys?.[0])
      for (const e of events) ctx.known.set(String(e.id), e)
      return { ok: true, events }
    }
    case 'expect': return await expectDelivery(step, ctx)
    case 'expectNoDelivery': return await expectNoDelivery(step, ctx)
    case 'expectDeadLetter': return await expectDeadLetter(step, ctx)
    case 'expectAttempts': return await expectAttempts(step, ctx)
    case 'expectSent': return await expectSent(step, ctx, step.topic ?? await firstSystemTopic(target))
    case 'wait':
      await sleepChunked(step.ms * target.timeScale)
      return { ok: true }
    case 'set':
      Object.assign(captures.vars, step.values)
      return { ok: true }
    case 'sink':
      await target.scriptSink(step.name, step.statuses)
      return { ok: true }
    case 'receive': return await runReceive(step, namespaceOps(target), ctx.held, step.key ?? scenario.namespaces[step.namespace]?.keys?.[0], ctx.known)
    case 'acknowledge':
    case 'release':
    case 'reject': return await runSettle(step, namespaceOps(target), ctx.held, step.key ?? scenario.namespaces[step.namespace]?.keys?.[0])
  }
}

/**
 * Fills what a test rarely cares about, so a publish step can be a few lines: an `id` (needed to follow the
 * event through the delivery log) and, for Event Grid events, an `eventTime`. CloudEvents carry `specversion`.
 */
function withDefaults (event: Record<string, unknown>): Record<string, unknown> {
  const filled: Record<string, unknown> = { id: randomUUID(), ...event }
  if ('eventType' in event && !('specversion' in event) && !('eventTime' in event)) filled.eventTime = new Date().toISOString()
  return filled
}

async function firstSystemTopic (target: Target): Promise<string> {
  const topic = (await target.topics()).find((t) => t.system)
  if (topic === undefined) throw scenarioStepFailed(`the emulator has no ACS system topic to emit on; add 'topic:' to the step or an ACS topic to the scenario's topics`)
  return topic.name
}

function titleOf (step: Step, target: Target): string {
  if (step.name !== undefined) return step.name
  switch (step.kind) {
    case 'emit': {
      const first = step.items[0] ?? {}
      const what = first.sequence !== undefined ? `sequence ${String(first.sequence)}` : String(first.eventType)
      return `emit ${what}${step.items.length > 1 ? ` ×${step.items.length}` : ''}${step.topic !== undefined ? ` on '${step.topic}'` : ''}`
    }
    case 'publish': return `publish ${step.events.length} event${step.events.length === 1 ? '' : 's'} to ${step.toDomain === true ? 'domain ' : ''}'${step.namespace !== undefined ? `${step.namespace}/` : ''}${step.topic}'`
    case 'expect': return `expect ${step.count !== undefined ? `${step.count} deliveries` : 'a delivery'} to ${describeDestination(step.to)} within ${formatDuration(step.withinMs)}`
    case 'expectNoDelivery': return `expect no delivery to ${describeDestination(step.to)} for ${formatDuration(step.forMs)}`
    case 'expectDeadLetter': return `expect a dead letter from ${step.subscription !== undefined ? `'${step.subscription}'` : 'any subscription'}`
    case 'expectAttempts': return `expect ${step.count} attempt${step.count === 1 ? '' : 's'} to ${describeDestination(step.to)}`
    case 'expectSent': return `expect ${step.count !== undefined ? `${step.count} message${step.count === 1 ? '' : 's'}` : 'a message'}${step.channel !== undefined ? ` (${step.channel})` : ''} sent by the app${typeof step.match.to === 'string' ? ` to ${step.match.to}` : ''} within ${formatDuration(step.withinMs)}`
    case 'wait': return `wait ${formatDuration(step.ms)}${target.timeScale !== 1 ? ` (×${target.timeScale} = ${formatDuration(step.ms * target.timeScale)})` : ''}`
    case 'set': return `set ${Object.keys(step.values).join(', ')}`
    case 'sink': return `sink '${step.name}' answers ${step.statuses.join(', ')}`
    case 'receive':
    case 'acknowledge':
    case 'release':
    case 'reject': return titleOfNamespaceStep(step)
  }
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

/** Sleeps `ms` in timer-sized pieces: one setTimeout longer than 2^31 - 1 ms would fire after 1 ms. */
async function sleepChunked (ms: number): Promise<void> {
  let left = ms
  while (left > 0) {
    const piece = Math.min(left, MAX_DURATION_MS)
    await new Promise((resolve) => setTimeout(resolve, piece))
    left -= piece
  }
}
