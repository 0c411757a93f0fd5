/**
 * The `expect*` steps. Each looks at the target again every pollMs until it is satisfied or its real-time
 * bound passes (bounds are not scaled: they are how long CI is willing to wait), and explains a failure as
 * expected vs actual, with the matching part of the delivery log.
 */
import { didYouMean } from '../domain/problems.js'
import { formatDuration } from './duration.js'
import { logExcerpt } from './log-excerpt.js'
import {
  compileChecks, describeChecks, describeDestination, describeObservation, isOneOf, mismatches, observeDeadLetters,
  observeDeliveries, passes, subscriptionsOf, type ObservationCheck, type EventBody, type Observation
} from './observe.js'
import type { Target } from './target.js'
import type { Destination, Step } from './types.js'

export interface StepOutcome {
  ok: boolean
  message?: string
  expected?: string[]
  actual?: string[]
  log?: string[]
  /** Events an `id`-named step makes available to `${steps.<id>…}`. */
  events?: EventBody[]
}

export interface ExpectContext { target: Target, known: Map<string, EventBody> }

type Of<K extends Step['kind']> = Extract<Step, { kind: K }>

const DELIVERED = { label: 'outcome', matcher: { kind: 'exact', value: 'Delivered' }, get: (o) => o.outcome } satisfies ObservationCheck

export async function expectDelivery (step: Of<'expect'>, ctx: ExpectContext): Promise<StepOutcome> {
  const where = describeDestination(step.to)
  const subs = await existingSubscriptions(step.to, ctx)
  if (!Array.isArray(subs)) return subs
  // Without `status`, "a delivery" means a successful one.
  const checks = [...compileChecks(step.match, 'status' in step ? { status: step.status } : {}), ...('status' in step ? [] : [DELIVERED])]
  const want = step.count ?? 1
  let seen: Observation[] = []
  let matched: Observation[] = []
  await poll(ctx.target, step.withinMs, async () => {
    seen = await observeDeliveries(ctx.target, step.to, subs, ctx.known)
    matched = seen.filter((o) => passes(checks, o))
    return matched.length >= want
  })
  const ok = step.count === undefined ? matched.length >= 1 : matched.length === want
  if (ok) return { ok, events: eventsOf(matched) }
  return {
    ok,
    message: matched.length === 0 ? `no matching delivery to ${where} within ${formatDuration(step.withinMs)}` : `expected ${want} matching deliveries to ${where}, got ${matched.length}`,
    expected: [`${want} ${want === 1 ? 'delivery' : 'deliveries'} to ${where} within ${formatDuration(step.withinMs)}, where`, ...indent(describeChecks(checks))],
    actual: candidates(seen, matched, checks, `to ${where}`),
    log: await logExcerpt(ctx.target, subs)
  }
}

export async function expectNoDelivery (step: Of<'expectNoDelivery'>, ctx: ExpectContext): Promise<StepOutcome> {
  const where = describeDestination(step.to)
  const subs = await existingSubscriptions(step.to, ctx)
  if (!Array.isArray(subs)) return subs
  const checks = compileChecks(step.match)
  let unexpected: Observation[] = []
  await poll(ctx.target, step.forMs, async () => {
    unexpected = (await observeDeliveries(ctx.target, step.to, subs, ctx.known)).filter((o) => passes(checks, o))
    return unexpected.length > 0
  })
  if (unexpected.length === 0) return { ok: true }
  return {
    ok: false,
    message: `${unexpected.length} unexpected ${unexpected.length === 1 ? 'delivery' : 'deliveries'} to ${where}`,
    expected: [`no delivery to ${where} for ${formatDuration(step.forMs)}${checks.length > 0 ? ' of an event where' : ''}`, ...indent(describeChecks(checks))],
    actual: unexpected.slice(-5).map(describeObservation),
    log: await logExcerpt(ctx.target, subs)
  }
}

