/**
 * Every error the emulator reports to a client, in one catalog (after fastify's lib/errors.js).
 *
 * An EmulatorError carries Event Grid's HTTP status, top-level `code` (the HTTP status name, as the real
 * service answers) and a detail code; `toAzureErrorBody` renders the body Azure sends. This file is the one
 * place Azure's codes, its limits in messages and its "Report '…'" message suffix live: each factory below is a
 * catalog entry (status, detail code, message template). Every error class in src/ extends EmulatorError
 * (domain/emulator-error.ts), so the HTTP error handler maps only that class.
 */

import { EmulatorError, STATUS_NAMES } from './domain/emulator-error.js'

export interface ErrorDetail { code: string; message: string }
export interface AzureErrorBody { error: { code: string, message: string, details: ErrorDetail[] } }

/** The only data-plane api-version of the publish API (`api-supported-versions` header). */
export const SUPPORTED_API_VERSION = '2018-01-01'

export { EmulatorError, emulatorError, STATUS_NAMES } from './domain/emulator-error.js'

/** What identifies one response in Azure's message suffix: the `x-ms-request-id` and the time of the answer. */
export interface ReportContext { requestId: string, time: Date }

/**
 * Azure ends every publish-API error message with this sentence, e.g.
 * ` Report 'f88d9de5-ff62-46d4-8484-8f14028eb884:3/10/2021 9:02:56 PM (UTC)' to our forums for assistance or
 * raise a support ticket.` (recorded in Azure/azure-sdk-for-js, sdk/eventgrid recordings). The time is .NET's
 * invariant `M/d/yyyy h:mm:ss tt`.
 */
export function reportSuffix (ctx: ReportContext): string {
  return ` Report '${ctx.requestId}:${formatReportTime(ctx.time)} (UTC)' to our forums for assistance or raise a support ticket.`
}

/** .NET's invariant `M/d/yyyy h:mm:ss tt` in UTC: `3/10/2021 9:02:56 PM`. */
export function formatReportTime (time: Date): string {
  const h24 = time.getUTCHours()
  const h12 = h24 % 12 === 0 ? 12 : h24 % 12
  const two = (n: number): string => String(n).padStart(2, '0')
  return `${time.getUTCMonth() + 1}/${time.getUTCDate()}/${time.getUTCFullYear()} ${h12}:${two(time.getUTCMinutes())}:${two(time.getUTCSeconds())} ${h24 < 12 ? 'AM' : 'PM'}`
}

/**
 * Event Grid's error body: `{ error: { code, message, details: [{ code, message }] } }`. With a report context
 * (publish-API responses) the message gets Azure's suffix, and `error.message` equals `details[0].message`.
 */
export function toAzureErrorBody (err: EmulatorError, report?: ReportContext): AzureErrorBody {
  const message = report === undefined ? err.message : `${err.message}${reportSuffix(report)}`
  return { error: { code: err.code, message, details: [{ code: err.detailCode, message }] } }
}

/* ---------------------------------------------------------------- publish API */

export const badRequest = (message: string, detailCode = 'InputJsonInvalid'): EmulatorError =>
  new EmulatorError('BadRequest', 400, detailCode, message)

export const unauthorized = (message: string): EmulatorError =>
  new EmulatorError('Unauthorized', 401, 'Unauthorized', message)

/** A credential header that is present but empty: Azure answers 400, not 401. */
export const invalidSas = (message: string): EmulatorError =>
  new EmulatorError('BadRequest', 400, 'InvalidSas', message)

export const invalidApiVersion = (version: string): EmulatorError =>
  badRequest(`The api-version '${version}' is not supported for publishing. The supported api-version is '${SUPPORTED_API_VERSION}'.`, 'InvalidApiVersion')

export const topicNotFound = (topic: string, known: string[]): EmulatorError =>
  new EmulatorError('NotFound', 404, 'TopicNotFound',
    `Topic '${topic}' is not configured. Configured topics: ${known.length > 0 ? known.join(', ') : '(none)'}. Add it under topics: in the config file or check the URL.`)

/** Emulator only, like topicNotFound: in Azure each domain has its own host, so a wrong name never resolves. */
export const domainNotFound = (domain: string, known: string[]): EmulatorError =>
  new EmulatorError('NotFound', 404, 'DomainNotFound',
    `Domain '${domain}' is not configured. Configured domains: ${known.length > 0 ? known.join(', ') : '(none)'}. Add it under domains: in the config file or check the URL.`)

/** Azure's (ASP.NET's) answer to an unknown path; `uri` is the full request URI, URL-encoded as Azure shows it. */
export const resourceNotFound = (uri: string, hint?: string): EmulatorError =>
  new EmulatorError('NotFound', 404, 'ResourceNotFound',
    `No HTTP resource was found that matches the request URI '${encodeURIComponent(uri)}'.${hint === undefined ? '' : ` ${hint}`}`)

export const PUBLISH_ALLOW = 'POST, OPTIONS'

export const methodNotAllowed = (method: string): EmulatorError =>
  new EmulatorError('MethodNotAllowed', 405, 'MethodNotAllowed',
    `The requested resource does not support http method '${method}'. The publish endpoint accepts ${PUBLISH_ALLOW}.`,
    { allow: PUBLISH_ALLOW })

