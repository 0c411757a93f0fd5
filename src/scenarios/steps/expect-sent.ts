/** `expectSent`: the app under test sent a message through the ACS data plane (GET /admin/acs/{topic}/outbox). */
import { CHANNELS } from '../../domain/acs-messaging/index.js'
import { matcherProblem } from '../matchers.js'
import { formatDuration } from '../duration.js'
import { expectSent } from '../expect-sent.js'
import type { StepHandler } from '../step-handler.js'
import { firstSystemTopic } from './emit.js'
import { duration, matcher, matchProblems, name, within } from './parts.js'

export interface ExpectSentStep { kind: 'expectSent', topic?: string, channel?: string, match: Record<string, unknown>, withinMs: number, count?: number }

/** The outbox fields an expectSent step matches (besides status, checked with the other expect steps). */
const SENT_FIELDS = ['messageId', 'from', 'to', 'message', 'subject', 'tag', 'kind', 'state'] as const

export const expectSentStep: StepHandler<ExpectSentStep> = {
  schema: {
    type: 'object',
    additionalProperties: false,
    properties: {
      topic: name,
      channel: { enum: CHANNELS },
      messageId: matcher,
      from: matcher,
      to: matcher,
      message: matcher,
      subject: matcher,
      tag: matcher,
      kind: matcher,
      status: matcher,
      state: matcher,
      within: duration,
      count: { type: 'integer', minimum: 1 }
    }
  },
  check: (b, at) => [
    ...matchProblems(b, at),
    ...SENT_FIELDS.flatMap((key) => {
      const message = key in b ? matcherProblem(b[key]) : undefined
      return message === undefined ? [] : [{ path: [...at, key], message }]
    })
  ],
  normalize: (b) => {
    const match: Record<string, unknown> = {}
    for (const key of [...SENT_FIELDS, 'status']) if (key in b) match[key] = b[key]
    return { kind: 'expectSent', ...(b.topic !== undefined ? { topic: b.topic } : {}), ...(b.channel !== undefined ? { channel: b.channel } : {}), match, withinMs: within(b), ...(b.count !== undefined ? { count: b.count } : {}) }
  },
  title: (step) => `expect ${step.count !== undefined ? `${step.count} message${step.count === 1 ? '' : 's'}` : 'a message'}${step.channel !== undefined ? ` (${step.channel})` : ''} sent by the app${typeof step.match.to === 'string' ? ` to ${step.match.to}` : ''} within ${formatDuration(step.withinMs)}`,
  run: async (step, ctx) => await expectSent(step, ctx, step.topic ?? await firstSystemTopic(ctx.target))
}
