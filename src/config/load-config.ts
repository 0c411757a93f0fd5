/**
 * Config loading: YAML (with line counter) → `${VAR}` expansion → JSON Schema → semantic rules → defaults.
 * Every problem is collected and reported at once as `file:line:col message`.
 */
import { readFile } from 'node:fs/promises'
import { LineCounter, parseDocument } from 'yaml'
import { isAcsResourceId, listAcsEventTypes } from '../domain/acs/index.js'
import { formatPath, type Problem } from '../domain/problems.js'
import { ajv } from './ajv.js'
import { ajvToProblems } from './ajv-problems.js'
import { expandEnv } from './env-expand.js'
import { locate } from './locate.js'
import { configSchema } from './schema.js'
import { ACS_TOPIC_TYPE, type EmulatorConfig, type TopicConfig } from './types.js'
import { checkSubscriptionSemantics } from './validate-subscription.js'

export interface ConfigProblem { file: string, line: number, col: number, message: string }

export class ConfigError extends Error {
  readonly problems: ConfigProblem[]
  constructor (problems: ConfigProblem[]) {
    super(problems.map(formatConfigProblem).join('\n'))
    this.name = 'ConfigError'
    this.problems = problems
  }
}

export function formatConfigProblem (p: ConfigProblem): string {
  return `${p.file}:${p.line}:${p.col} ${p.message}`
}

const validateShape = ajv.compile(configSchema)

export async function loadConfigFile (file: string, env: Record<string, string | undefined> = process.env, now = new Date()): Promise<EmulatorConfig> {
  let text: string
  try {
    text = await readFile(file, 'utf8')
  } catch (err) {
    throw new ConfigError([{ file, line: 0, col: 0, message: `cannot read config file: ${(err as Error).message}` }])
  }
  return parseConfig(text, file, env, now)
}

export function parseConfig (text: string, file: string, env: Record<string, string | undefined>, now = new Date()): EmulatorConfig {
  const lineCounter = new LineCounter()
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true })
  const at = (offset: number): { line: number, col: number } => lineCounter.linePos(offset)
  const problems: ConfigProblem[] = doc.errors.map((e) => ({ file, ...at(e.pos[0]), message: e.message.split('\n')[0]! }))
  if (problems.length > 0) throw new ConfigError(problems)

  for (const u of expandEnv(doc, env)) {
    problems.push({ file, ...at(u.offset), message: `environment variable '${u.name}' is not set and has no default (write \${${u.name}:-default})` })
  }
  const raw: unknown = doc.toJS() ?? {}
  const found: Problem[] = validateShape(raw) ? checkSemantics(raw as RawConfig, now) : ajvToProblems(validateShape.errors, raw)
  for (const p of found) {
    const unknownKey = p.message.startsWith('unknown key') || p.message.startsWith('name ')
    problems.push({ file, ...locate(doc, lineCounter, p.path, unknownKey), message: `${formatPath(p.path) || '(root)'}: ${p.message}` })
  }
  if (problems.length > 0) throw new ConfigError(problems.sort((a, b) => a.line - b.line || a.col - b.col))
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
    server: { host: raw.server?.host ?? '127.0.0.1', port: raw.server?.port ?? 4000, ...(raw.server?.dataDir !== undefined ? { dataDir: raw.server.dataDir } : {}) },
    delivery: {
      timeScale: raw.delivery?.timeScale ?? 1,
      deadLetterDir: raw.delivery?.deadLetterDir ?? './dead-letters',
      // `func start` listens on 7071 by default.
      azureFunctionsHostUrl: raw.delivery?.azureFunctionsHostUrl ?? 'http://127.0.0.1:7071'
    },
    acs: { profile: raw.acs?.profile ?? 'current' },
    topics
  }
}
