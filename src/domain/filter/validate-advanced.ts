/**
 * Checks one entry of `advancedFilters` (reference §4.1, §4.7) and counts its values toward the
 * per-subscription limit. Property names are matched case-insensitively, like ARM does.
 */
import { isPlainObject } from '../events.js'
import { didYouMean, type Problem } from '../problems.js'
import { describeInput, showJson } from './format.js'
import { ADVANCED_FILTER_PROPERTIES, ADVANCED_FILTER_PROPERTY_INDEX } from './names.js'
import { OPERATOR_INDEX, OPERATOR_NAMES, OPERATORS, type OperandType, type OperatorName } from './operators.js'

/** reference §4.7 */
export const MAX_STRING_VALUE_LENGTH = 512

type Path = ReadonlyArray<string | number>
type Property = (typeof ADVANCED_FILTER_PROPERTIES)[number]

const OPERATOR_LIST = OPERATOR_NAMES.join(', ')

const TYPE_WORDS: Record<OperandType, string> = { number: 'a number', string: 'a string', boolean: 'true or false' }
const PLURAL_WORDS: Record<OperandType, string> = { number: 'numbers', string: 'strings', boolean: 'booleans' }

/** Returns the number of values the filter holds (single-value operators count 1, null checks 0). */
export function validateAdvancedFilter (filter: unknown, path: Path, problems: Problem[]): number {
  if (!isPlainObject(filter)) {
    problems.push({ path, message: `advanced filter must be an object with operatorType, key and value or values, got ${describeInput(filter)}` })
    return 0
  }
  const props = new Map<Property, { name: string, value: unknown }>()
  for (const [name, value] of Object.entries(filter)) {
    if (value === undefined) continue // not set, as after a JSON round trip
    const canonical = ADVANCED_FILTER_PROPERTY_INDEX.get(name.toLowerCase())
    if (canonical === undefined) {
      problems.push({
        path: [...path, name],
        message: `unknown advanced filter property '${name}'.${didYouMean(name, ADVANCED_FILTER_PROPERTIES)} Allowed: ${ADVANCED_FILTER_PROPERTIES.join(', ')}`
      })
    } else if (props.has(canonical)) {
      problems.push({ path: [...path, name], message: `'${name}' repeats '${props.get(canonical)!.name}' (property names ignore case); keep one` })
    } else {
      props.set(canonical, { name, value })
    }
  }
  const ctx: Context = { path, props, problems }
  checkKey(ctx)
  const operatorType = checkOperatorType(ctx)
  if (operatorType === undefined) {
    const values = props.get('values')?.value
    return Array.isArray(values) ? values.length : props.has('value') ? 1 : 0
  }
  return checkOperands(ctx, operatorType)
}

interface Context {
  path: Path
  props: Map<Property, { name: string, value: unknown }>
  problems: Problem[]
}

/** Path of a property as the user spelled it. */
function at (ctx: Context, property: Property): Path {
  return [...ctx.path, ctx.props.get(property)?.name ?? property]
}

function checkKey (ctx: Context): void {
  const key = ctx.props.get('key')
  if (key === undefined) {
    ctx.problems.push({ path: ctx.path, message: "key is required: the event property to test, e.g. 'data.counter' or 'subject'" })
  } else if (typeof key.value !== 'string') {
    ctx.problems.push({ path: at(ctx, 'key'), message: `key must be a string such as 'data.counter', got ${describeInput(key.value)}` })
  } else if (key.value.split('.').includes('')) {
    ctx.problems.push({
      path: at(ctx, 'key'),
      message: key.value === ''
        ? "key must not be empty; write e.g. 'data.counter' or 'subject'"
        : `key '${key.value}' has an empty segment; separate property names with single dots, e.g. 'data.counter'`
    })
  }
}

function checkOperatorType (ctx: Context): OperatorName | undefined {
  const operator = ctx.props.get('operatorType')
  if (operator === undefined) {
    ctx.problems.push({ path: ctx.path, message: `operatorType is required; one of: ${OPERATOR_LIST}` })
    return undefined
  }
  if (typeof operator.value !== 'string') {
    ctx.problems.push({ path: at(ctx, 'operatorType'), message: `operatorType must be a string, got ${describeInput(operator.value)}; one of: ${OPERATOR_LIST}` })
    return undefined
  }
  const canonical = OPERATOR_INDEX.get(operator.value.toLowerCase())
  if (canonical === undefined) {
    ctx.problems.push({
      path: at(ctx, 'operatorType'),
      message: `unknown operatorType '${operator.value}'.${didYouMean(operator.value, OPERATOR_NAMES)} Allowed: ${OPERATOR_LIST}`
    })
  }
  return canonical
}

