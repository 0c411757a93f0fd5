/**
 * Rules of a scenario file that its JSON Schema cannot express: one kind per step, known ACS types, aliases
 * and sequences, valid matchers and durations, and `${steps.…}`/`${vars.…}` references to earlier steps only.
 * Runs on the parts whose shape is valid, so every problem of a file is reported at once.
 */
import { checkSubscriptionSemantics } from '../config/validate-subscription.js'
import { listAcsEventTypes, listAcsSequences, resolveAcsEventType } from '../domain/acs/index.js'
import { didYouMean, type Problem } from '../domain/problems.js'
import type { SubscriptionBody } from '../index.js'
import { MAX_DURATION_MS, parseDuration, parseDurationUnbounded } from './duration.js'
import { matcherProblem } from './matchers.js'
import { STEP_KINDS, type StepKind } from './schema.js'
import { findReferences } from './variables.js'

type Raw = Record<string, unknown>
export type Path = Array<string | number>

export const KINDS = Object.keys(STEP_KINDS) as StepKind[]
/** The reasons Event Grid writes (DeadLetterReason in domain/delivery-rules/retry-policy.ts). */
const DEAD_LETTER_REASONS = ['MaxDeliveryAttemptsExceeded', 'TimeToLiveExceeded', 'UndeliverableDueToHttpBadRequest', 'UndeliverableDueToClientError',
  // Namespace subscriptions (src/namespaces).
  'Rejected', 'MaxDeliveryCountExceeded', 'UndeliverableDueToNonRetriableError']

export function checkTopic (name: string, topic: Raw, now: Date): Problem[] {
  const at: Path = ['topics', name]
  const isSystem = topic.topicType !== undefined
  const problems: Problem[] = []
  if (isSystem && topic.source === undefined) problems.push({ path: at, message: `missing required key 'source' (the resource id of the ACS resource)` })
  const ctx = {
    inputSchema: (topic.inputSchema ?? 'EventGridSchema') as 'EventGridSchema',
    knownEventTypes: isSystem ? new Set(listAcsEventTypes().map((t) => t.eventType)) : undefined,
    now
  }
  for (const [subName, sub] of Object.entries((topic.subscriptions ?? {}) as Record<string, SubscriptionBody>)) {
    for (const p of checkSubscriptionSemantics(sub, ctx)) problems.push({ path: [...at, 'subscriptions', subName, ...p.path], message: p.message })
  }
  return problems
}

/** Checks one step; `earlier` holds the step ids and variable names defined before it, and is updated. */
export function checkStep (step: Raw, at: Path, earlier: { ids: Set<string>, vars: Set<string> }): Problem[] {
  const problems: Problem[] = []
  const id = step.id as string | undefined
  if (id !== undefined) {
    if (earlier.ids.has(id)) problems.push({ path: [...at, 'id'], message: `step id '${id}' is already used by an earlier step` })
    earlier.ids.add(id)
  }
  const kinds = KINDS.filter((k) => k in step)
  // A step with an unknown kind has its own "unknown step" problem from the schema.
  const unknownKind = Object.keys(step).some((k) => !(k in STEP_KINDS) && k !== 'id' && k !== 'name')
  if (kinds.length !== 1) {
    if (kinds.length === 0 && unknownKind) return problems
    return [...problems, { path: at, message: `a step needs exactly one of ${KINDS.join(', ')}; found ${kinds.length === 0 ? 'none' : kinds.join(', ')}` }]
  }
  const kind = kinds[0]!
  const body = step[kind]
  const here: Path = [...at, kind]
  problems.push(...kindProblems(kind, body, here), ...referenceProblems(body, here, earlier))
  if (kind === 'set') for (const name of Object.keys(body as Raw)) earlier.vars.add(name)
  return problems
}

function kindProblems (kind: StepKind, body: unknown, at: Path): Problem[] {
  if (kind === 'wait') return durationProblems(body, at)
  if (kind === 'emit') return emitProblems(body, at)
  const b = body as Raw
  const problems: Problem[] = []
  if (kind === 'publish' && ('events' in b) === ('event' in b)) problems.push({ path: at, message: `give either 'events' (a list) or 'event' (one), not ${'events' in b ? 'both' : 'neither'}` })
  if (kind === 'publish' && ('topic' in b) === ('domain' in b)) problems.push({ path: at, message: `give either 'topic' or 'domain' (an event domain of the config; each event names its domain topic), not ${'topic' in b ? 'both' : 'neither'}` })
  if (kind === 'expect' || kind === 'expectNoDelivery') {
    const given = ['subscription', 'sink', 'url'].filter((k) => k in b)
    if (given.length !== 1) problems.push({ path: at, message: `say where to look with exactly one of subscription, sink or url; found ${given.length === 0 ? 'none' : given.join(', ')}` })
    if ('topic' in b && !('subscription' in b)) problems.push({ path: [...at, 'topic'], message: `'topic' narrows a 'subscription'; it cannot be used with sink or url` })
  }
  if (kind.startsWith('expect') || kind === 'receive') {
    problems.push(...matcherProblems(b, at))
    for (const key of ['within', 'for']) if (key in b) problems.push(...durationProblems(b[key], [...at, key]))
  }
  if (kind === 'expectSent') problems.push(...sentMatcherProblems(b, at))
  if (kind === 'expectDeadLetter' && typeof b.reason === 'string' && !DEAD_LETTER_REASONS.includes(b.reason)) {
    problems.push({ path: [...at, 'reason'], message: `'${b.reason}' is not a dead-letter reason.${didYouMean(b.reason, DEAD_LETTER_REASONS)} Reasons: ${DEAD_LETTER_REASONS.join(', ')} (or use { regex: … }).` })
  }
  return problems
}

