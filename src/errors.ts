/**
 * Every error the emulator reports to a client, in one catalog (after fastify's lib/errors.js).
 * Publish-API errors carry Event Grid's status code, top-level `code` (the HTTP status name, as the real
 * service answers) and a detail code, so `toAzureErrorBody` can render the body Azure sends.
 */

export interface ErrorDetail { code: string; message: string }

export class EmulatorError extends Error {
  readonly code: string
  readonly statusCode: number
  readonly detailCode: string

  constructor (code: string, statusCode: number, detailCode: string, message: string) {
    super(message)
    this.name = 'EmulatorError'
    this.code = code
    this.statusCode = statusCode
    this.detailCode = detailCode
  }
}

/** Event Grid's error body: `{ error: { code, message, details: [{ code, message }] } }`. */
export function toAzureErrorBody (err: EmulatorError): { error: { code: string, message: string, details: ErrorDetail[] } } {
  return {
    error: {
      code: err.code,
      message: err.message,
      details: [{ code: err.detailCode, message: err.message }]
    }
  }
}

/* ---------------------------------------------------------------- publish API */

export const badRequest = (message: string, detailCode = 'InputJsonInvalid'): EmulatorError =>
  new EmulatorError('BadRequest', 400, detailCode, message)

export const unauthorized = (message: string): EmulatorError =>
  new EmulatorError('Unauthorized', 401, 'Unauthorized', message)

export const topicNotFound = (topic: string, known: string[]): EmulatorError =>
  new EmulatorError('NotFound', 404, 'TopicNotFound',
    `Topic '${topic}' is not configured. Configured topics: ${known.length > 0 ? known.join(', ') : '(none)'}. Add it under topics: in the config file or check the URL.`)

export const notFound = (message: string): EmulatorError =>
  new EmulatorError('NotFound', 404, 'NotFound', message)

export const serviceUnavailable = (message: string): EmulatorError =>
  new EmulatorError('ServiceUnavailable', 503, 'ServiceUnavailable', message)

/**
 * 503 with `Retry-After` (seconds), as Event Grid answers a publisher it throttles: the error handler copies
 * `retryAfterSeconds` into the header.
 */
export const throttled = (message: string, retryAfterSeconds: number): EmulatorError & { retryAfterSeconds: number } =>
  Object.assign(serviceUnavailable(message), { retryAfterSeconds })
