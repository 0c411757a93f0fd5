/**
 * The JSON Schema validators, precompiled by scripts/generate-validators.ts (ajv standalone code), so starting
 * the emulator neither loads ajv nor compiles a schema. Each returns whether the value is valid and leaves ajv's
 * errors in `.errors` (see ajv-problems.ts for the messages made from them).
 */
import type { ErrorObject } from 'ajv'
import * as generated from './validators.generated.js'

export interface Validator {
  (data: unknown): boolean
  errors?: ErrorObject[] | null
}

/** The config file (config/schema.ts `configSchema`). */
export const validateConfigShape: Validator = generated.validateConfig
/** A subscription body, in the config and in `PUT /admin/.../subscriptions/{name}` (`subscriptionSchema`). */
export const validateSubscriptionShape: Validator = generated.validateSubscription
/** A scenario file (scenarios/schema.ts `scenarioSchema`). */
export const validateScenarioShape: Validator = generated.validateScenario
/** The body of `PUT /admin/acs/outcomes` (`acsOutcomeRulesBodySchema`). */
export const validateAcsOutcomeRulesBody: Validator = generated.validateAcsOutcomeRules
