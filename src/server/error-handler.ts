/**
 * One error handler for the whole app: every refusal is answered with Event Grid's error body
 * `{ error: { code, message, details } }` and the matching status. Codes and messages come from the catalog
 * in src/errors.ts; this file only maps what other layers throw onto it.
 */
import type { FastifyReply, FastifyRequest } from 'fastify'
import { EmulatorError, internalError, resourceNotFound, toAzureErrorBody, type ReportContext } from '../errors.js'
import { fromFastifyError } from './fastify-errors.js'
import { redactSecrets } from '../logging.js'
import { isPublishRequest, markPublishRequest } from './publish-context.js'

/** Every error class in src/ extends EmulatorError; only the framework's own errors need translating. */
export function toEmulatorError (err: unknown, request?: FastifyRequest): EmulatorError | undefined {
  if (err instanceof EmulatorError) return err
  return fromFastifyError(err, request)
}

/** The app's error handler; `now` is the emulator's clock (the time in Azure's message suffix). */
export function errorHandlerFor (now: () => Date): (err: unknown, request: FastifyRequest, reply: FastifyReply) => void {
  return (err, request, reply) => { handleError(err, request, reply, now) }
}

function handleError (err: unknown, request: FastifyRequest, reply: FastifyReply, now: () => Date): void {
  const known = toEmulatorError(err, request)
  if (known !== undefined) {
    // The reason goes under its own key: a second `msg` would hide it from every JSON log reader.
    request.log.info({ code: known.code, detail: known.detailCode, status: known.statusCode, reason: redactSecrets(known.message) }, 'request refused')
    const retryAfter = (known as { retryAfterSeconds?: unknown }).retryAfterSeconds
    if (typeof retryAfter === 'number') void reply.header('retry-after', String(retryAfter))
    send(request, reply, known, now)
    return
  }
  request.log.error({ err, request: { method: request.method, url: redactSecrets(request.url) } }, 'Unhandled error occurred')
  send(request, reply, internalError(), now)
}

/** Event Grid answers a wrong host or path with 404 ResourceNotFound naming the URI; we add which routes exist. */
export function notFoundHandlerFor (now: () => Date): (request: FastifyRequest, reply: FastifyReply) => void {
  return (request, reply) => { handleNotFound(request, reply, now) }
}

function handleNotFound (request: FastifyRequest, reply: FastifyReply, now: () => Date): void {
  markPublishRequest(request, reply)
  const uri = `${request.protocol}://${request.headers.host ?? 'localhost'}${request.originalUrl}`
  send(request, reply, resourceNotFound(uri, `The emulator has no route ${request.method} ${request.originalUrl.split('?')[0] ?? ''}; see GET /admin/topics for the topic endpoints.`), now)
}

function send (request: FastifyRequest, reply: FastifyReply, err: EmulatorError, now: () => Date): void {
  for (const [name, value] of Object.entries(err.headers)) void reply.header(name, value)
  void reply.header('x-ms-request-id', request.id)
  const report: ReportContext | undefined = isPublishRequest(request) ? { requestId: request.id, time: now() } : undefined
  void reply.status(err.statusCode).send(toAzureErrorBody(err, report))
}
