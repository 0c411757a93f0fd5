/**
 * The in-process target: a fresh emulator per scenario (port 0), started from the base config (a --config file
 * or the built-in default) with the scenario's topics merged over it, so scenarios never see each other's state.
 * Dead letters go to a temporary directory (unless the config names an absolute one), removed afterwards.
 */
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { resolveConfig, startEmulator, type EmulatorConfig, type RunningEmulator, type TopicConfig } from '../index.js'
import type { OpenTarget, Target } from './target.js'
import { localNamespaceOps } from './namespace-target.js'
import type { ScenarioTopic } from './types.js'
import { loadValidators } from '../config/load-validators.js'
import { scenarioSetupFailed, scenarioStepFailed } from '../errors.js'

export interface LocalTargetOptions {
  /** A config file; the built-in default config when absent. */
  config?: string
  /** Overrides the config's delivery.timeScale. */
  timeScale?: number
  env?: Record<string, string | undefined>
}

/** Loads the base config once (rejects with its ConfigError) and returns the per-scenario opener. */
export async function localTargets (options: LocalTargetOptions = {}): Promise<OpenTarget> {
  const env = options.env ?? process.env
  const base = await resolveConfig({ config: options.config, timeScale: options.timeScale, env })
  return async (topics, namespaces = {}) => {
    const dataDir = await mkdtemp(join(tmpdir(), 'eventgrid-scenario-'))
    // A scenario's namespaces replace the config's namespaces of the same name (they are declared whole).
    const config: EmulatorConfig = { ...base, topics: mergeTopics(base.topics, topics), namespaces: { ...base.namespaces, ...namespaces } }
    try {
      return localTarget(await startEmulator({ config, port: 0, dataDir, env }), dataDir)
    } catch (err) {
      await rm(dataDir, { recursive: true, force: true })
      throw err
    }
  }
}

/**
 * Topic settings from the scenario win over the config's; subscriptions are left out here because the runner
 * creates them through the same validated path as on a remote emulator (Target.putSubscription).
 */
function mergeTopics (base: Record<string, TopicConfig>, scenario: Record<string, ScenarioTopic>): Record<string, TopicConfig> {
  const merged = { ...base }
  for (const [name, topic] of Object.entries(scenario)) {
    merged[name] = { ...base[name], ...topic.settings, subscriptions: base[name]?.subscriptions ?? {} }
  }
  return merged
}

function localTarget (eg: RunningEmulator, dataDir: string): Target {
  const { emulator } = eg
  const topicOrThrow = (name: string): NonNullable<ReturnType<typeof emulator.topic>> => {
    const topic = emulator.topic(name)
    if (topic === undefined) throw scenarioStepFailed(`topic '${name}' does not exist; topics: ${[...emulator.topics.keys()].join(', ')}`)
    return topic
  }
  return {
    url: eg.url,
    timeScale: eg.config.delivery.timeScale,
    pollMs: 5,
    reset: async () => { emulator.reset() },
    // Domain scopes (`shop`, `shop/tenant-a`) are listed too, so expectations find domain subscriptions.
    topics: async () => emulator.allScopes().map((t) => ({
      name: t.name,
      system: t.isSystem,
      inputSchema: t.inputSchema,
      subscriptions: [...t.subscriptions.values()].map((s) => ({ name: s.name, endpointUrl: s.endpointUrl, state: s.state }))
    })),
    putSubscription: async (topic, name, body) => {
      await loadValidators()
      const result = emulator.putSubscription(topicOrThrow(topic), name, body)
      if (!result.ok) throw scenarioSetupFailed(result.problems.join('\n'))
    },
    scriptSink: async (name, statuses) => { emulator.sink.script(name, statuses) },
    simulate: async (topic, items) => eg.simulate(topic, items),
    // In-process publishing skips key checks, as the public API does.
    publish: async (topic, events) => { eg.publish(topic, events) },
    publishToDomain: async (domain, events) => { eg.publishToDomain(domain, events) },
    deliveries: async () => eg.deliveries(),
    sink: async (name) => eg.sink(name),
    deadLetters: async () => emulator.deadLetters.list(),
    outbox: async (topic) => emulator.acs.list(topicOrThrow(topic).name),
    setAcsOutcomes: async (rules) => { emulator.acs.setOverrides(rules) },
    namespaces: localNamespaceOps(emulator, eg.config.delivery.timeScale),
    close: async () => {
      await eg.close()
      await rm(dataDir, { recursive: true, force: true })
    }
  }
}
