/**
 * Which requests answer like Event Grid's publish endpoint: their responses carry `x-ms-request-id` and
 * `api-supported-versions`, and their error messages end with Azure's "Report '…'" suffix. The publish routes,
 * unknown paths and every request to a topic's own port are marked; the admin API keeps plain messages.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { SUPPORTED_API_VERSION } from '../errors.js'

/**
 * The mark is a field of the request (declared on every app by declarePublishFields), not a WeakSet entry: a
 * weak collection costs an entry per request and work for the garbage collector.
 */
interface PublishFields { egPublish: boolean, egPublishTarget: unknown }

/** Declares the request fields the publish endpoints use, so every request object has the same shape. */
export function declarePublishFields (app: FastifyInstance): void {
  app.decorateRequest('egPublish', false)
  app.decorateRequest('egPublishTarget', null)
}

export function markPublishRequest (request: FastifyRequest, reply: FastifyReply): void {
  (request as FastifyRequest & PublishFields).egPublish = true
  void reply.header('x-ms-request-id', request.id)
  void reply.header('api-supported-versions', SUPPORTED_API_VERSION)
}

export function isPublishRequest (request: FastifyRequest): boolean {
  return (request as FastifyRequest & Partial<PublishFields>).egPublish === true
}

/** The topic or domain a publish request was found to be for (its onRequest hook), for its handler. */
export function setPublishTarget (request: FastifyRequest, target: unknown): void {
  (request as FastifyRequest & PublishFields).egPublishTarget = target
}

export function publishTargetOf<T> (request: FastifyRequest): T {
  return (request as FastifyRequest & PublishFields).egPublishTarget as T
}

const SHARED_PORT_PUBLISH_PATH = /^\/(?:topics|domains)\/[^/?]+\/api\/events(\?|$)/

/**
 * Marks requests to a shared-port publish path (after canonicalPublishUrl), whatever their method or fate. A
 * callback hook: it runs on every request, and an async one costs a promise and a microtask turn each time.
 */
export function markSharedPortPublish (request: FastifyRequest, reply: FastifyReply, done: () => void): void {
  if (SHARED_PORT_PUBLISH_PATH.test(request.url)) markPublishRequest(request, reply)
  done()
}

/** A publish path already in the route's form (lower-case kind and `api/events`, no trailing slash). */
const CANONICAL_SHARED = /^\/(?:topics|domains)\/[^/?]+\/api\/events(?:\?|$)/
const CANONICAL_OWN = /^\/api\/events(?:\?|$)/

/** Publish-path URLs are case-insensitive and may end with a slash, as on Azure: rewritten to the route's form. */
export function canonicalPublishUrl (url: string, fixedTopic: boolean): string {
  // What publishers send nearly always: already canonical, so the rewrite below would give the same string.
  if ((fixedTopic ? CANONICAL_OWN : CANONICAL_SHARED).test(url)) return url
  return fixedTopic
    ? url.replace(/^\/api\/events\/?(?=\?|$)/i, '/api/events')
    : url.replace(/^\/(topics|domains)\/([^/?]+)\/api\/events\/?(?=\?|$)/i, (_m, kind: string, name: string) => `/${kind.toLowerCase()}/${name}/api/events`)
}
