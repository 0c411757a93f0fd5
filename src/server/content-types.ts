/**
 * Body parsing for routes that receive events: JSON, the two CloudEvents media types, and any other type
 * as raw bytes, so the route (not Fastify) decides and answers with Event Grid's own 415 message, and a
 * CloudEvents binary-mode body in any media type reaches the publish pipeline intact.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify'
import { MAX_JSON_DEPTH, measureJsonDepth } from '../domain/json-depth.js'
import { badRequest, type EmulatorError } from '../errors.js'

/** Marks a body kept as raw bytes; a symbol, so no JSON body can ever look like one. */
const RAW_BODY = Symbol('rawBody')
interface RawBody { [RAW_BODY]: Buffer }

export function acceptEventBodies (app: FastifyInstance, maxDepth = MAX_JSON_DEPTH): void {
  app.addContentTypeParser(['application/cloudevents+json', 'application/cloudevents-batch+json'], { parseAs: 'string' }, depthBoundJsonParser(app, maxDepth))
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

type ParserDone = (err: Error | null, body?: unknown) => void

/**
 * Fastify's JSON parser (which already refuses `__proto__` keys), behind a nesting bound checked on the text, so
 * no value deeper than MAX_JSON_DEPTH ever reaches a route. buildApp installs it for application/json on every route.
 */
export function depthBoundJsonParser (app: FastifyInstance, maxDepth = MAX_JSON_DEPTH): (req: FastifyRequest, body: string | Buffer, done: ParserDone) => void {
  const json = app.getDefaultJsonParser('error', 'ignore')
  return (req, body, done) => {
    const text = typeof body === 'string' ? body : body.toString('utf8')
    const { depth, firstExceededAt } = measureJsonDepth(text, maxDepth)
    if (firstExceededAt !== undefined) { done(tooDeep(depth, firstExceededAt, maxDepth)); return }
    json(req, text, done)
  }
}

/** Replaces the default application/json parser of `app` (and so of every plugin registered in it). */
export function boundJsonDepth (app: FastifyInstance, maxDepth = MAX_JSON_DEPTH): void {
  app.removeContentTypeParser('application/json')
  app.addContentTypeParser('application/json', { parseAs: 'string' }, depthBoundJsonParser(app, maxDepth))
}

/**
 * What the built-in sink must accept: an event accepted at the limit can arrive two levels deeper (inside the
 * batch array, and as the `data` of a custom-schema envelope), and the sink must take the emulator's own deliveries.
 */
export const SINK_MAX_JSON_DEPTH = MAX_JSON_DEPTH + 2

/** The 400 for a body nested deeper than the limit: Event Grid's error body, detail code InputJsonInvalid. */
function tooDeep (depth: number, offset: number, limit = MAX_JSON_DEPTH): EmulatorError {
  return badRequest(`The JSON body is nested ${depth} levels deep (first past the limit at character ${offset}); at most ${limit} levels of nested objects and arrays are allowed.`, 'InputJsonInvalid')
}
