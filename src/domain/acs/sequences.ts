/**
 * Generating a whole scenario (sequence-defs.ts) as consistent events with increasing event times.
 *
 * `data` is one flat set of overrides for the scenario: each top-level key goes to the FIRST event of the
 * sequence that has that field (`from` of sms-conversation → the inbound SMS; `deliveryStatus` → the
 * delivery report). Linked fields and re-skinning carry the values into the later events.
 */
import type { EventGridEvent } from '../events.js'
import { isPlainObject } from '../events.js'
import { didYouMean } from '../problems.js'
import type { Problem } from '../problems.js'
import { aliasFor, findAcsEntry } from './aliases.js'
import type { AcsCatalogEntry } from './catalog-types.js'
import { AcsInputError, showValue, suggestName } from './errors.js'
import { checkOverrides, generateStep, newSession, overrideFields, profileProblems } from './generate.js'
import type { AcsProfile, GenerateContext, GeneratedStep } from './generate.js'
import { toCurrentNames } from './legacy-2020.js'
import { pinOverrides } from './merge.js'
import { findSequence, SEQUENCES } from './sequence-defs.js'
import type { SequenceDef } from './sequence-defs.js'
import { emulatorError } from '../emulator-error.js'

export interface SequenceInfo {
  name: string
  description: string
  eventTypes: string[]
}

export function listAcsSequences (): SequenceInfo[] {
  return SEQUENCES.map((s) => ({ name: s.name, description: s.description, eventTypes: s.steps.map((st) => st.eventType) }))
}

export function unknownSequenceProblem (name: string, path: ReadonlyArray<string | number>): Problem {
  const hint = findAcsEntry(name) !== undefined
    ? ` '${name}' is an event type: use { "eventType": "${name}" }.`
    : suggestName(name, SEQUENCES.map((s) => s.name))
  return { path, message: `Unknown ACS sequence '${name}'.${hint} Known sequences: ${SEQUENCES.map((s) => s.name).join(', ')}.` }
}

function entriesOf (def: SequenceDef): AcsCatalogEntry[] {
  return def.steps.map((s) => {
    const entry = findAcsEntry(s.eventType)
    if (entry === undefined) throw emulatorError(500, 'CatalogInconsistent', `sequence ${def.name}: ${s.eventType} is not in the catalog`)
    return entry
  })
}

/** Splits the flat `data` over the steps; unknown keys become problems. */
function distribute (def: SequenceDef, entries: AcsCatalogEntry[], profile: AcsProfile, data: Record<string, unknown>, problems: Problem[]): Array<Record<string, unknown>> {
  const perStep = entries.map(() => ({} as Record<string, unknown>))
  const names = entries.map((e) => overrideFields(e, profile).map((f) => f.name))
  for (const [key, value] of Object.entries(data)) {
    const step = names.findIndex((n) => n.includes(key))
    if (step >= 0) {
      perStep[step]![key] = value
      continue
    }
    const all = [...new Set(names.flat())]
    problems.push({
      path: ['data', key],
      message: `Sequence '${def.name}' has no field 'data.${key}' in any of its events (${entries.map((e) => aliasFor(e.eventType)).join(', ')}).${didYouMean(key, all)}`
    })
  }
  return perStep
}

export function generateAcsSequence (name: string, options: { data?: Record<string, unknown>; profile?: AcsProfile }, ctx: GenerateContext): EventGridEvent[] {
  const def = findSequence(String(name))
  if (def === undefined) throw new AcsInputError([unknownSequenceProblem(String(name), ['sequence'])])
  const profile = options.profile ?? 'current'
  const entries = entriesOf(def)
  const problems: Problem[] = []
  for (const entry of entries) {
    for (const p of profileProblems(entry, profile, ['sequence'])) {
      if (!problems.some((q) => q.message === p.message)) problems.push({ path: p.path, message: `Sequence '${def.name}': ${p.message}` })
    }
  }
  if (problems.length > 0) throw new AcsInputError(problems)
  if (options.data !== undefined && !isPlainObject(options.data)) {
    throw new AcsInputError([{ path: ['data'], message: `'data' must be an object of field overrides, got ${showValue(options.data)}.` }])
  }
  const perStep = distribute(def, entries, profile, options.data ?? {}, problems)
  entries.forEach((entry, i) => problems.push(...checkOverrides(entry, profile, perStep[i], false)))
  if (problems.length > 0) throw new AcsInputError(problems)

  // The last event happens "now"; earlier ones keep the sample story's spacing before it.
  const session = newSession(ctx, ctx.now().getTime(), entries[entries.length - 1]!.sample.eventTime)
  // Pin every step's overrides first, so values shared with earlier events follow too.
  entries.forEach((entry, i) => {
    const current = profile === '2020-preview' ? toCurrentNames(entry, perStep[i]!) : perStep[i]!
    pinOverrides(session, entry.sample.data, current, entry.fields)
  })
  const results: GeneratedStep[] = []
  def.steps.forEach((step, i) => {
    const links: Record<string, unknown> = {}
    for (const [field, [from, path]] of Object.entries(step.links ?? {})) {
      const value = results[from]?.current[path]
      if (value !== undefined) links[field] = value
    }
    results.push(generateStep(entries[i]!, profile, { data: perStep[i]!, links }, session))
  })
  return results.map((r) => r.event)
}
