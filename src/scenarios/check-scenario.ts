/**
 * Rules of a scenario file that its JSON Schema cannot express: one kind per step, each kind's own rules (its
 * handler's `check`: known ACS types, aliases and sequences, valid matchers and durations …), and
 * `${steps.…}`/`${vars.…}` references to earlier steps only.
 * Runs on the parts whose shape is valid, so every problem of a file is reported at once.
 */
import { checkSubscriptionSemantics } from '../config/validate-subscription.js'
import { listAcsEventTypes } from '../domain/acs/index.js'
import { didYouMean, type Problem } from '../domain/problems.js'
import type { SubscriptionBody } from '../index.js'
import { stepHandler, STEPS, type StepKind } from './schema.js'
import type { Path } from './step-handler.js'
import { findReferences } from './variables.js'

type Raw = Record<string, unknown>
export type { Path }

export const KINDS = Object.keys(STEPS) as StepKind[]

export function checkTopic (name: string, topic: Raw, now: Date): Problem[] {
  const at: Path = ['topics', name]
  const isSystem = topic.topicType !== undefined
  const problems: Problem[] = []
  if (isSystem && topic.source === undefined) problems.push({ path: at, message: 'missing required key \'source\' (the resource id of the ACS resource)' })
  const ctx = {
    inputSchema: (topic.inputSchema ?? 'EventGridSchema') as 'EventGridSchema',
    knownEventTypes: isSystem ? new Set(listAcsEventTypes().map((t) => t.eventType)) : undefined,
    now
  }
  for (const [subName, sub] of Object.entries((topic.subscriptions ?? {}) as Record<string, SubscriptionBody>)) {
    for (const p of checkSubscriptionSemantics(sub, ctx)) problems.push({ path: [...at, 'subscriptions', subName, ...p.path], message: p.message })
  }
  return problems
}

/** Checks one step; `earlier` holds the step ids and variable names defined before it, and is updated. */
export function checkStep (step: Raw, at: Path, earlier: { ids: Set<string>, vars: Set<string> }): Problem[] {
  const problems: Problem[] = []
  const id = step.id as string | undefined
  if (id !== undefined) {
    if (earlier.ids.has(id)) problems.push({ path: [...at, 'id'], message: `step id '${id}' is already used by an earlier step` })
    earlier.ids.add(id)
  }
  const kinds = KINDS.filter((k) => k in step)
  // A step with an unknown kind has its own "unknown step" problem from the schema.
  const unknownKind = Object.keys(step).some((k) => !(k in STEPS) && k !== 'id' && k !== 'name')
  if (kinds.length !== 1) {
    if (kinds.length === 0 && unknownKind) return problems
    return [...problems, { path: at, message: `a step needs exactly one of ${KINDS.join(', ')}; found ${kinds.length === 0 ? 'none' : kinds.join(', ')}` }]
  }
  const kind = kinds[0]!
  const body = step[kind]
  const here: Path = [...at, kind]
  const handler = stepHandler(kind)
  problems.push(...(handler.check?.(body, here) ?? []), ...referenceProblems(body, here, earlier))
  for (const name of handler.defines?.(body) ?? []) earlier.vars.add(name)
  return problems
}

function referenceProblems (body: unknown, at: Path, earlier: { ids: Set<string>, vars: Set<string> }): Problem[] {
  return findReferences(body, at).flatMap((ref): Problem[] => {
    const [root, name] = ref.segments
    const known = root === 'steps' ? earlier.ids : root === 'vars' ? earlier.vars : undefined
    if (known === undefined) return [{ path: ref.at, message: `\${${ref.text}}: references start with steps.<id> (an earlier step's event) or vars.<name> (set by a set step)` }]
    if (known.has(String(name))) return []
    const what = root === 'steps' ? `no earlier step has id '${String(name)}'` : `no earlier set step defines '${String(name)}'`
    return [{ path: ref.at, message: `\${${ref.text}}: ${what}.${didYouMean(String(name), known)}` }]
  })
}
