/**
 * The remote target: a running emulator (`scenario run --url`), driven only through its HTTP API.
 * A running emulator can get new subscriptions but not new topics, so a scenario may add subscriptions to
 * topics the emulator has; the subscriptions it created are deleted when the scenario ends, and those it replaced
 * are put back as they were (endpoint secrets included, through getFullUrl / getDeliveryAttributes).
 */
import { Agent, request } from 'undici'
import type { OutboxEntry } from '../acs/messaging.js'
import type { DeliveryRecord, EventGridEvent, SinkRequest } from '../index.js'
import { remoteNamespaceOps } from './namespace-target.js'
import { restorableBody, type DescribedSubscription } from './restore.js'
import { SetupError, type DeadLetterInfo, type OpenTarget, type Target, type TopicInfo } from './target.js'
import { EmulatorError, remoteUnreachable, scenarioSetupFailed } from '../errors.js'

export interface RemoteTargetOptions {
  /** The time scale the emulator runs with (it is not visible over HTTP); scales `wait` steps. Default 1. */
  timeScale?: number
}

export function remoteTargets (baseUrl: string, options: RemoteTargetOptions = {}): OpenTarget {
  const url = baseUrl.replace(/\/$/, '')
  return async (scenarioTopics, namespaces = {}) => {
    // Own connection pool, closed with the target, so no keep-alive socket holds the process open.
    const agent = new Agent({ keepAliveTimeout: 1000 })
    const http = client(url, agent)
    try {
      const existing = await topicsOf(http)
      for (const [name, topic] of Object.entries(scenarioTopics)) {
        const found = existing.find((t) => t.name === name)
        if (found === undefined) {
          throw new SetupError(`the scenario declares topic '${name}', which the emulator at ${url} does not have (it has: ${existing.map((t) => t.name).join(', ') || 'none'}). ` +
            'A running emulator can add subscriptions (PUT /admin/topics/{topic}/subscriptions/{name}) but not topics: add the topic to its config file, or run without --url to start an emulator in-process with the scenario\'s topics.', topic.at)
        }
        const mismatch = topicMismatch(topic.settings, found)
        if (mismatch !== undefined) throw new SetupError(`topic '${name}' on the emulator at ${url} ${mismatch}; a running emulator's topics cannot be changed`, topic.at)
      }
      await checkNamespaces(http, url, Object.keys(namespaces))
      return remoteTarget(url, http, agent, existing, options.timeScale ?? 1)
    } catch (err) {
      await agent.close()
      throw err
    }
  }
}

type Http = (method: 'GET' | 'PUT' | 'POST' | 'DELETE', path: string, body?: { json?: unknown, raw?: string, headers?: Record<string, string>, signal?: AbortSignal }) => Promise<unknown>

