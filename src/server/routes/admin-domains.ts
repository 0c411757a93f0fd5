/**
 * Admin API for event domains: `GET /admin/domains` (domain topics with their subscriptions), and runtime
 * management of domain-scope and domain-topic subscriptions and of domain topics, with the same ARM-shaped
 * bodies as `/admin/topics/{topic}/subscriptions/{name}`.
 */
import type { FastifyInstance, FastifyReply } from 'fastify'
import type { Emulator, TopicRuntime } from '../../emulator.js'
import { loadValidators } from '../../config/load-validators.js'
import { badRequest, domainNotFound, notFound } from '../../errors.js'
import { DOMAIN_TOPIC_NAME } from '../../domain/publish/domain-topic.js'
import { domainTopicName, findDomainTopic, type DomainRuntime } from '../../event-domains/domain-runtime.js'

type Params = { domain: string, topic?: string, name?: string }

export async function adminDomainRoutes (app: FastifyInstance, opts: { emulator: Emulator }): Promise<void> {
  const { emulator } = opts
  const domainOr404 = (name: string): DomainRuntime => {
    const domain = emulator.domain(name)
    if (domain === undefined) throw domainNotFound(name, [...emulator.domains.keys()])
    return domain
  }
  const scopeOr404 = (p: Params): TopicRuntime => {
    const domain = domainOr404(p.domain)
    if (p.topic === undefined) return domain.scope
    const found = findDomainTopic(domain, p.topic)
    if (found === undefined) throw notFound(`Domain topic '${p.topic}' does not exist in domain '${domain.name}'. Domain topics: ${[...domain.topics.keys()].join(', ') || '(none)'}.`)
    return found.runtime
  }
  const where = (p: Params): string => p.topic === undefined ? `domain '${p.domain}' (domain scope)` : `domain topic '${p.topic}' of domain '${p.domain}'`
  const summary = (scope: TopicRuntime): Array<{ name: string, provisioningState: string }> =>
    [...scope.subscriptions.values()].map((s) => ({ name: s.name, provisioningState: s.state }))

  app.get('/admin/domains', async () => ({
    value: [...emulator.domains.values()].map((d) => ({
      name: d.name,
      resourceId: d.resourceId,
      inputSchema: d.inputSchema,
      endpoint: `${emulator.url}/domains/${d.name}/api/events`,
      ...(d.config.port !== undefined ? { port: d.config.port } : {}),
      authRequired: d.keys.length > 0,
      autoCreateTopicWithFirstSubscription: d.autoCreate,
      autoDeleteTopicWithLastSubscription: d.autoDelete,
      subscriptions: summary(d.scope),
      topics: [...d.topics.values()].map((t) => ({ name: domainTopicName(d, t), resourceId: t.resourceId, subscriptions: summary(t) }))
    }))
  }))

  // Domain topics themselves: Azure lets users create one explicitly in either creation mode.
  app.put<{ Params: Params }>('/admin/domains/:domain/topics/:topic', async (request, reply) => {
    const domain = domainOr404(request.params.domain)
    const topic = request.params.topic!
    if (!DOMAIN_TOPIC_NAME.test(topic)) throw badRequest(`Domain topic name '${topic}' is not valid: use 3-128 letters, digits, '-', '_' or '.', starting with a letter or digit.`, 'InvalidDomainTopicName')
    const { created, runtime } = emulator.createDomainTopic(domain, topic)
    return reply.status(created ? 201 : 200).send({ name: domainTopicName(domain, runtime), resourceId: runtime.resourceId, subscriptions: summary(runtime) })
  })
  app.delete<{ Params: Params }>('/admin/domains/:domain/topics/:topic', async (request, reply) => {
    const domain = domainOr404(request.params.domain)
    if (!emulator.deleteDomainTopic(domain, request.params.topic!)) throw notFound(`Domain topic '${request.params.topic ?? ''}' does not exist in domain '${domain.name}'.`)
    return reply.status(204).send()
  })

  const list = async (request: { params: Params }): Promise<unknown> => ({ value: [...scopeOr404(request.params).subscriptions.values()].map((s) => emulator.describe(s)) })
  const get = async (request: { params: Params }): Promise<unknown> => {
    const sub = scopeOr404(request.params).subscriptions.get(request.params.name!)
    if (sub === undefined) throw notFound(`Subscription '${request.params.name ?? ''}' does not exist on ${where(request.params)}.`)
    return emulator.describe(sub)
  }
  const put = async (request: { params: Params, body: unknown }, reply: FastifyReply): Promise<unknown> => {
    const domain = domainOr404(request.params.domain)
    const raw = request.body as Record<string, unknown> | undefined
    // A whole ARM resource ({ properties: {...} }) or just its properties, as for topics.
    const body = raw !== undefined && raw !== null && typeof raw === 'object' && 'properties' in raw && !('destination' in raw) ? raw.properties : raw
    await loadValidators()
    const result = emulator.putDomainSubscription(domain, request.params.topic, request.params.name!, body)
    if (!result.ok) {
      if ('notFound' in result) throw notFound(result.notFound)
      throw badRequest(`Invalid subscription '${request.params.name ?? ''}':\n${result.problems.join('\n')}`, 'InvalidSubscription')
    }
    await emulator.durable()
    return await reply.status(result.created ? 201 : 200).send(emulator.describe(result.subscription))
  }
  const del = async (request: { params: Params }, reply: FastifyReply): Promise<unknown> => {
    const domain = domainOr404(request.params.domain)
    if (!emulator.deleteDomainSubscription(domain, request.params.topic, request.params.name!)) {
      throw notFound(`Subscription '${request.params.name ?? ''}' does not exist on ${where(request.params)}.`)
    }
    await emulator.durable()
    return await reply.status(204).send()
  }
  for (const base of ['/admin/domains/:domain', '/admin/domains/:domain/topics/:topic']) {
    app.get<{ Params: Params }>(`${base}/subscriptions`, list)
    app.get<{ Params: Params }>(`${base}/subscriptions/:name`, get)
    app.put<{ Params: Params }>(`${base}/subscriptions/:name`, put)
    app.delete<{ Params: Params }>(`${base}/subscriptions/:name`, del)
  }
}
