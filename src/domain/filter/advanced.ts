/**
 * One advanced filter compiled into a closure (reference §4.2–4.6).
 *
 * `evaluate` returns a small number instead of a boolean so that the hot path allocates nothing and
 * explain() can still tell *why* a filter failed without a second implementation of the rules.
 *
 * Rules applied, in order:
 * - key missing → §4.5 (only NumberNotIn/StringNotIn match);
 * - scalar of the operator's type → compared; of another type (null included) → ignored, which leaves
 *   no value to compare and so falls back to the missing-key rule ("5" is never coerced to 5, §4.6);
 * - array with `enableAdvancedFilteringOnArrays` false → no match; true → every element of the right type
 *   is compared (positive: any hit matches; negated: any hit fails), other scalars skipped, and an array with
 *   no usable element falls back to the missing-key rule; an array holding objects or arrays never matches.
 * Null checks only ask whether the key is present and non-null, whatever the value's type.
 */
import { parseKey, resolveKey, type KeyPath } from './keys.js'
import { operatorSpec, type Candidate, type HitTest, type OperatorName, type OperatorSpec } from './operators.js'
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
export type Outcome = (typeof Outcome)[keyof typeof Outcome]

export interface CompiledAdvancedFilter {
  /** position in `advancedFilters`, for explain() */
  index: number
  operatorType: OperatorName
  spec: OperatorSpec
  key: string
  path: KeyPath
  /** operands as written (original casing), for explain() */
  operands: readonly unknown[]
  /** index of the operand an event value (scalar or array element) hits; -1 on no hit or wrong type */
  hitIndex(value: unknown): number
  evaluate(event: Record<string, unknown>): Outcome
}

/** `filter` must be normalized (canonical names, single-value operators carry `value`). */
export function compileAdvancedFilter(filter: AdvancedFilter, index: number, arraysEnabled: boolean): CompiledAdvancedFilter {
  const operatorType = filter.operatorType as OperatorName
  const spec = operatorSpec(operatorType)
  const path = parseKey(filter.key)
  const operands = spec.payload === 'value' ? [filter.value] : spec.payload === 'none' ? [] : filter.values ?? []
  const base = { index, operatorType, spec, key: filter.key, path, operands }

  if (spec.kind === 'nullCheck') {
    const evaluate = spec.wantsNull
      ? (event: Record<string, unknown>): Outcome => {
          const value = resolveKey(event, path)
          return value === undefined || value === null ? Outcome.Matched : Outcome.NotNull
        }
      : (event: Record<string, unknown>): Outcome => {
          const value = resolveKey(event, path)
          return value === undefined ? Outcome.Missing : value === null ? Outcome.IsNull : Outcome.Matched
        }
    return { ...base, hitIndex: () => -1, evaluate }
  }

  const { type, negated } = spec
  const isString = type === 'string'
  const hitTest: HitTest = spec.prepare(isString ? operands.map(o => (o as string).toLowerCase()) : operands)
  const fold = (value: unknown): Candidate => isString ? (value as string).toLowerCase() : value as Candidate
  const hitIndex = (value: unknown): number => typeof value === type ? hitTest(fold(value)) : -1
  const ifMissing = negated && spec.matchesMissing ? Outcome.Matched : Outcome.Missing
  const ifWrongType = ifMissing === Outcome.Matched ? Outcome.Matched : Outcome.WrongType
  const ifNoUsableElement = ifMissing === Outcome.Matched ? Outcome.Matched : Outcome.NoUsableElement
  const verdict = (hit: boolean): Outcome => negated ? (hit ? Outcome.Hit : Outcome.Matched) : (hit ? Outcome.Matched : Outcome.NoHit)

  const evaluateArray = (elements: unknown[]): Outcome => {
    let usable = false
    let hit = false
    for (let i = 0; i < elements.length; i++) {
      const element = elements[i]
      if (typeof element === type) {
        usable = true
        if (!hit) hit = hitTest(fold(element)) >= 0
      } else if (typeof element === 'object' && element !== null) {
        // checked for every element, so [5, {…}] is rejected whatever the order
        return Outcome.ArrayOfObjects
      }
    }
    return usable ? verdict(hit) : ifNoUsableElement
  }

  const evaluate = (event: Record<string, unknown>): Outcome => {
    const value = resolveKey(event, path)
    if (value === undefined) return ifMissing
    if (typeof value === type) return verdict(hitTest(fold(value)) >= 0)
    if (!Array.isArray(value)) return ifWrongType
    return arraysEnabled ? evaluateArray(value) : Outcome.ArrayWhileArraysOff
  }

  return { ...base, hitIndex, evaluate }
}
