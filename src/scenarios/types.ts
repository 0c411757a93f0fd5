/**
 * A loaded scenario: validated, `${ENV}` expanded, shorthands normalized, durations in milliseconds.
 * Values that may hold `${steps.…}`/`${vars.…}` references stay raw until the step runs (variables.ts).
 */
import type { OutcomeRule } from '../domain/acs-messaging/index.js'
import type { SubscriptionBody, TopicConfig } from '../index.js'
import type { NamespaceConfig } from '../config/namespace-types.js'
import type { StepHandler } from './step-handler.js'
import type { STEPS } from './schema.js'

export interface Location { file: string, line: number, col: number }

/** A scenario topic: config-shaped; its subscriptions are created by the runner, each with its position. */
export interface ScenarioTopic {
  settings: Omit<TopicConfig, 'subscriptions'>
  at: Location
  subscriptions: Array<{ name: string, body: SubscriptionBody, at: Location }>
}

export interface Scenario {
  file: string
  name: string
  topics: Record<string, ScenarioTopic>
  sinks: Record<string, number[]>
  /** Outcome rules applied while this scenario runs (before the config's `acs.outcomes`). */
  acsOutcomes: OutcomeRule[]
  /** Namespaces the scenario needs (config-shaped); merged into an in-process emulator, checked on a remote one. */
  namespaces: Record<string, NamespaceConfig>
  steps: Step[]
}

/** Where deliveries are observed. */
export type Destination =
  | { subscription: string, topic?: string }
  | { sink: string }
  | { url: string }

/** Raw matcher values (see matchers.ts) keyed by what they look at. */
export interface EventMatch {
  eventType?: unknown
  subject?: unknown
  eventId?: unknown
  /** Dotted paths inside `data`. */
  data?: Record<string, unknown>
  /** Dotted paths from the event's root. */
  event?: Record<string, unknown>
}

export interface StepBase {
  /** 1-based position in `steps`. */
  index: number
  id?: string
  name?: string
  at: Location
}

/** A loaded step body: the union of what each step kind's handler (schema.ts `STEPS`) loads. */
export type StepBody = { [K in keyof typeof STEPS]: (typeof STEPS)[K] extends StepHandler<infer S> ? S : never }[keyof typeof STEPS]

export type Step = StepBase & StepBody

export const DEFAULT_WITHIN_MS = 5000
export const DEFAULT_QUIET_MS = 1000