/**
 * Azure's limits, as measured against real topics (pm7y/AzureEventGridSimulator#201): a request may carry
 * 1,536,000 bytes, one event 1,049,600 bytes; Azure's 413 message names the limit it hit.
 */
export const AZURE_MAX_REQUEST_BYTES = 1_536_000
export const AZURE_MAX_EVENT_BYTES = 1_049_600

export const payloadTooLarge = (message: string): EmulatorError =>
  new EmulatorError('RequestEntityTooLarge', 413, 'PayloadTooLarge', message)

export const requestTooLarge = (maxBytes: number): EmulatorError =>
  payloadTooLarge(`The maximum size (${maxBytes}) has been exceeded. The request body is larger than ${maxBytes} bytes; split the events over several requests.`)

export const unsupportedMediaType = (message: string): EmulatorError =>
  new EmulatorError('UnsupportedMediaType', 415, 'InvalidContentType', message)

export const notFound = (message: string): EmulatorError =>
  new EmulatorError('NotFound', 404, 'NotFound', message)

export const serviceUnavailable = (message: string): EmulatorError =>
  new EmulatorError('ServiceUnavailable', 503, 'ServiceUnavailable', message)

export const internalError = (): EmulatorError =>
  new EmulatorError('InternalServerError', 500, 'InternalServerError', 'Internal Server Error')

/** A synchronous input check ran before anything awaited loadValidators() (config/load-validators.ts): a bug. */
export const validatorsNotLoaded = (): EmulatorError =>
  new EmulatorError('InternalServerError', 500, 'InternalServerError', 'the input validators are not loaded yet: await loadValidators() before validating synchronously')

/** An error the HTTP layer itself raises (bad Content-Length, headers too large, …), in Event Grid's shape. */
export const httpLayerError = (statusCode: number, detailCode: string, message: string): EmulatorError =>
  new EmulatorError(STATUS_NAMES[statusCode] ?? 'BadRequest', statusCode, detailCode, message)

/** Maps a domain rejection (status + Event Grid detail code) to its catalog entry. */
export function fromRejection (status: number, detailCode: string, message: string): EmulatorError {
  return new EmulatorError(STATUS_NAMES[status] ?? 'BadRequest', status, detailCode, message)
}
/**
 * 503 with `Retry-After` (seconds), as Event Grid answers a publisher it throttles: the error handler copies
 * `retryAfterSeconds` into the header.
 */
export const throttled = (message: string, retryAfterSeconds: number): EmulatorError & { retryAfterSeconds: number } =>
  Object.assign(serviceUnavailable(message), { retryAfterSeconds })

/* ---------------------------------------------------------------- in-process API (startEmulator's handle) */

export const domainNotConfigured = (domain: string, known: string[]): EmulatorError =>
  new EmulatorError('NotFound', 404, 'DomainNotFound', `Domain '${domain}' is not configured. Configured domains: ${known.join(', ') || '(none)'}.`)

export const notAcsTopic = (topic: string): EmulatorError =>
  new EmulatorError('BadRequest', 400, 'NotAnAcsTopic', `topic '${topic}' is not an ACS system topic, so it has no ACS data plane`)

export const nothingToReload = (): EmulatorError =>
  new EmulatorError('Conflict', 409, 'NoConfigFile', 'this emulator was not started from a config file, so there is nothing to reload')

export const watchNeedsFile = (): EmulatorError =>
  new EmulatorError('BadRequest', 400, 'NoConfigFile', 'watching needs a config file: give --config FILE (or EVENTGRID_EMULATOR_CONFIG)')

export const waitTimedOut = (message: string): EmulatorError =>
  new EmulatorError('RequestTimeout', 408, 'WaitTimedOut', message)

/* ---------------------------------------------------------------- scenarios and the CLI */

/** The emulator could not be prepared for a scenario (topics, subscriptions). */
export const scenarioSetupFailed = (message: string): EmulatorError =>
  new EmulatorError('BadRequest', 400, 'ScenarioSetupFailed', message)

/** A scenario step could not run as written (unknown topic, unset variable, bad matcher). */
export const scenarioStepFailed = (message: string): EmulatorError =>
  new EmulatorError('BadRequest', 400, 'ScenarioStepFailed', message)

/** A remote emulator (CLI commands, remote scenario target) could not be reached. */
export const remoteUnreachable = (message: string): EmulatorError =>
  new EmulatorError('BadGateway', 502, 'EmulatorUnreachable', message)

/** A remote emulator answered a request with an error. */
export const remoteRequestFailed = (message: string): EmulatorError =>
  new EmulatorError('BadGateway', 502, 'RemoteRequestFailed', message)

/* ---------------------------------------------------------------- durable mode (src/durable) */

export const freshNeedsDataDir = (): EmulatorError =>
  new EmulatorError('BadRequest', 400, 'NoDataDir', '--fresh discards the journal of a data dir, and none is set: give --data-dir DIR (EVENTGRID_EMULATOR_DATA_DIR) or server.dataDir too.')

export const journalNotWritten = (file: string, cause: string): EmulatorError =>
  new EmulatorError('ServiceUnavailable', 503, 'JournalNotWritten', `The events could not be written to the journal ${file}: ${cause}. They may not survive a restart.`)

/** The journal in the data dir cannot be read as this version's journal (another format, another version, damage). */
export const journalUnreadable = (message: string): EmulatorError =>
  new EmulatorError('InternalServerError', 500, 'JournalUnreadable', message)
