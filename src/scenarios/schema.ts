/**
 * JSON Schema of a scenario file: structure only. Matchers, durations, ACS names and `${…}` references are
 * checked by check-scenario.ts and the step handlers, whose messages can suggest the intended spelling.
 * Topics reuse the config's topic schema, so a scenario declares them exactly as config.yaml does.
 */
import { topicSchema } from '../config/schema.js'
import { outcomeRuleSchema } from '../domain/acs-messaging/index.js'
import { namespacesSchema } from '../config/namespace-schema.js'
import { expectAttemptsStep, expectDeadLetterStep, expectNoDeliveryStep, expectStep } from './steps/expect.js'
import { emitStep } from './steps/emit.js'
import { expectSentStep } from './steps/expect-sent.js'
import { publishStep } from './steps/publish.js'
import { setStep, sinkStep, waitStep } from './steps/control.js'
import { acknowledgeStep, receiveStep, rejectStep, releaseStep } from './steps/namespace.js'
import type { StepHandler } from './step-handler.js'
import type { StepBody } from './types.js'

const name = { type: 'string', minLength: 1 } as const
const statuses = { type: 'array', items: { type: 'integer', minimum: 100, maximum: 599 } } as const

/**
 * The step kinds, in the order messages list them. Each handler (steps/*.ts) holds its body's schema, rules,
 * loaded form, title and run; to add a kind, write its handler and list it here (then its test and
 * docs/scenarios.md, and regenerate the validators).
 */
export const STEPS = {
  emit: emitStep,
  publish: publishStep,
  expect: expectStep,
  expectNoDelivery: expectNoDeliveryStep,
  expectDeadLetter: expectDeadLetterStep,
  expectAttempts: expectAttemptsStep,
  expectSent: expectSentStep,
  wait: waitStep,
  set: setStep,
  sink: sinkStep,
  receive: receiveStep,
  acknowledge: acknowledgeStep,
  reject: rejectStep,
  release: releaseStep
} as const

export type StepKind = keyof typeof STEPS

/** The handler of a kind, for code that dispatches on a step's kind (TypeScript cannot pair the two itself). */
export function stepHandler (kind: StepKind): StepHandler<StepBody> {
  return STEPS[kind] as unknown as StepHandler<StepBody>
}

/** Each kind's body schema, under its key. */
export const STEP_KINDS = Object.fromEntries(Object.entries(STEPS).map(([kind, h]) => [kind, h.schema])) as { [K in StepKind]: object }

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
