/**
 * Config loading: YAML (with line counter) → `${VAR}` expansion → JSON Schema → semantic rules → the schema's
 * defaults (apply-defaults.ts).
 * Every problem is collected and reported at once as `file:line:col message`.
 */
import { isAcsResourceId, listAcsEventTypes } from '../domain/acs/index.js'
import { acsKeyProblems } from './validate-acs.js'
import type { Problem } from '../domain/problems.js'
import { ajvToProblems } from './ajv-problems.js'
import { ACS_TOPIC_TYPE, type EmulatorConfig, type TopicConfig } from './types.js'
import { checkDomains, type RawDomain } from './validate-domain.js'
import { checkSubscriptionSemantics } from './validate-subscription.js'
import { checkNamespaces } from './validate-namespaces.js'
import { applyDefaults } from './apply-defaults.js'
import { DEFAULT_CONFIG_DATA, DEFAULT_CONFIG_NAME, DEFAULT_CONFIG_YAML } from './default-config.js'
import { configSchema } from './schema.js'
import { parseYamlSource, readSource, throwIfProblems } from './yaml-source.js'
import { validateConfigShape as validateShape } from './validators.js'

export { ConfigError, formatConfigProblem, type ConfigProblem } from './yaml-source.js'

export { DEFAULT_DEAD_LETTER_DIR } from './schema.js'

export async function loadConfigFile (file: string, env: Record<string, string | undefined> = process.env, now = new Date()): Promise<EmulatorConfig> {
  return parseConfig(await readSource(file, 'config file'), file, env, now)
}

export function parseConfig (text: string, file: string, env: Record<string, string | undefined>, now = new Date()): EmulatorConfig {
  const source = parseYamlSource(text, file, env)
  const { raw } = source
  let valid = validateShape(raw)
  // `port: "${PORT}"` (quoted so a flow map stays valid YAML) is a number once expanded.
  if (!valid && source.coerceFromEnv(validateShape.errors ?? [])) valid = validateShape(raw)
  const shape = valid ? [] : ajvToProblems(validateShape.errors, raw)
  // Every problem at once: the semantic rules run on every topic and subscription whose shape is sound, so a
  // typo in one place does not hide a missing key elsewhere until the next run.
  // A badly named topic or subscription still has a body worth checking.
  const blocking = shape.filter((p) => !p.message.startsWith('name '))
  const sound = (path: Array<string | number>, except?: Array<string | number>): boolean =>
    !blocking.some((p) => startsWith(p.path, path) && (except === undefined || !startsWith(p.path, except)))
  const found: Problem[] = [...shape, ...checkSemantics(raw as RawConfig, now, sound)]
  throwIfProblems([...source.problems, ...found.map(source.place)])
  return applyDefaults(configSchema, raw) as EmulatorConfig
}

/**
 * The built-in default config, checked and completed like a file but without parsing YAML (see parseConfigData).
 * A start does not run this check: it uses `builtInConfig()` (default-config.ts), which a test keeps equal to it.
 */
export function parseDefaultConfig (env: Record<string, string | undefined>, now = new Date()): EmulatorConfig {
  return parseConfigData(DEFAULT_CONFIG_DATA, DEFAULT_CONFIG_YAML, DEFAULT_CONFIG_NAME, env, now)
}

/**
 * A config held both as data and as the YAML text it was written as (the built-in default): the data is checked
 * and completed as parseConfig does a file. It must have no `${VAR}` (the environment is not applied to it).
 * Should it have a problem, the text is parsed after all, so the error names a line and column.
 */
export function parseConfigData (data: unknown, text: string, file: string, env: Record<string, string | undefined>, now = new Date()): EmulatorConfig {
  const raw: unknown = structuredClone(data)
  if (validateShape(raw) && checkSemantics(raw as RawConfig, now, () => true).length === 0) return applyDefaults(configSchema, raw) as EmulatorConfig
  return parseConfig(text, file, env, now)
}

function startsWith (path: ReadonlyArray<string | number>, prefix: ReadonlyArray<string | number>): boolean {
  return prefix.length <= path.length && prefix.every((seg, i) => String(path[i]) === String(seg))
}

type Soundness = (path: Array<string | number>, except?: Array<string | number>) => boolean

type RawConfig = Partial<Omit<EmulatorConfig, 'topics' | 'domains' | 'namespaces'>> & {
  topics?: Record<string, Omit<TopicConfig, 'subscriptions'> & { subscriptions?: TopicConfig['subscriptions'] | null }>
  domains?: Record<string, RawDomain>
  namespaces?: Parameters<typeof checkNamespaces>[0]
}