function matcherProblems (b: Raw, at: Path): Problem[] {
  const problems: Problem[] = []
  const check = (value: unknown, path: Path): void => {
    const message = matcherProblem(value)
    if (message !== undefined) problems.push({ path, message })
  }
  for (const key of ['eventType', 'subject', 'eventId', 'status', 'reason']) if (key in b) check(b[key], [...at, key])
  for (const key of ['data', 'event']) {
    for (const [field, value] of Object.entries((b[key] ?? {}) as Raw)) check(value, [...at, key, field])
  }
  return problems
}

/** The outbox fields an expectSent step matches (besides status, checked with the other expect steps). */
export const SENT_FIELDS = ['messageId', 'from', 'to', 'message', 'subject', 'tag', 'kind', 'state'] as const

function sentMatcherProblems (b: Raw, at: Path): Problem[] {
  return SENT_FIELDS.flatMap((key) => {
    const message = key in b ? matcherProblem(b[key]) : undefined
    return message === undefined ? [] : [{ path: [...at, key], message }]
  })
}

function emitProblems (body: unknown, at: Path): Problem[] {
  if (typeof body === 'string') {
    if (resolveAcsEventType(body) !== undefined || isSequence(body)) return []
    return [{ path: at, message: `'${body}' is not an ACS event type, alias or sequence.${didYouMean(body, [...acsNames(), ...sequenceNames()])} See 'eventgrid-emulator events'.` }]
  }
  const b = body as Raw
  if (('type' in b) === ('sequence' in b)) return [{ path: at, message: `give either 'type' (an ACS event type or alias, like sms-received) or 'sequence', not ${'type' in b ? 'both' : 'neither'}` }]
  if (typeof b.type === 'string' && resolveAcsEventType(b.type) === undefined) {
    return [{ path: [...at, 'type'], message: `'${b.type}' is not an ACS event type or alias.${didYouMean(b.type, acsNames())} See 'eventgrid-emulator events'.` }]
  }
  if (typeof b.sequence === 'string') {
    if (!isSequence(b.sequence)) return [{ path: [...at, 'sequence'], message: `'${b.sequence}' is not an ACS sequence.${didYouMean(b.sequence, sequenceNames())} Sequences: ${sequenceNames().join(', ')}.` }]
    const single = ['subject', 'eventId', 'eventTime'].find((k) => k in b)
    if (single !== undefined) return [{ path: [...at, single], message: `a sequence generates several events, so '${single}' cannot be set; emit single events with 'type' instead` }]
  }
  return []
}

function durationProblems (value: unknown, at: Path): Problem[] {
  if (parseDuration(value) !== undefined) return []
  const unbounded = parseDurationUnbounded(value)
  if (unbounded !== undefined) return [{ path: at, message: `${JSON.stringify(value)} is ${unbounded} ms, longer than the longest wait a timer can hold (${MAX_DURATION_MS} ms, about 24.8 days)` }]
  return [{ path: at, message: `${JSON.stringify(value)} is not a duration: write 250ms, 2s, 1.5m, 1h or a number of milliseconds` }]
}

function referenceProblems (body: unknown, at: Path, earlier: { ids: Set<string>, vars: Set<string> }): Problem[] {
  return findReferences(body, at).flatMap((ref): Problem[] => {
    const [root, name] = ref.segments
    const known = root === 'steps' ? earlier.ids : root === 'vars' ? earlier.vars : undefined
    if (known === undefined) return [{ path: ref.at, message: `\${${ref.text}}: references start with steps.<id> (an earlier step's event) or vars.<name> (set by a set step)` }]
    if (known.has(String(name))) return []
    const what = root === 'steps' ? `no earlier step has id '${String(name)}'` : `no earlier set step defines '${String(name)}'`
    return [{ path: ref.at, message: `\${${ref.text}}: ${what}.${didYouMean(String(name), known)}` }]
  })
}

const isSequence = (name: string): boolean => sequenceNames().includes(name)
const sequenceNames = (): string[] => listAcsSequences().map((s) => s.name)
const acsNames = (): string[] => listAcsEventTypes().flatMap((t) => [...t.aliases, t.eventType])
