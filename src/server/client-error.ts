/**
 * Errors Node's HTTP parser raises before Fastify sees a request (a malformed Content-Length, headers too
 * large, a broken request line): answered on the raw socket with Event Grid's error body and Azure's suffix,
 * instead of Fastify's default `{"error":"Bad Request","message":"Client Error"}`.
 */
import { randomUUID } from 'node:crypto'
import type { Socket } from 'node:net'
import { httpLayerError, toAzureErrorBody, type EmulatorError } from '../errors.js'

/** Longest request URI (path and query) the publish endpoint takes; longer ones get 414 as on Azure. */
export const MAX_URI_LENGTH = 8192

const REASONS: Record<number, string> = { 400: 'Bad Request', 408: 'Request Timeout', 414: 'URI Too Long', 431: 'Request Header Fields Too Large' }

/** Maps Node's parser error codes (llhttp `HPE_…`) onto the catalog. */
export function clientErrorToEmulatorError (err: NodeJS.ErrnoException): EmulatorError {
  switch (err.code) {
    case 'HPE_HEADER_OVERFLOW':
      return httpLayerError(431, 'RequestHeaderFieldsTooLarge', 'The request headers are too large: together they may be at most 16 KB.')
    case 'HPE_INVALID_CONTENT_LENGTH':
    case 'HPE_UNEXPECTED_CONTENT_LENGTH':
      return httpLayerError(400, 'InvalidContentLength', 'The Content-Length header is not valid: it must be one non-negative decimal number, sent once, and not together with Transfer-Encoding: chunked.')
    case 'ERR_HTTP_REQUEST_TIMEOUT':
      return httpLayerError(408, 'RequestTimeout', 'The request was not received completely in time.')
    default:
      return httpLayerError(400, 'BadRequest', `The request is not valid HTTP/1.1 (${err.code ?? 'parse error'}).`)
  }
}

/** Answers what Node's HTTP parser refuses; `now` is the emulator's clock (the time in Azure's message suffix). */
export function clientErrorHandlerFor (now: () => Date): (err: NodeJS.ErrnoException, socket: Socket) => void {
  return (err, socket) => { answerClientError(err, socket, now) }
}

function answerClientError (err: NodeJS.ErrnoException, socket: Socket, now: () => Date): void {
  // A reset or already-answered socket has nobody left to read an answer.
  if (err.code === 'ECONNRESET' || !socket.writable) { socket.destroy(); return }
  const known = clientErrorToEmulatorError(err)
  const requestId = randomUUID()
  const body = JSON.stringify(toAzureErrorBody(known, { requestId, time: now() }))
  socket.end([
    `HTTP/1.1 ${known.statusCode} ${REASONS[known.statusCode] ?? 'Bad Request'}`,
    'Content-Type: application/json; charset=utf-8',
    `Content-Length: ${Buffer.byteLength(body)}`,
    `x-ms-request-id: ${requestId}`,
    'Connection: close',
    '',
    body
  ].join('\r\n'))
}