function checkOperands (ctx: Context, operatorType: OperatorName): number {
  const spec = OPERATORS[operatorType]
  const value = ctx.props.get('value')
  const values = ctx.props.get('values')
  if (spec.kind === 'nullCheck') {
    for (const given of [value, values]) {
      if (given !== undefined) ctx.problems.push({ path: [...ctx.path, given.name], message: `${operatorType} takes no value; remove '${given.name}'` })
    }
    return 0
  }
  const { type } = spec
  if (spec.payload === 'value') {
    if (value !== undefined && values !== undefined) {
      ctx.problems.push({ path: ctx.path, message: `give either 'value' or 'values' to ${operatorType}, not both` })
    } else if (value !== undefined) {
      checkScalar(ctx, value.value, at(ctx, 'value'), operatorType, type)
    } else if (values !== undefined) {
      // tolerated: Azure has accepted `values: [x]` for single-value operators (reference §4.1)
      if (Array.isArray(values.value) && values.value.length === 1) {
        checkScalar(ctx, values.value[0], [...at(ctx, 'values'), 0], operatorType, type)
      } else {
        const given = Array.isArray(values.value) ? `${values.value.length} values` : describeInput(values.value)
        ctx.problems.push({ path: at(ctx, 'values'), message: `${operatorType} compares with one value: write 'value: …' (${TYPE_WORDS[type]}), got ${given}` })
      }
    } else {
      ctx.problems.push({ path: ctx.path, message: `${operatorType} needs 'value' (${TYPE_WORDS[type]})` })
    }
    return 1
  }

  const wanted = spec.payload === 'ranges' ? '[low, high] pairs of numbers' : PLURAL_WORDS[type]
  if (value !== undefined) {
    ctx.problems.push({
      path: at(ctx, 'value'),
      message: `${operatorType} takes 'values' (an array of ${wanted}), not 'value'; write values: [${showJson(value.value)}]`
    })
  }
  if (values === undefined) {
    if (value === undefined) ctx.problems.push({ path: ctx.path, message: `${operatorType} needs 'values' (an array of ${wanted})` })
    return value === undefined ? 0 : 1
  }
  if (!Array.isArray(values.value) || values.value.length === 0) {
    ctx.problems.push({ path: at(ctx, 'values'), message: `${operatorType} needs 'values' to be a non-empty array of ${wanted}, got ${describeInput(values.value)}` })
    return 0
  }
  values.value.forEach((operand, i) => {
    const path = [...at(ctx, 'values'), i]
    if (spec.payload === 'ranges') checkRange(ctx, operand, path, operatorType)
    else checkScalar(ctx, operand, path, operatorType, type)
  })
  return values.value.length
}

function checkScalar (ctx: Context, operand: unknown, path: Path, operatorType: OperatorName, type: OperandType): void {
  if (typeof operand === type && (type !== 'number' || Number.isFinite(operand))) {
    if (type === 'string' && (operand as string).length > MAX_STRING_VALUE_LENGTH) {
      ctx.problems.push({ path, message: `string value is ${(operand as string).length} characters long; at most ${MAX_STRING_VALUE_LENGTH} are allowed` })
    }
    return
  }
  ctx.problems.push({ path, message: `${operatorType} needs ${TYPE_WORDS[type]}, got ${describeInput(operand)}${typeHint(operand, type)}` })
}

/** The usual YAML slip is quoting (or not quoting) a scalar; say how to write it instead. */
function typeHint (operand: unknown, type: OperandType): string {
  if (type === 'string' && (typeof operand === 'number' || typeof operand === 'boolean')) return `; quote it: '${String(operand)}'`
  if (typeof operand !== 'string') return ''
  if (type === 'number' && operand.trim() !== '' && Number.isFinite(Number(operand))) return `; write it without quotes: ${operand}`
  if (type === 'boolean' && (operand === 'true' || operand === 'false')) return `; write it without quotes: ${operand}`
  return ''
}

function checkRange (ctx: Context, operand: unknown, path: Path, operatorType: OperatorName): void {
  if (!Array.isArray(operand) || operand.length !== 2 || !operand.every(Number.isFinite)) {
    ctx.problems.push({ path, message: `${operatorType} needs [low, high] pairs of numbers, got ${showJson(operand)}` })
    return
  }
  const [low, high] = operand as [number, number]
  if (low > high) {
    ctx.problems.push({ path, message: `range [${low}, ${high}] is empty: low ${low} is greater than high ${high}; write [${high}, ${low}]` })
  }
}
