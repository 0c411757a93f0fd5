/**
 * `POST /topics/{topic}/api/events` — publishing exactly as the official SDKs do — and, on a topic's own
 * port, `POST /api/events`.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify'
import type { Emulator, TopicRuntime } from '../../emulator.js'
import { badRequest, topicNotFound } from '../../errors.js'
import { authenticate } from '../auth.js'
import { acceptEventBodies } from '../content-types.js'

const API_VERSION = '2018-01-01'

type PublishRequest = FastifyRequest<{ Params: { topic?: string }, Querystring: Record<string, string | undefined> }>

export async function publishRoutes (app: FastifyInstance, opts: { emulator: Emulator, fixedTopic?: string }): Promise<void> {
  const { emulator } = opts
  acceptEventBodies(app)
  const topics = new WeakMap<FastifyRequest, TopicRuntime>()
  // Topic, api-version and credentials are checked before the body is read, as a real endpoint does:
  // a wrong key gets 401 even for a malformed body, and anonymous callers cannot make us parse 1 MB.
  const onRequest = async (request: PublishRequest): Promise<void> => {
    const name = opts.fixedTopic ?? request.params.topic ?? ''
    const topic = emulator.topic(name)
    if (topic === undefined) throw topicNotFound(name, [...emulator.topics.keys()])
    checkApiVersion(request.query['api-version'])
    authenticate(topic, request, emulator.now())
    topics.set(request, topic)
  }
  const handler = async (request: PublishRequest): Promise<string> => {
    // A body that is not JSON reaches the publish pipeline as text; its Content-Type check answers 415.
    emulator.publish(topics.get(request)!, request.body, request.headers['content-type'])
    return ''
  }
  const route = { bodyLimit: emulator.limits.maxRequestBytes, onRequest }
  if (opts.fixedTopic !== undefined) app.post('/api/events', route, handler)
  else app.post('/topics/:topic/api/events', route, handler)
}

function checkApiVersion (version: string | undefined): void {
  // The swagger marks api-version required; the emulator also accepts its absence (README, Differences from Azure).
  if (version !== undefined && version !== API_VERSION) {
    throw badRequest(`The api-version '${version}' is not supported for publishing. The supported api-version is '${API_VERSION}'.`, 'InvalidApiVersion')
  }
}
