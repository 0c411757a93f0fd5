/**
 * Fastify's own errors (FST_ERR_…) are the framework's names: at this edge they become the catalog entries Event
 * Grid answers with. The limit in a 413 is the one configured for the route (or the server's default).
 */
import type { FastifyError, FastifyRequest } from 'fastify'
import { httpLayerError, requestTooLarge, unsupportedMediaType, type EmulatorError } from '../errors.js'

export function fromFastifyError (err: unknown, request?: FastifyRequest): EmulatorError | undefined {
  const fe = err as FastifyError
  if (typeof fe?.statusCode !== 'number' || fe.statusCode < 400 || fe.statusCode >= 500) return undefined
  switch (fe.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return requestTooLarge(request?.routeOptions.bodyLimit ?? request?.server.initialConfig.bodyLimit ?? 0)
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
