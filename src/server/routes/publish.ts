/**
 * `POST /topics/{topic}/api/events` — publishing exactly as the official SDKs do — and, on a topic's own
 * port, `POST /api/events`. Like Azure's endpoint it also answers `OPTIONS` (which schema the topic takes)
 * and refuses other methods with 405.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { Emulator, TopicRuntime } from '../../emulator.js'
import { invalidApiVersion, methodNotAllowed, PUBLISH_ALLOW, SUPPORTED_API_VERSION, topicNotFound } from '../../errors.js'
import { authenticate } from '../auth.js'
import { acceptEventBodies, rawBytesOf } from '../content-types.js'

type PublishRequest = FastifyRequest<{ Params: { topic?: string }, Querystring: Record<string, string | undefined> }>

/** The `aeg-input-event-schema` header's value per input schema, as Azure names them. */
const SCHEMA_HEADER: Record<TopicRuntime['inputSchema'], string> = {
  EventGridSchema: 'EventGridEvent',
  CloudEventSchemaV1_0: 'CloudEventV10',
  CustomEventSchema: 'CustomEventSchema'
}

export async function publishRoutes (app: FastifyInstance, opts: { emulator: Emulator, fixedTopic?: string }): Promise<void> {
  const { emulator } = opts
  acceptEventBodies(app)
  const topics = new WeakMap<FastifyRequest, TopicRuntime>()
  const url = opts.fixedTopic !== undefined ? '/api/events' : '/topics/:topic/api/events'
  const findTopic = (request: PublishRequest): TopicRuntime => {
    const name = opts.fixedTopic ?? request.params.topic ?? ''
    const topic = emulator.topic(name)
    if (topic === undefined) throw topicNotFound(name, [...emulator.topics.keys()])
    return topic
  }

  // Topic, api-version and credentials are checked before the body is read, as a real endpoint does:
  // a wrong key gets 401 even for a malformed body, and anonymous callers cannot make us parse 1.5 MB.
  const onRequest = async (request: PublishRequest): Promise<void> => {
    const topic = findTopic(request)
    checkApiVersion(request.query['api-version'])
    authenticate(topic, request, emulator.now(), sasScope(request, opts.fixedTopic === undefined ? topic.name : undefined))
    topics.set(request, topic)
  }
  const handler = async (request: PublishRequest, reply: FastifyReply): Promise<void> => {
    // A body in another media type arrives as bytes: CloudEvents binary mode takes it as data, the rest answer 415.
    const body = rawBytesOf(request.body) ?? request.body
    emulator.publish(topics.get(request)!, body, request.headers['content-type'], request.headers)
    // Azure's 200 has no body and so no Content-Type.
    await reply.send()
  }
  app.post(url, { bodyLimit: emulator.limits.maxRequestBytes, onRequest }, handler)

  app.route({
    method: 'OPTIONS',
    url,
    // Answered before any body is read: a preflight's Content-Type says nothing about an OPTIONS body.
    onRequest: async (request: PublishRequest, reply: FastifyReply) => {
      const topic = findTopic(request)
      await reply.header('allow', PUBLISH_ALLOW).header('aeg-input-event-schema', SCHEMA_HEADER[topic.inputSchema]).send()
    },
    handler: async () => ''
  })
  // HEAD is left out on purpose: Azure answers it with 404, which the not-found handler gives.
  app.route({
    method: ['GET', 'PUT', 'DELETE', 'PATCH'],
    url,
    exposeHeadRoute: false,
    onRequest: async (request: PublishRequest) => {
      findTopic(request)
      throw methodNotAllowed(request.method)
    },
    handler: async () => ''
  })
}

function checkApiVersion (version: string | undefined): void {
  // The swagger marks api-version required; the emulator also accepts its absence (README, Differences from Azure).
  if (version !== undefined && version !== SUPPORTED_API_VERSION) throw invalidApiVersion(version)
}

/** The endpoint a SAS token is presented to, and the least it must name (see domain/sas.ts). */
/**
 * The endpoint a SAS token must be scoped to. On the shared port a token may name the endpoint or a path above it
 * down to `/topics/NAME` (or `/domains/NAME`); on an own port, down to the host.
 */
export function sasScope (request: FastifyRequest, sharedPortTopic: string | undefined, kind: 'topics' | 'domains' = 'topics'): { endpoint: string, base: string } {
  const host = request.headers.host ?? ''
  const path = request.url.split('?')[0]!
  return { endpoint: `${host}${path}`, base: sharedPortTopic === undefined ? host : `${host}/${kind}/${sharedPortTopic}` }
}
