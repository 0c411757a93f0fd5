/** `emit`: synthetic ACS events (one type, or a sequence) through the target's simulate endpoint. */
import { scenarioStepFailed } from '../../errors.js'
import { listAcsEventTypes, listAcsSequences, resolveAcsEventType } from '../../domain/acs/index.js'
import { didYouMean, type Problem } from '../../domain/problems.js'
import type { EventBody } from '../observe.js'
import type { StepHandler, Path } from '../step-handler.js'
import type { Target } from '../target.js'
import { name } from './parts.js'

type Raw = Record<string, any>

export interface EmitStep { kind: 'emit', topic?: string, items: Array<Record<string, unknown>> }

export const emitStep: StepHandler<EmitStep> = {
  // A string is shorthand for { type: … } or { sequence: … }.
  schema: {
    type: ['string', 'object'],
    additionalProperties: false,
    properties: {
      type: name,
      sequence: name,
      topic: name,
      data: { type: 'object' },
      subject: { type: 'string' },
      eventId: { type: 'string' },
      eventTime: { type: 'string' },
      count: { type: 'integer', minimum: 1, maximum: 1000 }
    }
  },
  check: emitProblems,
  normalize: (b) => emitBody(typeof b === 'string' ? (isSequence(b) ? { sequence: b } : { type: b }) : b),
  title: (step) => {
    const first = step.items[0] ?? {}
    const what = first.sequence !== undefined ? `sequence ${String(first.sequence)}` : String(first.eventType)
    return `emit ${what}${step.items.length > 1 ? ` ×${step.items.length}` : ''}${step.topic !== undefined ? ` on '${step.topic}'` : ''}`
  },
  run: async (step, ctx) => {
    const topic = step.topic ?? await firstSystemTopic(ctx.target)
    const events = await ctx.target.simulate(topic, step.items) as unknown as EventBody[]
    for (const e of events) ctx.known.set(String(e.id), e)
    return { ok: true, events }
  }
}

/** The simulate items (POST /topics/{t}/simulate body) of an emit step. */
function emitBody (b: Raw): EmitStep {
  const item: Raw = b.sequence !== undefined ? { sequence: b.sequence } : { eventType: b.type }
  if (b.data !== undefined) item.data = b.data
  if (b.subject !== undefined) item.subject = b.subject
  if (b.eventId !== undefined) item.id = b.eventId
  if (b.eventTime !== undefined) item.eventTime = b.eventTime
  return { kind: 'emit', ...(b.topic !== undefined ? { topic: b.topic } : {}), items: Array.from({ length: b.count ?? 1 }, () => item) }
}

export async function firstSystemTopic (target: Target): Promise<string> {
  const topic = (await target.topics()).find((t) => t.system)
  if (topic === undefined) throw scenarioStepFailed('the emulator has no ACS system topic to emit on; add \'topic:\' to the step or an ACS topic to the scenario\'s topics')
  return topic.name
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

const isSequence = (s: string): boolean => sequenceNames().includes(s)
const sequenceNames = (): string[] => listAcsSequences().map((s) => s.name)
const acsNames = (): string[] => listAcsEventTypes().flatMap((t) => [...t.aliases, t.eventType])
