/**
 * One error handler for the whole app: every refusal is answered with Event Grid's error body
 * `{ error: { code, message, details } }` and the matching status.
 */
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify'
import { AcsInputError } from '../domain/acs/index.js'
import { formatPath } from '../domain/problems.js'
import { PublishRejected } from '../domain/publish/rejection.js'
import { EmulatorError, toAzureErrorBody } from '../errors.js'

const STATUS_CODES: Record<number, string> = {
  400: 'BadRequest', 401: 'Unauthorized', 403: 'Forbidden', 404: 'NotFound', 405: 'MethodNotAllowed',
  409: 'Conflict', 413: 'PayloadTooLarge', 415: 'UnsupportedMediaType', 429: 'TooManyRequests'
}

export function toEmulatorError (err: unknown): EmulatorError | undefined {
  if (err instanceof EmulatorError) return err
  if (err instanceof PublishRejected) {
    const detail = err.status === 400 ? 'InputJsonInvalid' : err.status === 413 ? 'PayloadTooLarge' : 'InvalidContentType'
    return new EmulatorError(STATUS_CODES[err.status]!, err.status, detail, err.message)
  }
  if (err instanceof AcsInputError) {
    const lines = err.problems.map((p) => `${formatPath(p.path) || '(body)'}: ${p.message}`)
    return new EmulatorError('BadRequest', 400, 'InvalidSimulation', lines.join('\n'))
  }
  const fe = err as FastifyError
  if (typeof fe.statusCode === 'number' && fe.statusCode >= 400 && fe.statusCode < 500) {
    const message = fe.code === 'FST_ERR_CTP_BODY_TOO_LARGE'
      ? 'The request body is larger than 1048576 bytes (1 MB), the largest request Event Grid accepts.'
      : fe.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE'
        ? `Unsupported Content-Type. ${fe.message}`
        : fe.message
    const detail = fe.code === 'FST_ERR_CTP_INVALID_JSON_BODY' || fe.code === 'FST_ERR_CTP_EMPTY_JSON_BODY' || fe.name === 'SyntaxError' ? 'InputJsonInvalid' : (fe.code ?? 'BadRequest')
    return new EmulatorError(STATUS_CODES[fe.statusCode] ?? 'BadRequest', fe.statusCode, detail, message)
  }
  return undefined
}

export function errorHandler (err: unknown, request: FastifyRequest, reply: FastifyReply): void {
  const known = toEmulatorError(err)
  if (known !== undefined) {
    request.log.info({ code: known.code, status: known.statusCode, msg: known.message }, 'request refused')
    const retryAfter = (known as { retryAfterSeconds?: unknown }).retryAfterSeconds
    if (typeof retryAfter === 'number') void reply.header('retry-after', String(retryAfter))
    void reply.status(known.statusCode).send(toAzureErrorBody(known))
    return
  }
  request.log.error({ err, request: { method: request.method, url: request.url } }, 'Unhandled error occurred')
  void reply.status(500).send(toAzureErrorBody(new EmulatorError('InternalServerError', 500, 'InternalServerError', 'Internal Server Error')))
}
