/** `publish`: events as an app would send them, to a topic, an event domain or a namespace topic. */
import { randomUUID } from 'node:crypto'
import { scenarioStepFailed } from '../../errors.js'
import type { NamespaceOps } from '../namespace-target.js'
import type { StepHandler } from '../step-handler.js'
import type { Target } from '../target.js'
import { name } from './parts.js'

export interface PublishStep {
  kind: 'publish'
  topic: string
  events: Array<Record<string, unknown>>
  key?: string
  /** `topic` names an event domain. */
  toDomain?: true
  namespace?: string
}

export const publishStep: StepHandler<PublishStep> = {
  schema: {
    type: 'object',
    additionalProperties: false,
    // `topic` or `domain` (an event domain from the config; each event names its domain topic), checked below;
    // with `namespace`, `topic` is a topic of that namespace.
    properties: { topic: name, domain: name, events: { type: 'array', minItems: 1, items: { type: 'object' } }, event: { type: 'object' }, key: name, namespace: name }
  },
  check: (b, at) => [
    ...(('events' in b) === ('event' in b) ? [{ path: at, message: `give either 'events' (a list) or 'event' (one), not ${'events' in b ? 'both' : 'neither'}` }] : []),
    ...(('topic' in b) === ('domain' in b) ? [{ path: at, message: `give either 'topic' or 'domain' (an event domain of the config; each event names its domain topic), not ${'topic' in b ? 'both' : 'neither'}` }] : [])
  ],
  normalize: (b) => ({
    kind: 'publish',
    topic: b.topic ?? b.domain,
    events: b.events ?? [b.event],
    ...(b.key !== undefined ? { key: b.key } : {}),
    ...(b.domain !== undefined ? { toDomain: true as const } : {}),
    ...(b.namespace !== undefined ? { namespace: b.namespace } : {})
  }),
  title: (step) => `publish ${step.events.length} event${step.events.length === 1 ? '' : 's'} to ${step.toDomain === true ? 'domain ' : ''}'${step.namespace !== undefined ? `${step.namespace}/` : ''}${step.topic}'`,
  run: async (step, ctx) => {
    const { target, scenario } = ctx
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
}

export function namespaceOps (target: Target): NamespaceOps {
  if (target.namespaces === undefined) throw scenarioStepFailed('this emulator target does not support namespace steps')
  return target.namespaces
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
