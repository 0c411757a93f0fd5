/**
 * JSON Schema of a scenario file: structure only. Matchers, durations, ACS names and `${…}` references are
 * checked by check-scenario.ts, whose messages can suggest the intended spelling.
 * Topics reuse the config's topic schema, so a scenario declares them exactly as config.yaml does.
 */
import { topicSchema } from '../config/schema.js'
import { CHANNELS, outcomeRuleSchema } from '../domain/acs-messaging/index.js'
import { namespacesSchema } from '../config/namespace-schema.js'
import { NAMESPACE_STEP_KINDS } from './namespace-schema.js'

const name = { type: 'string', minLength: 1 } as const
/** `500ms`, `2s`, `1m`, `1h`, or a number of milliseconds; parsed by duration.ts. */
const duration = { type: ['string', 'number'] } as const
/** A value (exact), `{ regex }` or `{ exists }`; see matchers.ts. */
const matcher = {} as const
const matcherMap = { type: 'object', additionalProperties: matcher } as const
const statuses = { type: 'array', items: { type: 'integer', minimum: 100, maximum: 599 } } as const

/** What an expectation looks at in an event, shared by every `expect*` step. */
const eventMatch = {
  eventType: matcher,
  subject: matcher,
  eventId: matcher,
  data: matcherMap,
  event: matcherMap
} as const

/** Where deliveries are observed: one of subscription (optionally with its topic), sink or url. */
const destination = { subscription: name, topic: name, sink: name, url: name } as const

const emitBody = {
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
} as const

export const STEP_KINDS = {
  // A string is shorthand for { type: … } or { sequence: … }.
  emit: { type: ['string', 'object'], ...emitBody },
  publish: {
    type: 'object',
    additionalProperties: false,
    // `topic` or `domain` (an event domain from the config; each event names its domain topic), checked by check-scenario.ts;
    // with `namespace`, `topic` is a topic of that namespace.
    properties: { topic: name, domain: name, events: { type: 'array', minItems: 1, items: { type: 'object' } }, event: { type: 'object' }, key: name, namespace: name }
  },
  expect: {
    type: 'object',
    additionalProperties: false,
    properties: { ...destination, ...eventMatch, status: matcher, within: duration, count: { type: 'integer', minimum: 1 } }
  },
  expectNoDelivery: {
    type: 'object',
    additionalProperties: false,
    properties: { ...destination, ...eventMatch, for: duration }
  },
  expectDeadLetter: {
    type: 'object',
    additionalProperties: false,
    properties: { subscription: name, topic: name, ...eventMatch, reason: matcher, within: duration }
  },
  expectAttempts: {
    type: 'object',
    additionalProperties: false,
    required: ['subscription', 'count'],
    properties: { subscription: name, topic: name, ...eventMatch, count: { type: 'integer', minimum: 0 }, within: duration }
  },
  /** The app under test sent a message through the ACS data plane (GET /admin/acs/{topic}/outbox). */
  expectSent: {
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
  wait: duration,
  set: { type: 'object', minProperties: 1, propertyNames: { pattern: '^[A-Za-z_][A-Za-z0-9_]*$' } },
  sink: {
    type: 'object',
    additionalProperties: false,
    required: ['name', 'statuses'],
    properties: { name, statuses }
  },
  ...NAMESPACE_STEP_KINDS
} as const

export type StepKind = keyof typeof STEP_KINDS

export const scenarioSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['name', 'steps'],
  properties: {
    name,
    description: { type: 'string' },
    topics: {
      type: 'object',
      propertyNames: { pattern: '^[A-Za-z0-9-]{3,50}$' },
      additionalProperties: topicSchema
    },
    sinks: { type: 'object', additionalProperties: statuses },
    /** Outcome rules for messages the app sends during this scenario, tried before the config's acs.outcomes. */
    acsOutcomes: { type: 'array', items: outcomeRuleSchema },
    namespaces: namespacesSchema,
    steps: {
      type: 'array',
      minItems: 1,
      items: {
        type: 'object',
        additionalProperties: false,
        properties: {
          id: { type: 'string', pattern: '^[A-Za-z_][A-Za-z0-9_-]*$' },
          name,
          ...STEP_KINDS
        }
      }
    }
  }
} as const
