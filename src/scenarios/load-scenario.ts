/**
 * Scenario loading, the config loader's way: YAML (with line counter) → `${VAR}` expansion → JSON Schema →
 * scenario rules, every problem at once as `file:line:col message` (a ConfigError), then normalization.
 */
import { ajvToProblems } from '../config/ajv-problems.js'
import { parseYamlSource, readSource, throwIfProblems } from '../config/yaml-source.js'
import { validateScenarioShape as validateShape } from '../config/validators.js'
import { applyDefaults } from '../config/apply-defaults.js'
import { namespacesSchema } from '../config/namespace-schema.js'
import { listAcsSequences, resolveAcsEventType } from '../domain/acs/index.js'
import { didYouMean, type Problem } from '../domain/problems.js'
import type { SubscriptionBody } from '../index.js'
import { outcomeRuleProblems } from '../domain/acs-messaging/index.js'
import { checkStep, checkTopic, KINDS, SENT_FIELDS, type Path } from './check-scenario.js'
import { parseDuration } from './duration.js'
import { DEFAULT_QUIET_MS, DEFAULT_WITHIN_MS, type Destination, type EventMatch, type Location, type Scenario, type ScenarioTopic, type Step, type StepBody } from './types.js'

type Raw = Record<string, any>

export async function loadScenarioFile (file: string, env: Record<string, string | undefined> = process.env, now = new Date()): Promise<Scenario> {
  return parseScenario(await readSource(file, 'scenario file'), file, env, now)
}

export function parseScenario (text: string, file: string, env: Record<string, string | undefined>, now = new Date()): Scenario {
  const source = parseYamlSource(text, file, env)
  throwIfProblems([...source.problems, ...findProblems(source.raw, now).map(source.place)])
  return normalize(source.raw as Raw, file, source.position)
}

function findProblems (raw: unknown, now: Date): Problem[] {
  const shapeOk = validateShape(raw)
  const shape = shapeOk ? [] : ajvToProblems(validateShape.errors, raw).map(explainUnknownStep)
  if (raw === null || typeof raw !== 'object') return shape
  // Rules run on each topic and step whose shape is valid apart from unknown keys (which leave the known
  // keys' types intact), so they add to the shape problems.
  const broken = new Set(shape.filter((p) => !p.message.startsWith('unknown')).map((p) => `${String(p.path[0])}.${String(p.path[1])}`))
  const problems = [...shape]
  const r = raw as Raw
  // A list or a scalar where the topic map belongs is already a shape problem; only map entries are topics.
  if (r.topics !== null && typeof r.topics === 'object' && !Array.isArray(r.topics)) {
    for (const [name, topic] of Object.entries(r.topics as Raw)) {
      if (!broken.has(`topics.${name}`) && topic !== null && typeof topic === 'object') problems.push(...checkTopic(name, topic as Raw, now))
    }
  }
  if (Array.isArray(r.acsOutcomes) && !shape.some((p) => p.path[0] === 'acsOutcomes')) {
    problems.push(...outcomeRuleProblems(r.acsOutcomes).map((p) => ({ ...p, path: ['acsOutcomes', ...p.path] })))
  }
  const earlier = { ids: new Set<string>(), vars: new Set<string>() }
  if (Array.isArray(r.steps)) {
    r.steps.forEach((step: unknown, i) => {
      if (!broken.has(`steps.${i}`) && step !== null && typeof step === 'object') problems.push(...checkStep(step as Raw, ['steps', i], earlier))
    })
  }
  return problems
}

/** ajv calls an unknown step kind an unknown key; say it is a step, and which kinds exist. */
function explainUnknownStep (p: Problem): Problem {
  const [root, , key] = p.path
  if (root !== 'steps' || p.path.length !== 3 || !p.message.startsWith('unknown key')) return p
  return { path: p.path, message: `unknown step '${String(key)}'.${didYouMean(String(key), [...KINDS, 'id', 'name'])} A step is one of: ${KINDS.join(', ')} (with an optional id and name).` }
}

function normalize (raw: Raw, file: string, position: (path: Path, atKey?: boolean) => Location): Scenario {
  const topics: Record<string, ScenarioTopic> = {}
  for (const [name, t] of Object.entries((raw.topics ?? {}) as Raw)) {
    const { subscriptions, ...settings } = t as Raw
    topics[name] = {
      settings,
      at: position(['topics', name], true),
      subscriptions: Object.entries((subscriptions ?? {}) as Record<string, SubscriptionBody>)
        .map(([sub, body]) => ({ name: sub, body, at: position(['topics', name, 'subscriptions', sub], true) }))
    }
  }
  const steps = (raw.steps as Raw[]).map((step, i): Step => {
    const kind = KINDS.find((k) => k in step)!
    const base = { index: i + 1, at: position(['steps', i]), ...(step.id !== undefined ? { id: step.id as string } : {}), ...(step.name !== undefined ? { name: step.name as string } : {}) }
    return { ...base, ...stepBody(kind, step[kind]) }
  })
  return { file, name: raw.name as string, topics, sinks: (raw.sinks ?? {}) as Record<string, number[]>, acsOutcomes: raw.acsOutcomes ?? [], namespaces: applyDefaults(namespacesSchema, raw.namespaces) as Scenario['namespaces'], steps }
}

