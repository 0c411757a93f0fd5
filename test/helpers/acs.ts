/** Shared fixtures for the ACS generator tests: a deterministic context and a way to read AcsInputError problems. */
import { AcsInputError, type GenerateContext } from '../../src/domain/acs/index.js'
import type { Problem } from '../../src/domain/problems.js'

export const TEST_ACS_TOPIC = '/subscriptions/3f2b1c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d/resourcegroups/rg/providers/microsoft.communication/communicationservices/acs'
export const TEST_NOW = '2026-03-01T12:00:00.000Z'

/** Fixed time and numbered GUIDs, so generated events are reproducible. */
export function testContext (): GenerateContext {
  let n = 0
  return { topic: TEST_ACS_TOPIC, now: () => new Date(TEST_NOW), newGuid: () => `00000000-0000-4000-8000-${(++n).toString(16).padStart(12, '0')}` }
}

/** The problems of the AcsInputError `fn` throws (fails the test if it throws nothing or something else). */
export function problemsOf (fn: () => unknown): Problem[] {
  try {
    fn()
  } catch (err) {
    if (err instanceof AcsInputError) return err.problems
    throw err
  }
  throw new Error('expected an AcsInputError')
}
