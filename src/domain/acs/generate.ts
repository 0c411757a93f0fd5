/**
 * One synthetic ACS event: catalog sample → fresh defaults (re-skinned) → deep-merged overrides →
 * subject and id derived from the final data (unless given) → Event Grid envelope.
 */
import type { EventGridEvent } from '../events.js'
import { isPlainObject } from '../events.js'
import type { Problem } from '../problems.js'
import { aliasFor, eventTypeNames, findAcsEntry } from './aliases.js'
import type { AcsCatalogEntry, FieldSpec, SubjectPart } from './catalog-types.js'
import { AcsInputError, showValue, suggestName } from './errors.js'
import { existedIn2020, legacyFields, legacyIdPath, LEGACY_2020_TYPES, toCurrentNames, toLegacyData } from './legacy-2020.js'
import { mergeOverrides, pinOverrides } from './merge.js'
import { ReskinSession } from './reskin.js'
import { findSequence } from './sequence-defs.js'
import { validateOverrides } from './validate-overrides.js'
import { formatEventTime, isIsoDateTime, parseIsoMs } from './values.js'
import { valueAt } from '../json-path.js'

export type AcsProfile = 'current' | '2020-preview'
export const ACS_PROFILES: readonly AcsProfile[] = ['current', '2020-preview']

/** `topic` is the ACS resource id in lower-case provider form (see acsTopicId). */
export interface GenerateContext {
  topic: string
  now: () => Date
  newGuid: () => string
}

export interface GenerateOptions {
  data?: Record<string, unknown>
  subject?: string
  id?: string
  eventTime?: string
  allowUnknown?: boolean
  profile?: AcsProfile
}

type Path = ReadonlyArray<string | number>

export function unknownTypeProblem (name: string, path: Path): Problem {
  const hint = findSequence(name) !== undefined
    ? ` '${name}' is a sequence: use { "sequence": "${name}" } (or generateAcsSequence).`
    : suggestName(name, eventTypeNames())
  return { path, message: `Unknown ACS event type '${name}'.${hint} Run 'eventgrid-emulator events' to list them.` }
}

export function findEntryOrProblem (name: string, path: Path): AcsCatalogEntry | Problem {
  return findAcsEntry(name) ?? unknownTypeProblem(name, path)
}

/** Problems with using this type in this profile (only 2020-preview restricts types). */
export function profileProblems (entry: AcsCatalogEntry, profile: AcsProfile, path: Path): Problem[] {
  if (!ACS_PROFILES.includes(profile)) {
    return [{ path: ['profile'], message: `Unknown ACS profile '${String(profile)}'. Use 'current' or '2020-preview'.` }]
  }
  if (profile === 'current' || existedIn2020(entry.eventType)) return []
  const available = LEGACY_2020_TYPES.map(aliasFor).join(', ')
  return [{
    path,
    message: `${entry.eventType} did not exist in profile '2020-preview' (first seen: ${entry.firstSeen}). Types in '2020-preview': ${available}.`
  }]
}

/** The field names overrides are written in for this profile. */
export function overrideFields (entry: AcsCatalogEntry, profile: AcsProfile): readonly FieldSpec[] {
  return profile === '2020-preview' ? legacyFields(entry) : entry.fields
}

export function checkOverrides (entry: AcsCatalogEntry, profile: AcsProfile, data: unknown, allowUnknown: boolean): Problem[] {
  if (data === undefined) return []
  return validateOverrides(entry.eventType, overrideFields(entry, profile), data, { allowUnknown })
}

/** The subject from the final data, so overriding e.g. `data.to` of SMSReceived moves the subject too. */
export function buildSubject (parts: readonly SubjectPart[], data: Record<string, unknown>, session: ReskinSession): string {
  return parts.map((part) => {
    if (typeof part === 'string') return part
    for (const path of part.paths) {
      const v = valueAt(data, path)
      if (typeof v === 'string' && v !== '') return part.stripPlus === true ? v.replace(/^\+/, '') : v
    }
    return session.string(part.sample, part.name)
  }).join('')
}

export function newSession (ctx: GenerateContext, nowMs: number, anchorSampleTime: string): ReskinSession {
  const sampleAnchorMs = parseIsoMs(anchorSampleTime)
  return new ReskinSession(ctx.topic, ctx.newGuid, { nowMs, offsetMs: nowMs - sampleAnchorMs, sampleAnchorMs })
}

