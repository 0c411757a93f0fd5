import { didYouMean, formatPath } from '../problems.js'
import type { Problem } from '../problems.js'
import { EmulatorError } from '../emulator-error.js'
import { renderValue } from '../render-value.js'

/**
 * Bad input to the ACS generator: unknown event type or sequence, unknown or mistyped override field,
 * malformed simulate body. Carries every problem found, each with its JSON path, the value received and
 * what is allowed, so the HTTP layer can return them all at once.
 */
export class AcsInputError extends EmulatorError {
  readonly problems: Problem[]

  constructor (problems: Problem[]) {
    // One line per problem, each led by its JSON path: what the HTTP answer (400 InvalidSimulation) shows.
    super('BadRequest', 400, 'InvalidSimulation', problems.map((p) => `${formatPath(p.path) || '(body)'}: ${p.message}`).join('\n'))
    this.name = 'AcsInputError'
    this.problems = problems
  }
}

/** Prefixes every problem's path (e.g. with the index of the simulate body item it came from). */
export function prefixProblems (prefix: ReadonlyArray<string | number>, problems: readonly Problem[]): Problem[] {
  return problems.map((p) => ({ path: [...prefix, ...p.path], message: p.message }))
}

/** A short, single-line rendering of a received value for error messages. */
export function showValue (value: unknown): string {
  return renderValue(value, { absent: 'undefined', max: 60, keep: 57, withKind: true })
}

/**
 * " Did you mean 'x'?" for a typo (shared edit-distance rule) or for an unambiguous prefix, since
 * names here are long (`sms-convo` → `sms-conversation`); "" when nothing is close.
 */
export function suggestName (input: string, candidates: readonly string[]): string {
  const typo = didYouMean(input, candidates)
  if (typo !== '') return typo
  const lower = input.trim().toLowerCase()
  const prefixed = [...new Set(candidates.filter((c) => c.toLowerCase().startsWith(lower)))]
  return lower.length >= 3 && prefixed.length === 1 ? ` Did you mean '${prefixed[0]}'?` : ''
}
