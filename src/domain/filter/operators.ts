/**
 * The 19 advanced-filter operators (reference §4.1–4.5) as one table.
 *
 * Every comparing operator is reduced to one question, "does this event value hit any filter value?"
 * (string operators ignore case, §4.2). Positive operators match when some value hits;
 * negated operators (`…Not…`) share the positive operator's comparator and match when nothing hits, which is
 * how "OR over values, AND for negated operators" (§4.4) falls out without special cases.
 */
import { caseInsensitiveIndex } from './names.js'
import { literalPattern, type Anchor } from './patterns.js'

export type OperandType = 'number' | 'string' | 'boolean'

/** How the filter carries its operands: `value`, `values`, `values` of [low, high] pairs, or nothing. */
type Payload = 'value' | 'values' | 'ranges' | 'none'

/** An event value already checked to be of the operator's type. */
export type Candidate = number | string | boolean

/**
 * An operator's two halves: `prepare` turns the operands into whatever makes the test cheap (a Set, a RegExp,
 * a bound) once at compile time; `test` answers "does this candidate hit any operand?" per event.
 * Plain functions shared by every filter, rather than a closure per filter, keep the per-event working set small.
 */
interface Comparator {
  prepare(operands: readonly unknown[]): unknown
  test(prepared: unknown, candidate: Candidate): boolean
}

interface Comparison extends Comparator {
  kind: 'comparison'
  type: OperandType
  payload: Exclude<Payload, 'none'>
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

interface NullCheckOperator {
  kind: 'nullCheck'
  payload: 'none'
  /** IsNullOrUndefined: true; IsNotNull: false */
  wantsNull: boolean
}

export type OperatorSpec = PositiveOperator | NegatedOperator | NullCheckOperator

const firstOperand = (operands: readonly unknown[]): unknown => operands[0]

const equalsAny: Comparator = {
  prepare: operands => new Set(operands),
  test: (set, k) => (set as Set<unknown>).has(k)
}
const greaterThan: Comparator = { prepare: firstOperand, test: (v, k) => (k as number) > (v as number) }
const greaterThanOrEquals: Comparator = { prepare: firstOperand, test: (v, k) => (k as number) >= (v as number) }
const lessThan: Comparator = { prepare: firstOperand, test: (v, k) => (k as number) < (v as number) }
const lessThanOrEquals: Comparator = { prepare: firstOperand, test: (v, k) => (k as number) <= (v as number) }

/** Both ends inclusive (§4.2); bounds flattened to [low0, high0, low1, high1, …] so the loop reads one array. */
const inAnyRange: Comparator = {
  prepare: operands => Float64Array.from(operands.flatMap(pair => pair as number[])),
  test: (prepared, candidate) => {
    const bounds = prepared as Float64Array
    const k = candidate as number
    for (let i = 0; i < bounds.length; i += 2) if (bounds[i]! <= k && k <= bounds[i + 1]!) return true
    return false
  }
}

/** String operators: one case-insensitive RegExp over all operands, so OR over the values is the alternation. */
function stringPattern (anchor: Anchor): Comparator {
  return {
    prepare: operands => literalPattern(operands as string[], anchor, true),
    test: (pattern, k) => (pattern as RegExp).test(k as string)
  }
}

const containsAny = stringPattern('contains')
const beginsWithAny = stringPattern('beginsWith')
const endsWithAny = stringPattern('endsWith')
const equalsAnyString = stringPattern('equals')

function positive (type: OperandType, payload: Comparison['payload'], comparator: Comparator, none: string, any: string): PositiveOperator {
  return { kind: 'comparison', type, payload, prepare: comparator.prepare, test: comparator.test, negated: false, none, any }
}

function negated (type: OperandType, payload: Comparison['payload'], comparator: Comparator, hit: string, matchesMissing: boolean): NegatedOperator {
  return { kind: 'comparison', type, payload, prepare: comparator.prepare, test: comparator.test, negated: true, hit, matchesMissing }
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
  StringIn: positive('string', 'values', equalsAnyString, 'is not one of', 'is one of'),
  StringNotIn: negated('string', 'values', equalsAnyString, 'equals excluded value', true),
  IsNullOrUndefined: { kind: 'nullCheck', payload: 'none', wantsNull: true },
  IsNotNull: { kind: 'nullCheck', payload: 'none', wantsNull: false }
} satisfies Record<string, OperatorSpec>

export type OperatorName = keyof typeof OPERATORS

export const OPERATOR_NAMES = Object.keys(OPERATORS) as OperatorName[]

/** lower-cased → canonical: ARM reads enum values case-insensitively, so 'numberin' is NumberIn */
export const OPERATOR_INDEX = caseInsensitiveIndex(OPERATOR_NAMES)

export function operatorSpec (name: OperatorName): OperatorSpec {
  return OPERATORS[name]
}
