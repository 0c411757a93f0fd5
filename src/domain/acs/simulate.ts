/**
 * The body of `POST /topics/{topic}/simulate`: one item or an array of items, each
 *   { eventType, data?, subject?, id?, eventTime? }   one event (type name or alias)
 *   { sequence, data? }                                 a scenario from listAcsSequences()
 * Every item is checked and generated independently; all problems of all items are reported together,
 * each with its path inside the body (`[2, 'data', 'mesage']`).
 */
import type { EventGridEvent } from '../events.js'
import { isPlainObject } from '../events.js'
import { didYouMean } from '../problems.js'
import type { Problem } from '../problems.js'
import { AcsInputError, prefixProblems, showValue } from './errors.js'
import { ACS_PROFILES, generateAcsEvent } from './generate.js'
import type { AcsProfile, GenerateContext, GenerateOptions } from './generate.js'
import { generateAcsSequence } from './sequences.js'

const EVENT_KEYS = ['eventType', 'data', 'subject', 'id', 'eventTime']
const SEQUENCE_KEYS = ['sequence', 'data']
const EXAMPLE = '{ "eventType": "sms-received", "data": { "message": "hi" } } or { "sequence": "sms-conversation" }'

function shapeProblems (item: Record<string, unknown>, at: Array<string | number>): Problem[] {
  const problems: Problem[] = []
  const isSequence = 'sequence' in item
  if (isSequence && 'eventType' in item) {
    return [{ path: at, message: 'Give either \'eventType\' or \'sequence\', not both.' }]
  }
  if (!isSequence && !('eventType' in item)) {
    const typo = Object.keys(item).find((k) => didYouMean(k, ['eventType', 'sequence']) !== '')
    const missing = 'Missing \'eventType\' (an ACS event type or alias such as \'sms-received\') or \'sequence\'.'
    if (typo === undefined) return [{ path: at, message: `${missing} Example: ${EXAMPLE}.` }]
    return [{ path: [...at, typo], message: `${missing} Unknown property '${typo}'.${didYouMean(typo, ['eventType', 'sequence'])}` }]
  }
  const allowed = isSequence ? SEQUENCE_KEYS : EVENT_KEYS
  for (const key of Object.keys(item)) {
    if (allowed.includes(key)) continue
    const why = isSequence && EVENT_KEYS.includes(key)
      ? `a sequence generates several events, so '${key}' cannot be set; use single { "eventType": … } items instead.`
      : `allowed: ${allowed.map((k) => `'${k}'`).join(', ')}.${didYouMean(key, allowed)}`
    problems.push({ path: [...at, key], message: `Unknown property '${key}' in a simulate item: ${why}` })
  }
  const nameKey = isSequence ? 'sequence' : 'eventType'
  const name = item[nameKey]
  if (typeof name !== 'string' || name.trim() === '') {
    problems.push({ path: [...at, nameKey], message: `'${nameKey}' must be a non-empty string, got ${showValue(name)}.` })
  }
  return problems
}

export function buildSimulatedEvents (body: unknown, options: { allowUnknown?: boolean; profile?: AcsProfile }, ctx: GenerateContext): EventGridEvent[] {
  const profile = options.profile ?? 'current'
  if (!ACS_PROFILES.includes(profile)) {
    throw new AcsInputError([{ path: ['profile'], message: `Unknown ACS profile '${String(profile)}'. Use 'current' or '2020-preview'.` }])
  }
  const isBatch = Array.isArray(body)
  if (!isBatch && !isPlainObject(body)) {
    throw new AcsInputError([{ path: [], message: `The simulate body must be an object or an array of objects, like ${EXAMPLE}; got ${showValue(body)}.` }])
  }
  const items: unknown[] = isBatch ? body : [body]
  if (items.length === 0) {
    throw new AcsInputError([{ path: [], message: `The simulate body is an empty array: give at least one item, like ${EXAMPLE}.` }])
  }
  const problems: Problem[] = []
  const events: EventGridEvent[] = []
  items.forEach((item, i) => {
    const at: Array<string | number> = isBatch ? [i] : []
    if (!isPlainObject(item)) {
      problems.push({ path: at, message: `Each simulate item must be an object like ${EXAMPLE}; got ${showValue(item)}.` })
      return
    }
    const shape = shapeProblems(item, at)
    if (shape.length > 0) {
      problems.push(...shape)
      return
    }
    try {
      if ('sequence' in item) {
        events.push(...generateAcsSequence(item.sequence as string, { data: item.data as Record<string, unknown>, profile }, ctx))
      } else {
        const opts = { ...item, allowUnknown: options.allowUnknown === true, profile } as GenerateOptions & { eventType?: string }
        delete opts.eventType
        events.push(generateAcsEvent(item.eventType as string, opts, ctx))
      }
    } catch (err) {
      if (!(err instanceof AcsInputError)) throw err
      problems.push(...prefixProblems(at, err.problems))
    }
  })
  if (problems.length > 0) throw new AcsInputError(problems)
  return events
}
