/**
 * Steps for namespace pull subscriptions: `receive` and `acknowledge` / `release` / `reject` of what an earlier
 * receive got (see namespace-steps.ts). Publishing to a namespace topic is the `publish` step with `namespace:`.
 */
import { runReceive, runSettle, titleOfNamespaceStep, type ReceiveStep, type SettleStep } from '../namespace-steps.js'
import type { StepHandler, StepRunContext } from '../step-handler.js'
import { namespaceOps } from './publish.js'
import { duration, matchProblems, name, toEventMatch, within } from './parts.js'

type Raw = Record<string, any>
type Keyed<S> = S & { key?: string }

const address = { namespace: name, topic: name, subscription: name } as const
const required = ['namespace', 'topic', 'subscription']

const nsAddress = (b: Raw): { namespace: string, topic: string, subscription: string, key?: string } =>
  ({ namespace: b.namespace, topic: b.topic, subscription: b.subscription, ...(b.key !== undefined ? { key: b.key } : {}) })
const keyOf = (step: Keyed<{ namespace: string }>, ctx: StepRunContext): string | undefined =>
  step.key ?? ctx.scenario.namespaces[step.namespace]?.keys?.[0]

export const receiveStep: StepHandler<Keyed<ReceiveStep>> = {
  schema: {
    type: 'object',
    additionalProperties: false,
    required,
    properties: {
      ...address,
      maxEvents: { type: 'integer', minimum: 1, maximum: 100 },
      count: { type: 'integer', minimum: 0, maximum: 1000 },
      within: duration,
      key: name,
      eventType: {},
      subject: {},
      eventId: {},
      data: { type: 'object' },
      event: { type: 'object' }
    }
  },
  check: matchProblems,
  normalize: (b) => ({ kind: 'receive', ...nsAddress(b), maxEvents: b.maxEvents ?? 1, ...(b.count !== undefined ? { count: b.count } : {}), withinMs: within(b), match: toEventMatch(b) }),
  title: titleOfNamespaceStep,
  run: async (step, ctx) => await runReceive(step, namespaceOps(ctx.target), ctx.held, keyOf(step, ctx), ctx.known)
}

function settleStep (kind: SettleStep['kind'], extra: object = {}): StepHandler<Keyed<SettleStep>> {
  return {
    schema: { type: 'object', additionalProperties: false, required, properties: { ...address, eventId: name, key: name, ...extra } },
    normalize: (b) => ({ kind, ...nsAddress(b), ...(b.eventId !== undefined ? { eventId: b.eventId } : {}), delaySeconds: b.delay ?? 0 }),
    title: titleOfNamespaceStep,
    run: async (step, ctx) => await runSettle(step, namespaceOps(ctx.target), ctx.held, keyOf(step, ctx))
  }
}

export const acknowledgeStep = settleStep('acknowledge')
export const rejectStep = settleStep('reject')
export const releaseStep = settleStep('release', { delay: { enum: [0, 10, 60, 600, 3600] } })
