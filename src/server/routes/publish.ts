/**
 * `POST /topics/{topic}/api/events` — publishing exactly as the official SDKs do — and, on a topic's own
 * port, `POST /api/events`.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify'
import type { Emulator, TopicRuntime } from '../../emulator.js'
import { PublishRejected } from '../../domain/publish/rejection.js'
import { badRequest, topicNotFound } from '../../errors.js'
import { authenticate } from '../auth.js'
import { acceptEventBodies, isRawText } from '../content-types.js'

const API_VERSION = '2018-01-01'

export async function publishRoutes (app: FastifyInstance, opts: { emulator: Emulator, fixedTopic?: string }): Promise<void> {
  const { emulator } = opts
  acceptEventBodies(app)
  const handler = async (request: FastifyRequest<{ Params: { topic?: string }, Querystring: Record<string, string | undefined> }>): Promise<string> => {
    const name = opts.fixedTopic ?? request.params.topic ?? ''
    const topic = emulator.topic(name)
    if (topic === undefined) throw topicNotFound(name, [...emulator.topics.keys()])
    checkApiVersion(request.query['api-version'])
    authenticate(topic, request, new Date())
    publishBody(emulator, topic, request)
    return ''
  }
  const bodyLimit = emulator.limits.maxRequestBytes
  if (opts.fixedTopic !== undefined) app.post('/api/events', { bodyLimit }, handler)
  else app.post('/topics/:topic/api/events', { bodyLimit }, handler)
}

function publishBody (emulator: Emulator, topic: TopicRuntime, request: FastifyRequest): void {
  const contentType = request.headers['content-type']
  if (isRawText(request.body)) {
    throw new PublishRejected(415, topic.inputSchema === 'CloudEventSchemaV1_0'
      ? `The Content-Type header is either missing or it doesn't have a valid value (got '${contentType ?? 'none'}'). The content type header must either be application/cloudevents+json; charset=utf-8 or application/cloudevents-batch+json; charset=UTF-8.`
      : `The Content-Type header must be application/json for a topic with input schema ${topic.inputSchema}, got '${contentType ?? 'none'}'.`)
  }
  emulator.publish(topic, request.body, contentType)
}

function checkApiVersion (version: string | undefined): void {
  // The swagger marks api-version required; the emulator also accepts its absence (README, Differences from Azure).
  if (version !== undefined && version !== API_VERSION) {
    throw badRequest(`The api-version '${version}' is not supported for publishing. The supported api-version is '${API_VERSION}'.`, 'InvalidApiVersion')
  }
}
