/**
 * One error handler for the whole app: every refusal is answered with Event Grid's error body
 * `{ error: { code, message, details } }` and the matching status. Codes and messages come from the catalog
 * in src/errors.ts; this file only maps what other layers throw onto it.
 */
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify'
import { AcsInputError } from '../domain/acs/index.js'
import { formatPath } from '../domain/problems.js'
import { PublishRejected } from '../domain/publish/rejection.js'
import {
  EmulatorError, fromRejection, httpLayerError, internalError, requestTooLarge, resourceNotFound, toAzureErrorBody,
  unsupportedMediaType, type ReportContext
} from '../errors.js'
import { redactSecrets } from '../logging.js'
import { isPublishRequest, markPublishRequest } from './publish-context.js'

export function toEmulatorError (err: unknown, request?: FastifyRequest): EmulatorError | undefined {
  if (err instanceof EmulatorError) return err
  if (err instanceof PublishRejected) return fromRejection(err.status, err.detailCode, err.message)
  if (err instanceof AcsInputError) {
    const lines = err.problems.map((p) => `${formatPath(p.path) || '(body)'}: ${p.message}`)
    return new EmulatorError('BadRequest', 400, 'InvalidSimulation', lines.join('\n'))
  }
  const fe = err as FastifyError
  if (typeof fe.statusCode === 'number' && fe.statusCode >= 400 && fe.statusCode < 500) {
    // Fastify's own codes (FST_ERR_…) are internal names: the client gets Event Grid's codes instead.
    switch (fe.code) {
      case 'FST_ERR_CTP_BODY_TOO_LARGE':
        return requestTooLarge(request?.routeOptions.bodyLimit ?? 0)
      case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
        return unsupportedMediaType(`Unsupported Content-Type. ${fe.message}`)
      case 'FST_ERR_CTP_EMPTY_JSON_BODY':
        return httpLayerError(400, 'InputJsonInvalid', 'Unexpected end when reading JSON. The request body is empty.')
      case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
        return httpLayerError(400, 'InvalidContentLength', `The Content-Length header does not match the body: ${fe.message}`)
    }
    const json = fe.code === 'FST_ERR_CTP_INVALID_JSON_BODY' || fe.name === 'SyntaxError'
    return httpLayerError(fe.statusCode, json ? 'InputJsonInvalid' : 'BadRequest', fe.message)
  }
  return undefined
}

export function errorHandler (err: unknown, request: FastifyRequest, reply: FastifyReply): void {
  const known = toEmulatorError(err, request)
  if (known !== undefined) {
    // The reason goes under its own key: a second `msg` would hide it from every JSON log reader.
    request.log.info({ code: known.code, detail: known.detailCode, status: known.statusCode, reason: redactSecrets(known.message) }, 'request refused')
    const retryAfter = (known as { retryAfterSeconds?: unknown }).retryAfterSeconds
    if (typeof retryAfter === 'number') void reply.header('retry-after', String(retryAfter))
    send(request, reply, known)
    return
  }
  request.log.error({ err, request: { method: request.method, url: redactSecrets(request.url) } }, 'Unhandled error occurred')
  send(request, reply, internalError())
}

/** Event Grid answers a wrong host or path with 404 ResourceNotFound naming the URI; we add which routes exist. */
export function notFoundHandler (request: FastifyRequest, reply: FastifyReply): void {
  markPublishRequest(request, reply)
  const uri = `${request.protocol}://${request.headers.host ?? 'localhost'}${request.originalUrl}`
  send(request, reply, resourceNotFound(uri, `The emulator has no route ${request.method} ${request.originalUrl.split('?')[0] ?? ''}; see GET /admin/topics for the topic endpoints.`))
}

function send (request: FastifyRequest, reply: FastifyReply, err: EmulatorError): void {
  for (const [name, value] of Object.entries(err.headers)) void reply.header(name, value)
  void reply.header('x-ms-request-id', request.id)
  const report: ReportContext | undefined = isPublishRequest(request) ? { requestId: request.id, time: new Date() } : undefined
  void reply.status(err.statusCode).send(toAzureErrorBody(err, report))
}