export interface StepInput {
  /** User overrides, in the profile's field names (already validated). */
  data: Record<string, unknown>
  /** Values copied from earlier events of a sequence, in current names (applied before `data`). */
  links?: Record<string, unknown>
  subject?: string
  id?: string
  eventTime?: string
}

export interface GeneratedStep {
  event: EventGridEvent
  /** The data in current wire names, for later sequence steps to link to. */
  current: Record<string, unknown>
}

export function generateStep (entry: AcsCatalogEntry, profile: AcsProfile, input: StepInput, session: ReskinSession): GeneratedStep {
  const legacy = profile === '2020-preview'
  const userData = legacy ? toCurrentNames(entry, input.data) : input.data
  // Links are whole top-level values; user overrides win over them.
  const overrides = { ...input.links, ...userData }
  pinOverrides(session, entry.sample.data, overrides, entry.fields)
  const defaults = session.value(entry.sample.data) as Record<string, unknown>
  const current = mergeOverrides(defaults, overrides, entry.fields)
  const data = legacy ? toLegacyData(entry, current, input.data) : current
  const idPath = legacy ? legacyIdPath(entry) : entry.idPath
  const idValue = idPath === undefined ? undefined : data[idPath]
  const eventTimeMs = parseIsoMs(entry.sample.eventTime) + session.clock.offsetMs
  const event: EventGridEvent = {
    id: input.id ?? (typeof idValue === 'string' && idValue !== '' ? idValue : session.entropy.guid()),
    topic: session.topic,
    subject: input.subject ?? buildSubject(entry.subjectParts, current, session),
    data,
    eventType: entry.eventType,
    dataVersion: entry.dataVersion,
    metadataVersion: '1',
    eventTime: input.eventTime ?? formatEventTime(eventTimeMs, session.entropy.digits(4))
  }
  return { event, current }
}

function envelopeProblems (options: GenerateOptions): Problem[] {
  const problems: Problem[] = []
  for (const key of ['subject', 'id', 'eventTime'] as const) {
    const v: unknown = options[key]
    if (v !== undefined && (typeof v !== 'string' || v === '')) {
      problems.push({ path: [key], message: `'${key}' must be a non-empty string, got ${showValue(v)}.` })
    }
  }
  if (typeof options.eventTime === 'string' && options.eventTime !== '' && !isIsoDateTime(options.eventTime)) {
    problems.push({ path: ['eventTime'], message: `'eventTime' must be an ISO 8601 date-time such as 2025-06-12T17:15:05.1234567Z, got '${options.eventTime}'.` })
  }
  if (options.data !== undefined && !isPlainObject(options.data)) {
    problems.push({ path: ['data'], message: `'data' must be an object of field overrides, got ${showValue(options.data)}.` })
  }
  return problems
}

/**
 * A fresh, internally consistent event of one ACS type (full name, bare name or alias).
 * Throws AcsInputError listing every problem with the type, the profile and the overrides.
 */
export function generateAcsEvent (typeOrAlias: string, options: GenerateOptions, ctx: GenerateContext): EventGridEvent {
  const found = findEntryOrProblem(String(typeOrAlias), ['eventType'])
  if (!('eventType' in found)) throw new AcsInputError([found])
  const profile = options.profile ?? 'current'
  const problems = [...profileProblems(found, profile, ['eventType']), ...envelopeProblems(options)]
  if (problems.length === 0 && options.data !== undefined) {
    problems.push(...checkOverrides(found, profile, options.data, options.allowUnknown === true))
  }
  if (problems.length > 0) throw new AcsInputError(problems)
  // An explicit eventTime moves the whole event (inner timestamps too) to that moment.
  const nowMs = options.eventTime !== undefined ? parseIsoMs(options.eventTime) : ctx.now().getTime()
  const session = newSession(ctx, nowMs, found.sample.eventTime)
  const input: StepInput = { data: options.data ?? {} }
  if (options.subject !== undefined) input.subject = options.subject
  if (options.id !== undefined) input.id = options.id
  if (options.eventTime !== undefined) input.eventTime = options.eventTime
  return generateStep(found, profile, input, session).event
}
