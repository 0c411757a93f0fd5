/** The delivery expectations: `expect`, `expectNoDelivery`, `expectDeadLetter`, `expectAttempts` (see expectations.ts). */
import { didYouMean, type Problem } from '../../domain/problems.js'
import { DEFAULT_QUIET_MS, type Destination, type EventMatch } from '../types.js'
import { formatDuration, parseDuration } from '../duration.js'
import { expectAttempts, expectDeadLetter, expectDelivery, expectNoDelivery } from '../expectations.js'
import { describeDestination } from '../observe.js'
import type { Path, StepHandler } from '../step-handler.js'
import { destinationProperties, duration, eventMatchProperties, matcher, matchProblems, name, toDestination, toEventMatch, within } from './parts.js'

type Raw = Record<string, any>

export interface ExpectStep { kind: 'expect', to: Destination, match: EventMatch, status?: unknown, withinMs: number, count?: number }
export interface ExpectNoDeliveryStep { kind: 'expectNoDelivery', to: Destination, match: EventMatch, forMs: number }
export interface ExpectDeadLetterStep { kind: 'expectDeadLetter', subscription?: string, topic?: string, match: EventMatch, reason?: unknown, withinMs: number }
export interface ExpectAttemptsStep { kind: 'expectAttempts', to: { subscription: string, topic?: string }, match: EventMatch, count: number, withinMs: number }

/** The reasons Event Grid writes (DeadLetterReason in domain/delivery-rules/retry-policy.ts). */
const DEAD_LETTER_REASONS = ['MaxDeliveryAttemptsExceeded', 'TimeToLiveExceeded', 'UndeliverableDueToHttpBadRequest', 'UndeliverableDueToClientError',
  // Namespace subscriptions (src/namespaces).
  'Rejected', 'MaxDeliveryCountExceeded', 'UndeliverableDueToNonRetriableError']

export const expectStep: StepHandler<ExpectStep> = {
  schema: {
    type: 'object',
    additionalProperties: false,
    properties: { ...destinationProperties, ...eventMatchProperties, status: matcher, within: duration, count: { type: 'integer', minimum: 1 } }
  },
  check: (b, at) => [...destinationProblems(b, at), ...matchProblems(b, at)],
  normalize: (b) => ({ kind: 'expect', to: toDestination(b), match: toEventMatch(b), ...('status' in b ? { status: b.status } : {}), withinMs: within(b), ...(b.count !== undefined ? { count: b.count } : {}) }),
  title: (step) => `expect ${step.count !== undefined ? `${step.count} deliveries` : 'a delivery'} to ${describeDestination(step.to)} within ${formatDuration(step.withinMs)}`,
  run: expectDelivery
}

export const expectNoDeliveryStep: StepHandler<ExpectNoDeliveryStep> = {
  schema: {
    type: 'object',
    additionalProperties: false,
    properties: { ...destinationProperties, ...eventMatchProperties, for: duration }
  },
  check: (b, at) => [...destinationProblems(b, at), ...matchProblems(b, at)],
  normalize: (b) => ({ kind: 'expectNoDelivery', to: toDestination(b), match: toEventMatch(b), forMs: parseDuration(b.for) ?? DEFAULT_QUIET_MS }),
  title: (step) => `expect no delivery to ${describeDestination(step.to)} for ${formatDuration(step.forMs)}`,
  run: expectNoDelivery
}

export const expectDeadLetterStep: StepHandler<ExpectDeadLetterStep> = {
  schema: {
    type: 'object',
    additionalProperties: false,
    properties: { subscription: name, topic: name, ...eventMatchProperties, reason: matcher, within: duration }
  },
  check: (b, at) => {
    const problems = matchProblems(b, at)
    if (typeof b.reason === 'string' && !DEAD_LETTER_REASONS.includes(b.reason)) {
      problems.push({ path: [...at, 'reason'], message: `'${b.reason}' is not a dead-letter reason.${didYouMean(b.reason, DEAD_LETTER_REASONS)} Reasons: ${DEAD_LETTER_REASONS.join(', ')} (or use { regex: … }).` })
    }
    return problems
  },
  normalize: (b) => ({ kind: 'expectDeadLetter', subscription: b.subscription, topic: b.topic, match: toEventMatch(b), ...('reason' in b ? { reason: b.reason } : {}), withinMs: within(b) }),
  title: (step) => `expect a dead letter from ${step.subscription !== undefined ? `'${step.subscription}'` : 'any subscription'}`,
  run: expectDeadLetter
}

export const expectAttemptsStep: StepHandler<ExpectAttemptsStep> = {
  schema: {
    type: 'object',
    additionalProperties: false,
    required: ['subscription', 'count'],
    properties: { subscription: name, topic: name, ...eventMatchProperties, count: { type: 'integer', minimum: 0 }, within: duration }
  },
  check: matchProblems,
  normalize: (b) => ({ kind: 'expectAttempts', to: { subscription: b.subscription, topic: b.topic }, match: toEventMatch(b), count: b.count, withinMs: within(b) }),
  title: (step) => `expect ${step.count} attempt${step.count === 1 ? '' : 's'} to ${describeDestination(step.to)}`,
  run: expectAttempts
}

function destinationProblems (b: Raw, at: Path): Problem[] {
  const problems: Problem[] = []
  const given = ['subscription', 'sink', 'url'].filter((k) => k in b)
  if (given.length !== 1) problems.push({ path: at, message: `say where to look with exactly one of subscription, sink or url; found ${given.length === 0 ? 'none' : given.join(', ')}` })
  if ('topic' in b && !('subscription' in b)) problems.push({ path: [...at, 'topic'], message: '\'topic\' narrows a \'subscription\'; it cannot be used with sink or url' })
  return problems
}
