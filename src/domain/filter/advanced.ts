/**
 * One advanced filter compiled into a Check (reference §4.2–4.6).
 *
 * A Check is plain data with the same shape for every operator, evaluated by the single function
 * evaluateCheck: routing one event through 1,000 subscriptions then touches one small object per filter and
 * one shared, well-optimised function, instead of a chain of per-filter closures. It returns a small number
 * rather than a boolean so that explain() can tell *why* a filter failed without a second copy of the rules.
 *
 * Rules applied, in order:
 * - key missing → §4.5 (only NumberNotIn/StringNotIn match);
 * - scalar of the operator's type → compared; of another type (null included) → ignored, which leaves
 *   no value to compare and so falls back to the missing-key rule ("5" is never coerced to 5, §4.6);
 * - array with `enableAdvancedFilteringOnArrays` false → no match; true → every element of the operator's type
 *   is compared (positive: any hit matches; negated: any hit fails) and every other element (scalars, objects,
 *   arrays) is skipped, so `["a", 2, {"b":1}]` matches StringIn ["a"] and NumberIn [2]; an array with no usable
 *   element falls back to the missing-key rule, except that one holding objects or arrays then never matches.
 * Null checks only ask whether the key is present and non-null, whatever the value's type.
 */
import { parseKey, resolveKey, type KeyPath } from './keys.js'
import { operatorSpec, type Candidate, type OperatorName, type OperatorSpec } from './operators.js'
import type { AdvancedFilter } from './types.js'

export const Outcome = {
  Matched: 0,
  Missing: 1,
  /** a scalar (or null) of another type than the operator compares */
  WrongType: 2,
  ArrayWhileArraysOff: 3,
  ArrayOfObjects: 4,
  /** an array without a single element of the operator's type (or an empty one) */
  NoUsableElement: 5,
  /** positive operator: no value hit */
  NoHit: 6,
  /** negated operator: some value hit */
  Hit: 7,
  /** IsNullOrUndefined on a present, non-null value */
  NotNull: 8,
  /** IsNotNull on JSON null */
  IsNull: 9
} as const
// eslint-disable-next-line @typescript-eslint/no-redeclare -- a const and its type share the name on purpose
export type Outcome = (typeof Outcome)[keyof typeof Outcome]

export interface Check extends KeyPath {
  /** position in `advancedFilters`, for explain() */
  index: number
  operatorType: OperatorName
  spec: OperatorSpec
  key: string
  /** operands as written, for explain() */
  operands: readonly unknown[]
  /** typeof of the values the operator compares; '' for null checks, which compare nothing */
  type: string
  prepared: unknown
  test: (prepared: unknown, candidate: Candidate) => boolean
  arrays: boolean
  nullCheck: boolean
  // The outcome of each situation, decided at compile time from the operator's polarity and §4.5 rule
  ifHit: Outcome
  ifNoHit: Outcome
  ifMissing: Outcome
  ifWrongType: Outcome
  ifNoUsableElement: Outcome
  ifNull: Outcome
  ifPresent: Outcome
}

const never = (): boolean => false

/** `filter` must be normalized (canonical names, single-value operators carry `value`). */
export function compileCheck (filter: AdvancedFilter, index: number, arraysEnabled: boolean): Check {
  const operatorType = filter.operatorType as OperatorName
  const spec = operatorSpec(operatorType)
  const operands = spec.payload === 'value' ? [filter.value] : spec.payload === 'none' ? [] : filter.values ?? []
  const common = { ...parseKey(filter.key), index, operatorType, spec, key: filter.key, operands, arrays: arraysEnabled }

  if (spec.kind === 'nullCheck') {
    const { wantsNull } = spec
    return {
      ...common,
      type: '',
      prepared: undefined,
      test: never,
      nullCheck: true,
      // a null check never compares, so only the last three are ever returned
      ifHit: Outcome.Matched,
      ifNoHit: Outcome.Matched,
      ifMissing: wantsNull ? Outcome.Matched : Outcome.Missing,
      ifWrongType: Outcome.Matched,
      ifNoUsableElement: Outcome.Matched,
      ifNull: wantsNull ? Outcome.Matched : Outcome.IsNull,
      ifPresent: wantsNull ? Outcome.NotNull : Outcome.Matched
    }
  }

  const missingMatches = spec.negated && spec.matchesMissing
  return {
    ...common,
    type: spec.type,
    prepared: spec.prepare(operands),
    test: spec.test,
    nullCheck: false,
    ifHit: spec.negated ? Outcome.Hit : Outcome.Matched,
    ifNoHit: spec.negated ? Outcome.Matched : Outcome.NoHit,
    ifMissing: missingMatches ? Outcome.Matched : Outcome.Missing,
    ifWrongType: missingMatches ? Outcome.Matched : Outcome.WrongType,
    ifNoUsableElement: missingMatches ? Outcome.Matched : Outcome.NoUsableElement,
    ifNull: missingMatches ? Outcome.Matched : Outcome.WrongType,
    ifPresent: Outcome.WrongType
  }
}

export function evaluateCheck (check: Check, event: Record<string, unknown>): Outcome {
  const value = resolveKey(event, check)
  if (typeof value === check.type) return check.test(check.prepared, value as Candidate) ? check.ifHit : check.ifNoHit
  if (value === undefined) return check.ifMissing
  if (check.nullCheck) return value === null ? check.ifNull : check.ifPresent
  if (!Array.isArray(value)) return check.ifWrongType
  return check.arrays ? evaluateArray(check, value) : Outcome.ArrayWhileArraysOff
}

function evaluateArray (check: Check, elements: unknown[]): Outcome {
  let usable = false
  let hit = false
  let objects = false
  for (let i = 0; i < elements.length; i++) {
    const element = elements[i]
    if (typeof element === check.type) {
      usable = true
      if (!hit) hit = check.test(check.prepared, element as Candidate)
    } else if (typeof element === 'object' && element !== null) {
      objects = true
    }
  }
  if (!usable) return objects ? Outcome.ArrayOfObjects : check.ifNoUsableElement
  return hit ? check.ifHit : check.ifNoHit
}
