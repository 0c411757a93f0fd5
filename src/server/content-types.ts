/**
 * Body parsing for routes that receive events: JSON, the two CloudEvents media types, and any other type
 * as raw bytes, so the route (not Fastify) decides and answers with Event Grid's own 415 message, and a
 * CloudEvents binary-mode body in any media type reaches the publish pipeline intact.
 */
import type { FastifyInstance } from 'fastify'

/** Marks a body kept as raw bytes; a symbol, so no JSON body can ever look like one. */
const RAW_BODY = Symbol('rawBody')
interface RawBody { [RAW_BODY]: Buffer }

export function acceptEventBodies (app: FastifyInstance): void {
  const json = app.getDefaultJsonParser('error', 'ignore')
  app.addContentTypeParser(['application/cloudevents+json', 'application/cloudevents-batch+json'], { parseAs: 'string' }, json)
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (_req, body, done) => { done(null, { [RAW_BODY]: body }) })
}

/** The bytes of a body the parser above did not parse as JSON, or undefined. */
export function rawBytesOf (body: unknown): Buffer | undefined {
  return typeof body === 'object' && body !== null && RAW_BODY in body ? (body as RawBody)[RAW_BODY] : undefined
}

/** The text (UTF-8) of a body the parser above did not parse as JSON, or undefined. */
export function rawTextOf (body: unknown): string | undefined {
  return rawBytesOf(body)?.toString('utf8')
}
