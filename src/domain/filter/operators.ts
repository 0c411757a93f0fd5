/**
 * The 19 advanced-filter operators (reference §4.1–4.5) as one table.
 *
 * Every comparing operator is reduced to one question, "does this event value hit any filter value?",
 * answered by a HitTest built once at compile time. Positive operators match when some value hits;
 * negated operators (`…Not…`) share the positive operator's HitTest and match when nothing hits, which is
 * how "OR over values, AND for negated operators" (§4.4) falls out without special cases.
 */
import { caseInsensitiveIndex } from './names.js'

export type OperandType = 'number' | 'string' | 'boolean'

/** How the filter carries its operands: `value`, `values`, `values` of [low, high] pairs, or nothing. */
export type Payload = 'value' | 'values' | 'ranges' | 'none'

/** A type-checked event value; strings arrive lower-cased because all string comparisons ignore case (§4.2). */
export type Candidate = number | string | boolean

/** Index of the first filter operand the candidate hits, or -1. Returning the index lets explain() name it. */
export type HitTest = (candidate: Candidate) => number

/** Builds the HitTest from operands that validation already type-checked (strings lower-cased). */
type Prepare = (operands: readonly unknown[]) => HitTest

interface Comparison {
  kind: 'comparison'
  type: OperandType
  payload: Exclude<Payload, 'none'>
  prepare: Prepare
}

export interface PositiveOperator extends Comparison {
  negated: false
  /** explain(): "<value> <none> <operands>", e.g. "'hello' contains none of [help, stop]" */
  none: string
  /** explain() for arrays: "no element of [..] <any> <operands>" */
  any: string
}

export interface NegatedOperator extends Comparison {
  negated: true
  /** §4.5: whether a missing key (or one with no value of the right type) matches */
  matchesMissing: boolean
  /** explain(): "<value> <hit> <operand>", e.g. "'Contoso Ltd' contains excluded value 'contoso'" */
  hit: string
}

export interface NullCheckOperator {
  kind: 'nullCheck'
  payload: 'none'
  /** IsNullOrUndefined: true; IsNotNull: false */
  wantsNull: boolean
}

export type OperatorSpec = PositiveOperator | NegatedOperator | NullCheckOperator

const equalsAny: Prepare = operands => {
  const index = new Map<unknown, number>()
  operands.forEach((operand, i) => { if (!index.has(operand)) index.set(operand, i) })
  return candidate => index.get(candidate) ?? -1
}

const greaterThan: Prepare = ([v]) => k => (k as number) > (v as number) ? 0 : -1
const greaterThanOrEquals: Prepare = ([v]) => k => (k as number) >= (v as number) ? 0 : -1
const lessThan: Prepare = ([v]) => k => (k as number) < (v as number) ? 0 : -1
const lessThanOrEquals: Prepare = ([v]) => k => (k as number) <= (v as number) ? 0 : -1

/** Both ends inclusive (§4.2). Bounds are split into two flat arrays so the loop does no destructuring. */
const inAnyRange: Prepare = operands => {
  const lows = operands.map(pair => (pair as number[])[0]!)
  const highs = operands.map(pair => (pair as number[])[1]!)
  return candidate => {
    const k = candidate as number
    for (let i = 0; i < lows.length; i++) if (lows[i]! <= k && k <= highs[i]!) return i
    return -1
  }
}

function stringTest(test: (k: string, operand: string) => boolean): Prepare {
  return operands => {
    const strings = operands as string[]
    return candidate => {
      for (let i = 0; i < strings.length; i++) if (test(candidate as string, strings[i]!)) return i
      return -1
    }
  }
}

const containsAny = stringTest((k, s) => k.includes(s))
const beginsWithAny = stringTest((k, s) => k.startsWith(s))
const endsWithAny = stringTest((k, s) => k.endsWith(s))

function positive(type: OperandType, payload: Comparison['payload'], prepare: Prepare, none: string, any: string): PositiveOperator {
  return { kind: 'comparison', type, payload, prepare, negated: false, none, any }
}

function negated(type: OperandType, payload: Comparison['payload'], prepare: Prepare, hit: string, matchesMissing: boolean): NegatedOperator {
  return { kind: 'comparison', type, payload, prepare, negated: true, hit, matchesMissing }
}

export const OPERATORS = {
  NumberGreaterThan: positive('number', 'value', greaterThan, 'is not greater than', 'is greater than'),
  NumberGreaterThanOrEquals: positive('number', 'value', greaterThanOrEquals, 'is not greater than or equal to', 'is greater than or equal to'),
  NumberLessThan: positive('number', 'value', lessThan, 'is not less than', 'is less than'),
  NumberLessThanOrEquals: positive('number', 'value', lessThanOrEquals, 'is not less than or equal to', 'is less than or equal to'),
  NumberIn: positive('number', 'values', equalsAny, 'is not one of', 'is one of'),
  // §4.5: the two original NotIn operators match a missing key
  NumberNotIn: negated('number', 'values', equalsAny, 'equals excluded value', true),
  NumberInRange: positive('number', 'ranges', inAnyRange, 'is in none of the ranges', 'is in one of the ranges'),
  // Undocumented (§4.5 [?]); chosen like the other newer negated operators below, which do not match a missing key
  NumberNotInRange: negated('number', 'ranges', inAnyRange, 'is in excluded range', false),
  BoolEquals: positive('boolean', 'value', equalsAny, 'is not', 'is'),
  StringContains: positive('string', 'values', containsAny, 'contains none of', 'contains one of'),
  StringNotContains: negated('string', 'values', containsAny, 'contains excluded value', false),
  StringBeginsWith: positive('string', 'values', beginsWithAny, 'begins with none of', 'begins with one of'),
  StringNotBeginsWith: negated('string', 'values', beginsWithAny, 'begins with excluded value', false),
  StringEndsWith: positive('string', 'values', endsWithAny, 'ends with none of', 'ends with one of'),
  StringNotEndsWith: negated('string', 'values', endsWithAny, 'ends with excluded value', false),
  StringIn: positive('string', 'values', equalsAny, 'is not one of', 'is one of'),
  StringNotIn: negated('string', 'values', equalsAny, 'equals excluded value', true),
  IsNullOrUndefined: { kind: 'nullCheck', payload: 'none', wantsNull: true },
  IsNotNull: { kind: 'nullCheck', payload: 'none', wantsNull: false }
} satisfies Record<string, OperatorSpec>

export type OperatorName = keyof typeof OPERATORS

export const OPERATOR_NAMES = Object.keys(OPERATORS) as OperatorName[]

/** lower-cased → canonical: ARM reads enum values case-insensitively, so 'numberin' is NumberIn */
export const OPERATOR_INDEX = caseInsensitiveIndex(OPERATOR_NAMES)

export function operatorSpec(name: OperatorName): OperatorSpec {
  return OPERATORS[name]
}
