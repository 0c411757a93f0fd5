/**
 * Scenario loading, the config loader's way: YAML (with line counter) → `${VAR}` expansion → JSON Schema →
 * scenario rules, every problem at once as `file:line:col message` (a ConfigError), then normalization.
 */
import { ajvToProblems } from '../config/ajv-problems.js'
import { parseYamlSource, readSource, throwIfProblems } from '../config/yaml-source.js'
import { validateScenarioShape as validateShape } from '../config/validators.js'
import { applyDefaults } from '../config/apply-defaults.js'
import { namespacesSchema } from '../config/namespace-schema.js'
import { didYouMean, type Problem } from '../domain/problems.js'
import type { SubscriptionBody } from '../index.js'
import { outcomeRuleProblems } from '../domain/acs-messaging/index.js'
import { checkStep, checkTopic, KINDS, type Path } from './check-scenario.js'
import { stepHandler } from './schema.js'
import type { Location, Scenario, ScenarioTopic, Step } from './types.js'

type Raw = Record<string, any>

export async function loadScenarioFile (file: string, env: Record<string, string | undefined> = process.env, now = new Date()): Promise<Scenario> {
  return parseScenario(await readSource(file, 'scenario file'), file, env, now)
}

export function parseScenario (text: string, file: string, env: Record<string, string | undefined>, now = new Date()): Scenario {
  const source = parseYamlSource(text, file, env)
  throwIfProblems([...source.problems, ...findProblems(source.raw, now).map(source.place)])
  return normalize(source.raw as Raw, file, source.position)
}

function findProblems (raw: unknown, now: Date): Problem[] {
  const shapeOk = validateShape(raw)
  const shape = shapeOk ? [] : ajvToProblems(validateShape.errors, raw).map(explainUnknownStep)
  if (raw === null || typeof raw !== 'object') return shape
  // Rules run on each topic and step whose shape is valid apart from unknown keys (which leave the known
  // keys' types intact), so they add to the shape problems.
  const broken = new Set(shape.filter((p) => !p.message.startsWith('unknown')).map((p) => `${String(p.path[0])}.${String(p.path[1])}`))
  const problems = [...shape]
  const r = raw as Raw
  // A list or a scalar where the topic map belongs is already a shape problem; only map entries are topics.
  if (r.topics !== null && typeof r.topics === 'object' && !Array.isArray(r.topics)) {
    for (const [name, topic] of Object.entries(r.topics as Raw)) {
      if (!broken.has(`topics.${name}`) && topic !== null && typeof topic === 'object') problems.push(...checkTopic(name, topic as Raw, now))
    }
  }
  if (Array.isArray(r.acsOutcomes) && !shape.some((p) => p.path[0] === 'acsOutcomes')) {
    problems.push(...outcomeRuleProblems(r.acsOutcomes).map((p) => ({ ...p, path: ['acsOutcomes', ...p.path] })))
  }
  const earlier = { ids: new Set<string>(), vars: new Set<string>() }
  if (Array.isArray(r.steps)) {
    r.steps.forEach((step: unknown, i) => {
      if (!broken.has(`steps.${i}`) && step !== null && typeof step === 'object') problems.push(...checkStep(step as Raw, ['steps', i], earlier))
    })
  }
  return problems
}

/** ajv calls an unknown step kind an unknown key; say it is a step, and which kinds exist. */
function explainUnknownStep (p: Problem): Problem {
  const [root, , key] = p.path
  if (root !== 'steps' || p.path.length !== 3 || !p.message.startsWith('unknown key')) return p
  return { path: p.path, message: `unknown step '${String(key)}'.${didYouMean(String(key), [...KINDS, 'id', 'name'])} A step is one of: ${KINDS.join(', ')} (with an optional id and name).` }
}

function normalize (raw: Raw, file: string, position: (path: Path, atKey?: boolean) => Location): Scenario {
  const topics: Record<string, ScenarioTopic> = {}
  for (const [name, t] of Object.entries((raw.topics ?? {}) as Raw)) {
    const { subscriptions, ...settings } = t as Raw
    topics[name] = {
      settings,
      at: position(['topics', name], true),
      subscriptions: Object.entries((subscriptions ?? {}) as Record<string, SubscriptionBody>)
        .map(([sub, body]) => ({ name: sub, body, at: position(['topics', name, 'subscriptions', sub], true) }))
    }
  }
  const steps = (raw.steps as Raw[]).map((step, i): Step => {
    const kind = KINDS.find((k) => k in step)!
    const base = { index: i + 1, at: position(['steps', i]), ...(step.id !== undefined ? { id: step.id as string } : {}), ...(step.name !== undefined ? { name: step.name as string } : {}) }
    return { ...base, ...stepHandler(kind).normalize(step[kind]) }
  })
  return { file, name: raw.name as string, topics, sinks: (raw.sinks ?? {}) as Record<string, number[]>, acsOutcomes: raw.acsOutcomes ?? [], namespaces: applyDefaults(namespacesSchema, raw.namespaces) as Scenario['namespaces'], steps }
}