function remoteTarget (url: string, http: Http, agent: Agent, existing: TopicInfo[], timeScale: number): Target {
  const created: Array<{ topic: string, name: string }> = []
  const replaced: Array<{ topic: string, name: string, body: Record<string, unknown> }> = []
  let topics = existing
  let outcomesSet = false
  return {
    url,
    timeScale,
    pollMs: 25,
    reset: async () => { await http('POST', '/admin/reset') },
    topics: async () => { topics = await topicsOf(http); return topics },
    putSubscription: async (topic, name, body) => {
      const isNew = topics.find((t) => t.name === topic)?.subscriptions.every((s) => s.name !== name) ?? true
      const path = `/admin/topics/${enc(topic)}/subscriptions/${enc(name)}`
      if (!isNew && !replaced.some((r) => r.topic === topic && r.name === name) && !created.some((c) => c.topic === topic && c.name === name)) {
        const described = await http('GET', path) as DescribedSubscription
        const { endpointUrl } = await http('POST', `${path}/getFullUrl`) as { endpointUrl: string | null }
        const { value } = await http('POST', `${path}/getDeliveryAttributes`) as { value: unknown[] }
        replaced.push({ topic, name, body: restorableBody(described, endpointUrl, value) })
      }
      try {
        await http('PUT', `/admin/topics/${enc(topic)}/subscriptions/${enc(name)}`, { json: body })
      } catch (err) {
        // Just the problems, as the in-process target reports them; the caller names the subscription.
        if (err instanceof HttpError && err.status === 400) throw scenarioSetupFailed(err.apiMessage.replace(/^Invalid subscription '[^']*':\n/, ''))
        throw err
      }
      if (isNew) created.push({ topic, name })
    },
    scriptSink: async (name, statuses) => { await http('PUT', `/sink/${enc(name)}/responses`, { json: { statuses } }) },
    simulate: async (topic, items) => ((await http('POST', `/topics/${enc(topic)}/simulate`, { json: items })) as { events: EventGridEvent[] }).events,
    publish: async (topic, events, key) => {
      const cloudEvents = topics.find((t) => t.name === topic)?.inputSchema === 'CloudEventSchemaV1_0'
      const headers: Record<string, string> = { 'content-type': cloudEvents ? 'application/cloudevents-batch+json; charset=utf-8' : 'application/json' }
      if (key !== undefined) headers['aeg-sas-key'] = key
      await http('POST', `/topics/${enc(topic)}/api/events?api-version=2018-01-01`, { raw: JSON.stringify(events), headers })
    },
    publishToDomain: async (domain, events, key) => {
      const domains = ((await http('GET', '/admin/domains')) as { value: Array<{ name: string, inputSchema: string }> }).value
      const cloudEvents = domains.find((d) => d.name === domain)?.inputSchema === 'CloudEventSchemaV1_0'
      const headers: Record<string, string> = { 'content-type': cloudEvents ? 'application/cloudevents-batch+json; charset=utf-8' : 'application/json' }
      if (key !== undefined) headers['aeg-sas-key'] = key
      await http('POST', `/domains/${enc(domain)}/api/events?api-version=2018-01-01`, { raw: JSON.stringify(events), headers })
    },
    deliveries: async () => ((await http('GET', '/admin/deliveries')) as { value: DeliveryRecord[] }).value,
    sink: async (name) => ((await http('GET', `/sink/${enc(name)}`)) as { requests: SinkRequest[] }).requests,
    deadLetters: async () => ((await http('GET', '/admin/dead-letters')) as { value: DeadLetterInfo[] }).value,
    outbox: async (topic) => ((await http('GET', `/admin/acs/${enc(topic)}/outbox`)) as { value: OutboxEntry[] }).value,
    setAcsOutcomes: async (rules) => {
      if (rules.length === 0) { if (outcomesSet) await http('DELETE', '/admin/acs/outcomes'); outcomesSet = false; return }
      await http('PUT', '/admin/acs/outcomes', { json: { rules } })
      outcomesSet = true
    },
    namespaces: remoteNamespaceOps(async (path, body, headers, signal) => await http('POST', path, { ...(body !== undefined ? { raw: JSON.stringify(body) } : {}), headers, ...(signal !== undefined ? { signal } : {}) })),
    close: async () => {
      try {
        // The scenario's outcome rules must not outlive it on a shared emulator.
        if (outcomesSet) await http('DELETE', '/admin/acs/outcomes')
        for (const sub of created.splice(0)) await http('DELETE', `/admin/topics/${enc(sub.topic)}/subscriptions/${enc(sub.name)}`)
        for (const sub of replaced.splice(0)) await http('PUT', `/admin/topics/${enc(sub.topic)}/subscriptions/${enc(sub.name)}`, { json: sub.body })
      } finally {
        await agent.close()
      }
    }
  }
}

function client (url: string, agent: Agent): Http {
  return async (method, path, body) => {
    let res
    try {
      res = await request(`${url}${path}`, {
        method,
        dispatcher: agent,
        headers: body?.json !== undefined ? { 'content-type': 'application/json' } : body?.headers,
        body: body?.json !== undefined ? JSON.stringify(body.json) : body?.raw,
        ...(body?.signal !== undefined ? { signal: body.signal } : {})
      })
    } catch (err) {
      if (body?.signal?.aborted === true) throw err
      const refused = (err as { code?: string }).code === 'ECONNREFUSED'
      throw remoteUnreachable(`${method} ${url}${path} failed: ${(err as Error).message}${refused ? ` (is the emulator running at ${url}? start it with 'eventgrid-emulator serve')` : ''}`)
    }
    const text = await res.body.text()
    if (res.statusCode >= 300) throw new HttpError(`${method} ${path}`, res.statusCode, errorMessage(text))
    return text === '' ? undefined : JSON.parse(text)
  }
}

type SubscriptionList = { value: Array<{ name: string, properties: { provisioningState: string, destination: { properties: { endpointUrl?: string } } } }> }
/** A running emulator's namespaces come from its config; a scenario can only use the ones it has. */
async function checkNamespaces (http: Http, url: string, wanted: string[]): Promise<void> {
  if (wanted.length === 0) return
  const have = ((await http('GET', '/admin/namespaces')) as { value: Array<{ name: string }> }).value.map((n) => n.name)
  const missing = wanted.filter((n) => !have.includes(n))
  if (missing.length > 0) {
    throw new SetupError(`the scenario declares namespace${missing.length === 1 ? '' : 's'} ${missing.map((n) => `'${n}'`).join(', ')}, which the emulator at ${url} does not have (it has: ${have.join(', ') || 'none'}); add ${missing.length === 1 ? 'it' : 'them'} under namespaces: in its config file`)
  }
}

async function topicsOf (http: Http): Promise<TopicInfo[]> {
  const list = (await http('GET', '/admin/topics')) as { value: Array<{ name: string, topicType: string | null, inputSchema: string }> }
  return [...await Promise.all(list.value.map(async (t) => {
    const subs = (await http('GET', `/admin/topics/${enc(t.name)}/subscriptions`)) as { value: Array<{ name: string, properties: { provisioningState: string, destination: { properties: { endpointUrl?: string } } } }> }
    return {
      name: t.name,
      system: t.topicType !== null,
      inputSchema: t.inputSchema,
      subscriptions: subs.value.map((s) => ({ name: s.name, endpointUrl: s.properties.destination.properties.endpointUrl ?? '', state: s.properties.provisioningState }))
    }
  })), ...await domainScopesOf(http)]
}

/** Event domains' scopes (`shop` for domain-scope subscriptions, `shop/tenant-a` for a domain topic's), so expectations find their subscriptions. */
async function domainScopesOf (http: Http): Promise<TopicInfo[]> {
  const list = (await http('GET', '/admin/domains')) as { value: Array<{ name: string, inputSchema: string, topics: Array<{ name: string }> }> }
  const scopes = list.value.flatMap((d) => [
    { name: d.name, inputSchema: d.inputSchema, path: `/admin/domains/${enc(d.name)}/subscriptions` },
    ...d.topics.map((t) => ({ name: `${d.name}/${t.name}`, inputSchema: d.inputSchema, path: `/admin/domains/${enc(d.name)}/topics/${enc(t.name)}/subscriptions` }))
  ])
  return await Promise.all(scopes.map(async (scope) => {
    const subs = (await http('GET', scope.path)) as SubscriptionList
    return {
      name: scope.name,
      system: false,
      inputSchema: scope.inputSchema,
      subscriptions: subs.value.map((s) => ({ name: s.name, endpointUrl: s.properties.destination.properties.endpointUrl ?? '', state: s.properties.provisioningState }))
    }
  }))
}

/** What differs between the scenario's topic settings and the running topic, in the settings that change behaviour. */
function topicMismatch (settings: { topicType?: string, inputSchema?: string }, found: TopicInfo): string | undefined {
  if (settings.topicType !== undefined && !found.system) return 'is a custom topic, but the scenario declares it as a system topic (topicType)'
  if (settings.inputSchema !== undefined && settings.inputSchema !== found.inputSchema) return `has inputSchema ${found.inputSchema}, but the scenario declares ${settings.inputSchema}`
  return undefined
}

class HttpError extends EmulatorError {
  constructor (request: string, readonly status: number, readonly apiMessage: string) {
    super('BadGateway', 502, 'RemoteRequestFailed', `${request}: HTTP ${status}: ${apiMessage}`)
    this.name = 'HttpError'
  }
}

const enc = encodeURIComponent

function errorMessage (text: string): string {
  try { return (JSON.parse(text) as { error: { message: string } }).error.message } catch { return text }
}
