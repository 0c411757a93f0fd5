/**
 * What one scenario step kind is made of, in one module (steps/*.ts): the JSON Schema of its body, the rules the
 * schema cannot express, the loaded form, its title in reports, and how it runs. schema.ts lists the kinds;
 * loading, checking, reporting and running dispatch through that list, so adding a kind touches its handler,
 * the list, its test and docs/scenarios.md.
 */
import type { Problem } from '../domain/problems.js'
import type { ExpectContext, StepOutcome } from './expectations.js'
import type { HeldTokens } from './namespace-steps.js'
import type { Target } from './target.js'
import type { Scenario, StepBase } from './types.js'
import type { Captures } from './variables.js'

export type Path = Array<string | number>

/** What a running step can use: the target, events seen so far, held lock tokens, the scenario, variables. */
export interface StepRunContext extends ExpectContext {
  held: HeldTokens
  scenario: Scenario
  captures: Captures
}

export interface StepHandler<S extends { kind: string }> {
  /** JSON Schema of the value under the step's key (shape only). */
  schema: object
  /** Rules the schema cannot express, for a body whose shape is valid; `at` is the body's path. */
  check?: (body: any, at: Path) => Problem[]
  /** Variable names a valid body defines for later steps (`${vars.<name>}`). */
  defines?: (body: any) => string[]
  /** The loaded form of a valid body (shorthands expanded, durations in ms). */
  normalize: (body: any) => S
  /** The step's title in reports when it has no `name`. */
  title: (step: S, target: Target) => string
  run: (step: S & StepBase, ctx: StepRunContext) => Promise<StepOutcome>
}
