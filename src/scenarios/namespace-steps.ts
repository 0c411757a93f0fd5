/**
 * Scenario steps for namespace pull subscriptions: `receive` (with expectations on what arrived) and
 * `acknowledge` / `release` / `reject` of what an earlier receive got. Publishing to a namespace topic is the
 * `publish` step with `namespace:`.
 */
import { formatDuration } from './duration.js'
import { compileChecks, describeChecks, mismatches, passes, shortId, type EventBody, type Observation } from './observe.js'
import type { NamespaceOps } from './namespace-target.js'
import type { EventMatch } from './types.js'
import type { StepOutcome } from './expectations.js'

export interface NsAddress { namespace: string, topic: string, subscription: string }
export type ReceiveStep = NsAddress & { kind: 'receive', maxEvents: number, count?: number, withinMs: number, match: EventMatch }
export type SettleStep = NsAddress & { kind: 'acknowledge' | 'release' | 'reject', eventId?: string, delaySeconds: number }

interface Held { lockToken: string, event: EventBody }

/** Lock tokens received and not yet settled, per `ns/topic/sub`, for one scenario run. */
export type HeldTokens = Map<string, Held[]>

const PAST = { acknowledge: 'acknowledged', release: 'released', reject: 'rejected' } as const
const keyOf = (a: NsAddress): string => `${a.namespace}/${a.topic}/${a.subscription}`
const where = (a: NsAddress): string => `'${a.subscription}' of namespace topic '${a.namespace}/${a.topic}'`

export async function runReceive (step: ReceiveStep, ops: NamespaceOps, held: HeldTokens, key: string | undefined, known: Map<string, EventBody>): Promise<StepOutcome> {
  const want = step.count ?? 1
  const deadline = performance.now() + step.withinMs
  const got: Held[] = []
  // A long poll answers as soon as one event is there; keep polling until `count` events came or time is up
  // (`count: 0` listens for the whole `within`, to show nothing arrives).
  // eslint-disable-next-line no-unmodified-loop-condition -- `got` grows inside the loop; `want === 0` runs until the deadline
  while (want === 0 || got.length < want) {
    const left = deadline - performance.now()
    if (left <= 0) break
    const batch = await ops.receive(step.namespace, step.topic, step.subscription, Math.max(1, Math.min(100, Math.max(step.maxEvents, want) - got.length)), left, key)
    for (const r of batch) got.push({ lockToken: r.lockToken, event: r.event as EventBody })
  }
  const list = held.get(keyOf(step)) ?? []
  list.push(...got)
  held.set(keyOf(step), list)
  for (const h of got) known.set(String(h.event.id), h.event)
  const checks = compileChecks(step.match)
  const observations: Observation[] = got.map((h) => ({ time: '', eventId: String(h.event.id), event: h.event, outcome: 'Received' }))
  const bad = observations.filter((o) => !passes(checks, o))
  const countOk = step.count === undefined ? got.length >= 1 : got.length === step.count
  if (countOk && bad.length === 0) return { ok: true, events: got.map((h) => ({ ...h.event, lockToken: h.lockToken })) }
  return {
    ok: false,
    message: !countOk
      ? `expected ${step.count === undefined ? 'at least 1 event' : `${want} event${want === 1 ? '' : 's'}`} from ${where(step)} within ${formatDuration(step.withinMs)}, received ${got.length}`
      : `${bad.length} of ${got.length} received event${got.length === 1 ? '' : 's'} did not match`,
    expected: [`${step.count ?? 'at least 1'} event(s) from ${where(step)}${checks.length > 0 ? ', each where' : ''}`, ...describeChecks(checks).map((l) => `  ${l}`)],
    actual: got.length === 0 ? ['nothing received'] : observations.flatMap((o) => [`event ${shortId(o.eventId)} (${String(o.event?.type)})`, ...mismatches(checks, o).map((l) => `  ${l}`)])
  }
}

export async function runSettle (step: SettleStep, ops: NamespaceOps, held: HeldTokens, key: string | undefined): Promise<StepOutcome> {
  const list = held.get(keyOf(step)) ?? []
  const chosen = list.filter((h) => step.eventId === undefined || h.event.id === step.eventId)
  if (chosen.length === 0) {
    return { ok: false, message: `nothing to ${step.kind}: no earlier receive step holds ${step.eventId !== undefined ? `event '${step.eventId}'` : 'unsettled events'} from ${where(step)}` }
  }
  const result = await ops.settle(step.namespace, step.topic, step.subscription, step.kind, chosen.map((h) => h.lockToken), step.delaySeconds, key)
  held.set(keyOf(step), list.filter((h) => !chosen.includes(h)))
  if (result.failedLockTokens.length === 0) return { ok: true, events: chosen.map((h) => h.event) }
  return {
    ok: false,
    message: `${result.failedLockTokens.length} of ${chosen.length} lock token(s) could not be ${PAST[step.kind]}`,
    actual: result.failedLockTokens.map((f) => `${shortId(f.lockToken)}: ${f.error.code} ${f.error.message}`)
  }
}

export function titleOfNamespaceStep (step: ReceiveStep | SettleStep): string {
  if (step.kind === 'receive') return `receive ${step.count ?? 'events'}${step.count !== undefined ? ` event${step.count === 1 ? '' : 's'}` : ''} from ${where(step)} within ${formatDuration(step.withinMs)}`
  return `${step.kind} ${step.eventId !== undefined ? `event '${step.eventId}'` : 'the received events'} on ${where(step)}${step.kind === 'release' && step.delaySeconds > 0 ? ` (delay ${step.delaySeconds} s)` : ''}`
}
