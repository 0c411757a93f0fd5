/**
 * Body parsing for routes that receive events: JSON, the two CloudEvents media types, and any other type
 * as raw text, so the route (not Fastify) decides and answers with Event Grid's own 415 message.
 */
import type { FastifyInstance } from 'fastify'

/** Marks a body kept as text; a symbol, so no JSON body can ever look like one. */
const RAW_TEXT = Symbol('rawText')
interface RawText { [RAW_TEXT]: string }

export function acceptEventBodies (app: FastifyInstance): void {
  const json = app.getDefaultJsonParser('error', 'ignore')
  app.addContentTypeParser(['application/cloudevents+json', 'application/cloudevents-batch+json'], { parseAs: 'string' }, json)
  app.addContentTypeParser('*', { parseAs: 'string' }, (_req, body, done) => { done(null, { [RAW_TEXT]: body }) })
}

/** The text of a body the parser above did not parse as JSON, or undefined. */
export function rawTextOf (body: unknown): string | undefined {
  return typeof body === 'object' && body !== null && RAW_TEXT in body ? (body as RawText)[RAW_TEXT] : undefined
}