function checkSemantics (config: RawConfig, now: Date, sound: Soundness): Problem[] {
  const problems: Problem[] = []
  const acsTypes = new Set(listAcsEventTypes().map((t) => t.eventType))
  const ports = new Map<number, string>()
  if (!isObject(config)) return problems
  // ACS keys per topic, and outcome rules once their shape is sound.
  problems.push(...acsKeyProblems({ topics: isObject(config.topics) ? config.topics : {}, acs: sound(['acs']) ? config.acs : undefined }))
  for (const [name, topic] of Object.entries(isObject(config.topics) ? config.topics : {})) {
    const at = ['topics', name]
    if (!isObject(topic)) continue
    if (sound(at, [...at, 'subscriptions'])) problems.push(...checkTopic(config, name, topic, ports))
    const isSystem = topic.topicType !== undefined
    const inputSchema = topic.inputSchema ?? 'EventGridSchema'
    if (!isObject(topic.subscriptions)) continue
    for (const [subName, sub] of Object.entries(topic.subscriptions)) {
      const subAt = [...at, 'subscriptions', subName]
      if (!isObject(sub) || !sound(subAt)) continue
      const ctx = { inputSchema, knownEventTypes: isSystem ? acsTypes : undefined, now }
      for (const p of checkSubscriptionSemantics(sub, ctx)) problems.push({ path: [...subAt, ...p.path], message: p.message })
    }
  }
  // Domain rules assume a sound shape: they wait until the domains' shape problems are fixed.
  if (sound(['domains'])) problems.push(...checkDomains(config.domains ?? {}, isObject(config.topics) ? config.topics : {}, config.server?.port, now))
  if (sound(['namespaces'])) {
    const taken = new Map<number, string>([...ports].map(([port, topic]) => [port, `topic '${topic}'`]))
    if (typeof config.server?.port === 'number') taken.set(config.server.port, "the emulator's own server.port")
    problems.push(...checkNamespaces(config.namespaces ?? {}, taken))
  }
  return problems
}

function isObject (v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}

/** Topic-level rules (system vs custom, schema mapping, ports). */
function checkTopic (config: RawConfig, name: string, topic: NonNullable<RawConfig['topics']>[string], ports: Map<number, string>): Problem[] {
  const problems: Problem[] = []
  const at = ['topics', name]
  const isSystem = topic.topicType !== undefined
  if (isSystem) {
    if (topic.source === undefined) problems.push({ path: at, message: `missing required key 'source' (the resource id of the ${ACS_TOPIC_TYPE} resource)` })
    else if (!isAcsResourceId(topic.source)) {
      problems.push({ path: [...at, 'source'], message: `'${topic.source}' is not an ACS resource id: expected /subscriptions/SUB/resourceGroups/RG/providers/Microsoft.Communication/communicationServices/NAME` })
    }
    for (const key of ['inputSchema', 'inputSchemaMapping', 'resourceId'] as const) {
      if (topic[key] !== undefined) problems.push({ path: [...at, key], message: `'${key}' is not allowed on a system topic (topicType is set); system topics always use EventGridSchema` })
    }
  } else if (topic.source !== undefined) {
    problems.push({ path: [...at, 'source'], message: `'source' is only for system topics; add topicType: ${ACS_TOPIC_TYPE} or use resourceId for a custom topic` })
  }
  const inputSchema = topic.inputSchema ?? 'EventGridSchema'
  if (inputSchema === 'CustomEventSchema' && topic.inputSchemaMapping === undefined) {
    problems.push({ path: at, message: 'missing required key \'inputSchemaMapping\' (required when inputSchema is CustomEventSchema)' })
  }
  if (inputSchema !== 'CustomEventSchema' && topic.inputSchemaMapping !== undefined) {
    problems.push({ path: [...at, 'inputSchemaMapping'], message: `inputSchemaMapping is only used with inputSchema: CustomEventSchema (this topic uses ${inputSchema})` })
  }
  for (const field of ['eventType', 'subject', 'dataVersion'] as const) {
    const m = topic.inputSchemaMapping?.properties[field]
    if (m !== undefined && m.sourceField === undefined && m.defaultValue === undefined) {
      problems.push({ path: [...at, 'inputSchemaMapping', 'properties', field], message: 'give sourceField, defaultValue or both' })
    }
  }
  if (topic.port !== undefined) {
    const other = ports.get(topic.port)
    if (other !== undefined) problems.push({ path: [...at, 'port'], message: `port ${topic.port} is already used by topic '${other}'` })
    else if (topic.port === config.server?.port) problems.push({ path: [...at, 'port'], message: `port ${topic.port} is the emulator's own server.port` })
    ports.set(topic.port, name)
  }
  return problems
}
