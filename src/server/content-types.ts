/**
 * Body parsing for routes that receive events: JSON, the two CloudEvents media types, and any other type
 * as raw text, so the route (not Fastify) decides and answers with Event Grid's own 415 message.
 */
import type { FastifyInstance } from 'fastify'

export function acceptEventBodies (app: FastifyInstance): void {
  const json = app.getDefaultJsonParser('error', 'ignore')
  app.addContentTypeParser(['application/cloudevents+json', 'application/cloudevents-batch+json'], { parseAs: 'string' }, json)
  app.addContentTypeParser('*', { parseAs: 'string' }, (_req, body, done) => { done(null, { rawText: body }) })
}

/** True when the parser above kept the body as text because its content type is not JSON. */
export function isRawText (body: unknown): body is { rawText: string } {
  return typeof body === 'object' && body !== null && 'rawText' in body && Object.keys(body).length === 1
}
