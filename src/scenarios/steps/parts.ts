/**
 * Pieces several step kinds share: schema fragments, how a body's destination, matchers and bounds are loaded,
 * and the checks of matchers and durations.
 */
import { resolveAcsEventType } from '../../domain/acs/index.js'
import type { Problem } from '../../domain/problems.js'
import { MAX_DURATION_MS, parseDuration, parseDurationUnbounded } from '../duration.js'
import { matcherProblem } from '../matchers.js'
import type { Path } from '../step-handler.js'
import { DEFAULT_WITHIN_MS, type Destination, type EventMatch } from '../types.js'

type Raw = Record<string, any>

export const name = { type: 'string', minLength: 1 } as const
/** `500ms`, `2s`, `1m`, `1h`, or a number of milliseconds; parsed by duration.ts. */
export const duration = { type: ['string', 'number'] } as const
/** A value (exact), `{ regex }` or `{ exists }`; see matchers.ts. */
export const matcher = {} as const
export const matcherMap = { type: 'object', additionalProperties: matcher } as const
export const statuses = { type: 'array', items: { type: 'integer', minimum: 100, maximum: 599 } } as const

/** What an expectation looks at in an event, shared by every `expect*` step. */
export const eventMatchProperties = {
  eventType: matcher,
  subject: matcher,
  eventId: matcher,
  data: matcherMap,
  event: matcherMap
} as const

/** Where deliveries are observed: one of subscription (optionally with its topic), sink or url. */
export const destinationProperties = { subscription: name, topic: name, sink: name, url: name } as const

export function toDestination (b: Raw): Destination {
  if (b.sink !== undefined) return { sink: b.sink }
  if (b.url !== undefined) return { url: b.url }
  return { subscription: b.subscription, ...(b.topic !== undefined ? { topic: b.topic } : {}) }
}

export function toEventMatch (b: Raw): EventMatch {
  const m: EventMatch = {}
  for (const key of ['eventType', 'subject', 'eventId', 'data', 'event'] as const) if (key in b) m[key] = b[key]
  // An ACS alias (no dot, unlike custom event types) stands for its full type name, as in emit steps.
  const type = typeof m.eventType === 'string' && !m.eventType.includes('.') ? resolveAcsEventType(m.eventType) : undefined
  if (type !== undefined) m.eventType = type.eventType
  return m
}

export const within = (b: Raw): number => parseDuration(b.within) ?? DEFAULT_WITHIN_MS

/** Matchers of the event fields, `status` and `reason`, and the `within`/`for` bounds. */
export function matchProblems (b: Raw, at: Path): Problem[] {
  const problems: Problem[] = []
  const check = (value: unknown, path: Path): void => {
    const message = matcherProblem(value)
    if (message !== undefined) problems.push({ path, message })
  }
  for (const key of ['eventType', 'subject', 'eventId', 'status', 'reason']) if (key in b) check(b[key], [...at, key])
  for (const key of ['data', 'event']) {
    for (const [field, value] of Object.entries((b[key] ?? {}) as Raw)) check(value, [...at, key, field])
  }
  for (const key of ['within', 'for']) if (key in b) problems.push(...durationProblems(b[key], [...at, key]))
  return problems
}

export function durationProblems (value: unknown, at: Path): Problem[] {
  if (parseDuration(value) !== undefined) return []
  const unbounded = parseDurationUnbounded(value)
  if (unbounded !== undefined) return [{ path: at, message: `${JSON.stringify(value)} is ${unbounded} ms, longer than the longest wait a timer can hold (${MAX_DURATION_MS} ms, about 24.8 days)` }]
  return [{ path: at, message: `${JSON.stringify(value)} is not a duration: write 250ms, 2s, 1.5m, 1h or a number of milliseconds` }]
}
