/**
 * Config loading: YAML (with line counter) → `${VAR}` expansion → JSON Schema → semantic rules → defaults.
 * Every problem is collected and reported at once as `file:line:col message`.
 */
import { isAcsResourceId, listAcsEventTypes } from '../domain/acs/index.js'
import type { Problem } from '../domain/problems.js'
import { ajv } from './ajv.js'
import { ajvToProblems } from './ajv-problems.js'
import { configSchema } from './schema.js'
import { ACS_TOPIC_TYPE, type EmulatorConfig, type TopicConfig } from './types.js'
import { checkSubscriptionSemantics } from './validate-subscription.js'
import { parseYamlSource, readSource, throwIfProblems } from './yaml-source.js'

export { ConfigError, formatConfigProblem, type ConfigProblem } from './yaml-source.js'

const validateShape = ajv.compile(configSchema)

export async function loadConfigFile (file: string, env: Record<string, string | undefined> = process.env, now = new Date()): Promise<EmulatorConfig> {
  return parseConfig(await readSource(file, 'config file'), file, env, now)
}

export function parseConfig (text: string, file: string, env: Record<string, string | undefined>, now = new Date()): EmulatorConfig {
  const source = parseYamlSource(text, file, env)
  const { raw } = source
  const found: Problem[] = validateShape(raw) ? checkSemantics(raw as RawConfig, now) : ajvToProblems(validateShape.errors, raw)
  throwIfProblems([...source.problems, ...found.map(source.place)])
  return withDefaults(raw as RawConfig)
}

type RawConfig = Partial<Omit<EmulatorConfig, 'topics'>> & { topics?: Record<string, Omit<TopicConfig, 'subscriptions'> & { subscriptions?: TopicConfig['subscriptions'] | null }> }

function checkSemantics (config: RawConfig, now: Date): Problem[] {
  const problems: Problem[] = []
  const acsTypes = new Set(listAcsEventTypes().map((t) => t.eventType))
  const ports = new Map<number, string>()
  for (const [name, topic] of Object.entries(config.topics ?? {})) {
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
      problems.push({ path: at, message: `missing required key 'inputSchemaMapping' (required when inputSchema is CustomEventSchema)` })
    }
    if (inputSchema !== 'CustomEventSchema' && topic.inputSchemaMapping !== undefined) {
      problems.push({ path: [...at, 'inputSchemaMapping'], message: `inputSchemaMapping is only used with inputSchema: CustomEventSchema (this topic uses ${inputSchema})` })
    }
    for (const field of ['eventType', 'subject', 'dataVersion'] as const) {
      const m = topic.inputSchemaMapping?.properties[field]
      if (m !== undefined && m.sourceField === undefined && m.defaultValue === undefined) {
        problems.push({ path: [...at, 'inputSchemaMapping', 'properties', field], message: `give sourceField, defaultValue or both` })
      }
    }
    if (topic.port !== undefined) {
      const other = ports.get(topic.port)
      if (other !== undefined) problems.push({ path: [...at, 'port'], message: `port ${topic.port} is already used by topic '${other}'` })
      else if (topic.port === config.server?.port) problems.push({ path: [...at, 'port'], message: `port ${topic.port} is the emulator's own server.port` })
      ports.set(topic.port, name)
    }
    for (const [subName, sub] of Object.entries(topic.subscriptions ?? {})) {
      const ctx = { inputSchema, knownEventTypes: isSystem ? acsTypes : undefined, now }
      for (const p of checkSubscriptionSemantics(sub, ctx)) problems.push({ path: [...at, 'subscriptions', subName, ...p.path], message: p.message })
    }
  }
  return problems
}

function withDefaults (raw: RawConfig): EmulatorConfig {
  const topics: Record<string, TopicConfig> = {}
  for (const [name, t] of Object.entries(raw.topics ?? {})) topics[name] = { ...t, subscriptions: t.subscriptions ?? {} }
  return {
    server: { ...raw.server, host: raw.server?.host ?? '127.0.0.1', port: raw.server?.port ?? 4000 },
    delivery: {
      timeScale: raw.delivery?.timeScale ?? 1,
      deadLetterDir: raw.delivery?.deadLetterDir ?? './dead-letters',
      // `func start` listens on 7071 by default.
      azureFunctionsHostUrl: raw.delivery?.azureFunctionsHostUrl ?? 'http://127.0.0.1:7071'
    },
    acs: { profile: raw.acs?.profile ?? 'current' },
    topics,
    ...(raw.limits !== undefined ? { limits: raw.limits } : {})
  }
}
