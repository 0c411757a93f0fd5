/**
 * Admin and inspection API: topics, runtime subscription management (ARM-shaped bodies), the delivery log,
 * dead letters, reset, and the validation URL that approves a subscription awaiting manual validation.
 */
import type { FastifyInstance } from 'fastify'
import type { Emulator, TopicRuntime } from '../../emulator.js'
import { loadValidators } from '../../config/load-validators.js'
import { badRequest, notFound } from '../../errors.js'
import { checkDeliveryStatus, checkQueryNames } from '../query-check.js'

export async function adminRoutes (app: FastifyInstance, opts: { emulator: Emulator }): Promise<void> {
  const { emulator } = opts
  const topicOr404 = (name: string): TopicRuntime => {
    return emulator.requireTopic(name)
  }

  app.get('/admin/topics', async () => ({
    value: [...emulator.topics.values()].map((t) => ({
      name: t.name,
      resourceId: t.resourceId,
      topicType: t.config.topicType ?? null,
      inputSchema: t.inputSchema,
      endpoint: `${emulator.url}/topics/${t.name}/api/events`,
      ...(t.config.port !== undefined ? { port: t.config.port } : {}),
      authRequired: t.keys.length > 0,
      subscriptions: [...t.subscriptions.values()].map((s) => ({ name: s.name, provisioningState: s.state }))
    }))
  }))

  app.get<{ Params: { topic: string } }>('/admin/topics/:topic/subscriptions', async (request) => {
    const topic = topicOr404(request.params.topic)
    return { value: [...topic.subscriptions.values()].map((s) => emulator.describe(s)) }
  })

  app.get<{ Params: { topic: string, name: string } }>('/admin/topics/:topic/subscriptions/:name', async (request) => {
    const topic = topicOr404(request.params.topic)
    const sub = topic.subscriptions.get(request.params.name)
    if (sub === undefined) throw notFound(`Subscription '${request.params.name}' does not exist on topic '${topic.name}'.`)
    return emulator.describe(sub)
  })

  app.put<{ Params: { topic: string, name: string } }>('/admin/topics/:topic/subscriptions/:name', async (request, reply) => {
    const topic = topicOr404(request.params.topic)
    // Accept a whole ARM resource ({ properties: {...} }) as well as its properties, so infrastructure code pastes as-is.
    const raw = request.body as Record<string, unknown> | undefined
    const body = raw !== undefined && raw !== null && typeof raw === 'object' && 'properties' in raw && !('destination' in raw) ? raw.properties : raw
    await loadValidators()
    const result = emulator.putSubscription(topic, request.params.name, body)
    if (!result.ok) throw badRequest(`Invalid subscription '${request.params.name}':\n${result.problems.join('\n')}`, 'InvalidSubscription')
    await emulator.durable()
    return reply.status(result.created ? 201 : 200).send(emulator.describe(result.subscription))
  })

  app.delete<{ Params: { topic: string, name: string } }>('/admin/topics/:topic/subscriptions/:name', async (request, reply) => {
    const topic = topicOr404(request.params.topic)
    if (!emulator.deleteSubscription(topic, request.params.name)) {
      throw notFound(`Subscription '${request.params.name}' does not exist on topic '${topic.name}'.`)
    }
    await emulator.durable()
    return reply.status(204).send()
  })

  app.get<{ Querystring: { topic?: string, subscription?: string, eventId?: string, status?: string, limit?: string } }>('/admin/deliveries', async (request) => {
    checkQueryNames(request.query, ['topic', 'subscription', 'eventId', 'status', 'limit'])
    checkDeliveryStatus(request.query.status)
    const { limit, ...filters } = request.query
    const n = limit === undefined ? undefined : Number(limit)
    if (n !== undefined && (!Number.isInteger(n) || n < 1)) throw badRequest(`limit must be a positive integer, got '${limit ?? ''}'.`, 'InvalidQueryParameter')
    return { value: emulator.deliveryLog.query({ ...filters, limit: n }) }
  })

  app.get<{ Querystring: { topic?: string, subscription?: string } }>('/admin/dead-letters', async (request) => {
    checkQueryNames(request.query, ['topic', 'subscription'])
    return { directory: emulator.deadLetters.directory, value: emulator.deadLetters.list(request.query) }
  })

  app.post('/admin/reset', async (_request, reply) => {
    emulator.reset()
    await emulator.durable()
    return reply.status(204).send()
  })

  const validate = async (request: { query: { token?: string } }): Promise<string> => {
    const result = emulator.confirmValidation(request.query.token ?? '')
    if (!result.ok) throw badRequest(`Validation failed: ${result.message}.`, 'InvalidValidationToken')
    return `Webhook successfully validated as a result of user action (subscription '${result.sub.name}').`
  }
  app.get<{ Querystring: { token?: string } }>('/admin/validate', validate)
  app.post<{ Querystring: { token?: string } }>('/admin/validate', validate)
}
