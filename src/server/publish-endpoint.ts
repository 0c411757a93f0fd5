/**
 * The routes of one publish endpoint, shared by topics and event domains: on Azure a domain endpoint is a
 * publish endpoint exactly like a topic's (same methods, headers, errors, limits), so both are built here and
 * differ only in how they find their target, check credentials and publish. `POST` publishes; `OPTIONS` says
 * which schema the endpoint takes; `GET`, `PUT`, `DELETE` and `PATCH` get 405.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { InputSchema } from '../domain/events.js'
import { invalidApiVersion, methodNotAllowed, PUBLISH_ALLOW, SUPPORTED_API_VERSION } from '../errors.js'
import { acceptEventBodies, rawBytesOf } from './content-types.js'
import { publishTargetOf, setPublishTarget } from './publish-context.js'

export type PublishRequest = FastifyRequest<{ Params: Record<string, string | undefined>, Querystring: Record<string, string | undefined> }>

export interface PublishEndpoint<T extends { readonly inputSchema: InputSchema }> {
  url: string
  bodyLimit: number
  /** The topic or domain the request is for; throws its 404. */
  find: (request: PublishRequest) => T
  /** Throws 400/401 for missing or wrong credentials. */
  authenticate: (target: T, request: PublishRequest) => void
  /**
   * `body` is parsed JSON, or the raw bytes of a body in another media type. In durable mode the promise resolves
   * once the accepted events are on disk: the 200 waits for it.
   */
  publish: (target: T, body: unknown, request: PublishRequest) => undefined | Promise<void>
}

/** The `aeg-input-event-schema` header's value per input schema, as Azure names them. */
const SCHEMA_HEADER: Record<InputSchema, string> = {
  EventGridSchema: 'EventGridEvent',
  CloudEventSchemaV1_0: 'CloudEventV10',
  CustomEventSchema: 'CustomEventSchema'
}

export function publishEndpoint<T extends { readonly inputSchema: InputSchema }> (app: FastifyInstance, spec: PublishEndpoint<T>): void {
  acceptEventBodies(app)

  // Target, api-version and credentials are checked before the body is read, as a real endpoint does:
  // a wrong key gets 401 even for a malformed body, and anonymous callers cannot make us parse 1.5 MB.
  // A callback hook and a handler that is not async (every publish pays for them): what they throw, Fastify
  // answers exactly as it answers a rejected promise, without a promise and a microtask turn each.
  const onRequest = (request: PublishRequest, _reply: FastifyReply, done: () => void): void => {
    const target = spec.find(request)
    checkApiVersion(request.query['api-version'])
    spec.authenticate(target, request)
    setPublishTarget(request, target)
    done()
  }
  const handler = (request: PublishRequest, reply: FastifyReply): Promise<void> | undefined => {
    // A body in another media type arrives as bytes: CloudEvents binary mode takes it as data, the rest answer 415.
    const published = spec.publish(publishTargetOf<T>(request), rawBytesOf(request.body) ?? request.body, request)
    // Azure's 200 has no body and so no Content-Type.
    if (published === undefined) { void reply.send(); return }
    // Durable mode: the 200 waits until the events are on disk.
    return published.then(async () => { await reply.send() })
  }
  app.post(spec.url, { bodyLimit: spec.bodyLimit, onRequest }, handler)

  app.route({
    method: 'OPTIONS',
    url: spec.url,
    // Answered before any body is read: a preflight's Content-Type says nothing about an OPTIONS body.
    onRequest: async (request: PublishRequest, reply: FastifyReply) => {
      const target = spec.find(request)
      await reply.header('allow', PUBLISH_ALLOW).header('aeg-input-event-schema', SCHEMA_HEADER[target.inputSchema]).send()
    },
    handler: async () => ''
  })
  // HEAD is left out on purpose: Azure answers it with 404, which the not-found handler gives.
  app.route({
    method: ['GET', 'PUT', 'DELETE', 'PATCH'],
    url: spec.url,
    exposeHeadRoute: false,
    onRequest: async (request: PublishRequest) => {
      spec.find(request)
      throw methodNotAllowed(request.method)
    },
    handler: async () => ''
  })
}

function checkApiVersion (version: string | undefined): void {
  // The swagger marks api-version required; the emulator also accepts its absence (README, Differences from Azure).
  if (version !== undefined && version !== SUPPORTED_API_VERSION) throw invalidApiVersion(version)
}

/**
 * The endpoint a SAS token must be scoped to (see domain/sas.ts). On the shared port a token may name the endpoint
 * or a path above it down to `/topics/NAME` (or `/domains/NAME`); on an own port, down to the host.
 */
export function sasScope (request: FastifyRequest, sharedPortName: string | undefined, kind: 'topics' | 'domains'): { endpoint: string, base: string } {
  const host = request.headers.host ?? ''
  const path = request.url.split('?')[0]!
  return { endpoint: `${host}${path}`, base: sharedPortName === undefined ? host : `${host}/${kind}/${sharedPortName}` }
}
