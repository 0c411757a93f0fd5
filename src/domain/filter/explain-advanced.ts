/**
 * explain() text for an advanced filter that did not match, e.g.
 * `advancedFilters[2] StringContains data.message: 'hello' contains none of [help, stop]`.
 * Runs only on the explain path, so it may re-resolve the key and search for the hit operand again.
 */
import { evaluateCheck, Outcome, type Check } from './advanced.js'
import { jsonType, showJson, showList, showValue } from './format.js'
import { resolveKey } from './keys.js'
import type { Candidate, NegatedOperator, PositiveOperator } from './operators.js'

export function explainCheck (check: Check, event: Record<string, unknown>): string {
  return `advancedFilters[${check.index}] ${check.operatorType} ${check.key}: ${detail(check, event)}`
}

function detail (check: Check, event: Record<string, unknown>): string {
  const { spec, operatorType } = check
  const value = resolveKey(event, check)
  if (spec.kind === 'nullCheck') {
    if (value === undefined) return 'key is missing'
    return value === null ? 'value is null' : `value ${showValue(value)} is not null`
  }
  const needs = `${operatorType} needs a ${spec.type}`
  // NumberNotIn/StringNotIn match a missing key but the other negated operators don't: say so where it matters
  const missingNote = spec.negated ? ` (${operatorType} does not match a missing key)` : ''

  switch (evaluateCheck(check, event)) {
    case Outcome.Missing:
      return `key is missing${missingNote}`
    case Outcome.WrongType:
      return value === null ? `value is null, ${needs}` : `value ${showJson(value)} has type ${jsonType(value)}, ${needs}`
    case Outcome.ArrayWhileArraysOff:
      return 'value is an array and enableAdvancedFilteringOnArrays is false'
    case Outcome.ArrayOfObjects:
      return `value ${showJson(value)} is an array holding objects or arrays, which advanced filters cannot match`
    case Outcome.NoUsableElement:
      return (value as unknown[]).length === 0
        ? `value is an empty array${missingNote}`
        : `array ${showJson(value)} has no ${spec.type} element${missingNote}`
    case Outcome.NoHit:
    case Outcome.Hit:
      return spec.negated ? describeHit(check, spec, value) : describeNoHit(check, spec, value)
    default:
      return 'matched'
  }
}

function describeNoHit (check: Check, spec: PositiveOperator, value: unknown): string {
  const operands = spec.payload === 'value' ? showValue(check.operands[0]) : showList(check.operands)
  if (Array.isArray(value)) return `no element of ${showJson(value)} ${spec.any} ${operands}`
  return `${showValue(value)} ${spec.none} ${operands}`
}

function describeHit (check: Check, spec: NegatedOperator, value: unknown): string {
  // one operand at a time, through the operator's own prepare/test, so the named operand is the one that hit
  const hitIndex = (candidate: unknown): number => typeof candidate !== spec.type
    ? -1
    : check.operands.findIndex(operand => spec.test(spec.prepare([operand]), candidate as Candidate))
  const element = Array.isArray(value) ? value.find(e => hitIndex(e) >= 0) : value
  const operand = check.operands[hitIndex(element)]
  const operandText = Array.isArray(operand) ? showList(operand) : showValue(operand)
  const subject = Array.isArray(value) ? `element ${showValue(element)} of ${showJson(value)}` : showValue(value)
  return `${subject} ${spec.hit} ${operandText}`
}