function stepBody (kind: (typeof KINDS)[number], b: any): StepBody {
  switch (kind) {
    case 'emit': return emitBody(typeof b === 'string' ? (isSequence(b) ? { sequence: b } : { type: b }) : b)
    case 'publish': return { kind, topic: b.topic ?? b.domain, events: b.events ?? [b.event], ...(b.key !== undefined ? { key: b.key } : {}), ...(b.domain !== undefined ? { toDomain: true as const } : {}), ...(b.namespace !== undefined ? { namespace: b.namespace } : {}) }
    case 'expect': return { kind, to: destination(b), match: eventMatch(b), ...('status' in b ? { status: b.status } : {}), withinMs: within(b), ...(b.count !== undefined ? { count: b.count } : {}) }
    case 'expectNoDelivery': return { kind, to: destination(b), match: eventMatch(b), forMs: parseDuration(b.for) ?? DEFAULT_QUIET_MS }
    case 'expectDeadLetter': return { kind, subscription: b.subscription, topic: b.topic, match: eventMatch(b), ...('reason' in b ? { reason: b.reason } : {}), withinMs: within(b) }
    case 'expectAttempts': return { kind, to: { subscription: b.subscription, topic: b.topic }, match: eventMatch(b), count: b.count, withinMs: within(b) }
    case 'expectSent': {
      const match: Record<string, unknown> = {}
      for (const key of [...SENT_FIELDS, 'status']) if (key in b) match[key] = b[key]
      return { kind, ...(b.topic !== undefined ? { topic: b.topic } : {}), ...(b.channel !== undefined ? { channel: b.channel } : {}), match, withinMs: within(b), ...(b.count !== undefined ? { count: b.count } : {}) }
    }
    case 'wait': return { kind, ms: parseDuration(b)! }
    case 'set': return { kind, values: b }
    case 'sink': return { kind, name: b.name, statuses: b.statuses }
    case 'receive': return { kind, ...nsAddress(b), maxEvents: b.maxEvents ?? 1, ...(b.count !== undefined ? { count: b.count } : {}), withinMs: within(b), match: eventMatch(b) }
    case 'acknowledge':
    case 'reject':
    case 'release': return { kind, ...nsAddress(b), ...(b.eventId !== undefined ? { eventId: b.eventId } : {}), delaySeconds: b.delay ?? 0 }
  }
}

/** The simulate items (POST /topics/{t}/simulate body) of an emit step. */
function emitBody (b: Raw): StepBody {
  const item: Raw = b.sequence !== undefined ? { sequence: b.sequence } : { eventType: b.type }
  if (b.data !== undefined) item.data = b.data
  if (b.subject !== undefined) item.subject = b.subject
  if (b.eventId !== undefined) item.id = b.eventId
  if (b.eventTime !== undefined) item.eventTime = b.eventTime
  return { kind: 'emit', ...(b.topic !== undefined ? { topic: b.topic } : {}), items: Array.from({ length: b.count ?? 1 }, () => item) }
}

function destination (b: Raw): Destination {
  if (b.sink !== undefined) return { sink: b.sink }
  if (b.url !== undefined) return { url: b.url }
  return { subscription: b.subscription, ...(b.topic !== undefined ? { topic: b.topic } : {}) }
}

function eventMatch (b: Raw): EventMatch {
  const m: EventMatch = {}
  for (const key of ['eventType', 'subject', 'eventId', 'data', 'event'] as const) if (key in b) m[key] = b[key]
  // An ACS alias (no dot, unlike custom event types) stands for its full type name, as in emit steps.
  const type = typeof m.eventType === 'string' && !m.eventType.includes('.') ? resolveAcsEventType(m.eventType) : undefined
  if (type !== undefined) m.eventType = type.eventType
  return m
}

const nsAddress = (b: Raw): { namespace: string, topic: string, subscription: string, key?: string } =>
  ({ namespace: b.namespace, topic: b.topic, subscription: b.subscription, ...(b.key !== undefined ? { key: b.key } : {}) })
const within = (b: Raw): number => parseDuration(b.within) ?? DEFAULT_WITHIN_MS
const isSequence = (name: string): boolean => listAcsSequences().some((s) => s.name === name)
