/**
 * The base of every error the emulator throws: a stable detail code, the HTTP status and Event Grid's top-level
 * code it answers with, and the message (built by a catalog factory from its template). It lives in the pure
 * layer so domain code can throw it too; src/errors.ts holds the catalog of factories.
 */

/** HTTP status names Event Grid uses as the top-level `error.code`. */
export const STATUS_NAMES: Readonly<Record<number, string>> = {
  400: 'BadRequest',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'NotFound',
  405: 'MethodNotAllowed',
  408: 'RequestTimeout',
  409: 'Conflict',
  413: 'RequestEntityTooLarge',
  414: 'RequestUriTooLong',
  415: 'UnsupportedMediaType',
  422: 'UnprocessableEntity',
  429: 'TooManyRequests',
  431: 'RequestHeaderFieldsTooLarge',
  500: 'InternalServerError',
  502: 'BadGateway',
  503: 'ServiceUnavailable'
}

export class EmulatorError extends Error {
  /** Top-level `error.code`: the HTTP status name, e.g. `BadRequest`. */
  readonly code: string
  readonly statusCode: number
  /** `error.details[0].code`, e.g. `InputJsonInvalid`: the stable identity of the error. */
  readonly detailCode: string
  /** Extra response headers (405's `Allow`). */
  readonly headers: Readonly<Record<string, string>>

  constructor (code: string, statusCode: number, detailCode: string, message: string, headers: Record<string, string> = {}) {
    super(message)
    this.name = 'EmulatorError'
    this.code = code
    this.statusCode = statusCode
    this.detailCode = detailCode
    this.headers = headers
  }
}

/** An error of the catalog by status and detail code, the top-level code following from the status. */
export function emulatorError (statusCode: number, detailCode: string, message: string, headers: Record<string, string> = {}): EmulatorError {
  return new EmulatorError(STATUS_NAMES[statusCode] ?? 'BadRequest', statusCode, detailCode, message, headers)
}