export async function expectDeadLetter (step: Of<'expectDeadLetter'>, ctx: ExpectContext): Promise<StepOutcome> {
  const where = step.subscription !== undefined ? `subscription '${step.subscription}'` : 'any subscription'
  const checks = compileChecks(step.match, 'reason' in step ? { reason: step.reason } : {})
  let seen: Observation[] = []
  let matched: Observation[] = []
  await poll(ctx.target, step.withinMs, async () => {
    seen = await observeDeadLetters(ctx.target, step, ctx.known)
    matched = seen.filter((o) => passes(checks, o))
    return matched.length > 0
  })
  if (matched.length > 0) return { ok: true, events: eventsOf(matched) }
  const subs = step.subscription !== undefined ? subscriptionsOf({ subscription: step.subscription, topic: step.topic }, await ctx.target.topics(), ctx.target.url) : undefined
  return {
    ok: false,
    message: `no matching dead letter from ${where} within ${formatDuration(step.withinMs)}`,
    expected: [`a dead-lettered event from ${where}${checks.length > 0 ? ', where' : ''}`, ...indent(describeChecks(checks))],
    actual: candidates(seen, matched, checks, `from ${where}`, ['dead letter', 'dead letters']),
    log: await logExcerpt(ctx.target, subs)
  }
}

export async function expectAttempts (step: Of<'expectAttempts'>, ctx: ExpectContext): Promise<StepOutcome> {
  const subs = await existingSubscriptions(step.to, ctx)
  if (!Array.isArray(subs)) return subs
  const checks = compileChecks(step.match)
  let attempts: Observation[] = []
  let settled = false
  await poll(ctx.target, step.withinMs, async () => {
    const records = (await ctx.target.deliveries()).filter((r) => isOneOf(r, subs))
    attempts = (await observeDeliveries(ctx.target, step.to, subs, ctx.known)).filter((o) => passes(checks, o))
    // Settled: every matching event's latest record says no further attempt will come.
    const ids = new Set(attempts.map((o) => o.eventId))
    settled = ids.size > 0 && [...ids].every((id) => ['Delivered', 'DeadLettered', 'Dropped'].includes(records.findLast((r) => r.eventIds.includes(id))?.outcome ?? ''))
    return settled || attempts.length > step.count
  })
  if (attempts.length === step.count) return { ok: true, events: eventsOf(attempts) }
  const where = describeDestination(step.to)
  return {
    ok: false,
    message: `expected ${step.count} delivery attempt${step.count === 1 ? '' : 's'} to ${where}, got ${attempts.length}${settled ? '' : ` (still retrying after ${formatDuration(step.withinMs)})`}`,
    expected: [`${step.count} attempts to ${where}${checks.length > 0 ? ' of an event where' : ''}`, ...indent(describeChecks(checks))],
    actual: attempts.length === 0 ? [`no attempt to ${where}`] : attempts.map(describeObservation),
    log: await logExcerpt(ctx.target, subs)
  }
}

/** The subscriptions behind a destination, or a failed outcome when a named subscription or URL has none. */
async function existingSubscriptions (to: Destination, ctx: ExpectContext): Promise<Array<{ topic: string, name: string }> | StepOutcome> {
  const topics = await ctx.target.topics()
  const subs = subscriptionsOf(to, topics, ctx.target.url)
  if (subs.length > 0 || 'sink' in to) return subs
  const names = topics.flatMap((t) => t.subscriptions.map((s) => s.name))
  const hint = 'subscription' in to ? didYouMean(to.subscription, names) : ''
  return {
    ok: false,
    message: `${'url' in to ? 'no subscription delivers to' : 'there is no'} ${describeDestination(to)}.${hint}`,
    actual: topics.map((t) => `topic '${t.name}': ${t.subscriptions.map((s) => `${s.name} → ${s.endpointUrl}`).join(', ') || 'no subscriptions'}`)
  }
}

/** The most recent observations that did not match, each with the checks it failed: the diff. */
function candidates (seen: Observation[], matched: Observation[], checks: ObservationCheck[], where: string, [one, many] = ['delivery', 'deliveries']): string[] {
  if (seen.length === 0) return [`no ${one} ${where} at all`]
  const others = seen.filter((o) => !matched.includes(o))
  const lines = [`${seen.length} ${seen.length === 1 ? one : many} ${where}, ${matched.length} matching${others.length > 5 ? '; the last 5 others' : ''}:`]
  for (const o of matched) lines.push(`  ${describeObservation(o)} matches`)
  for (const o of others.slice(-5)) lines.push(`  ${describeObservation(o)}`, ...indent(mismatches(checks, o), '    '))
  return lines
}

async function poll (target: Target, forMs: number, done: () => Promise<boolean>): Promise<void> {
  const deadline = performance.now() + forMs
  while (!(await done()) && performance.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, Math.min(target.pollMs, Math.max(0, deadline - performance.now()))))
  }
}

const indent = (lines: string[], by = '  '): string[] => lines.map((l) => `${by}${l}`)
const eventsOf = (observations: Observation[]): EventBody[] => observations.flatMap((o) => o.event !== undefined ? [o.event] : [])
