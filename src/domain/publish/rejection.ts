/** Event Grid's detail codes (`error.details[0].code`) for the refusals the publish pipeline makes. */
import { EmulatorError, STATUS_NAMES } from '../emulator-error.js'
import { renderValue } from '../render-value.js'
export type RejectionCode = 'InputJsonInvalid' | 'PayloadTooLarge' | 'InvalidContentType' | 'Unauthorized' | 'InvalidCloudEventHeader'

const DEFAULT_CODES: Record<PublishRejected['status'], RejectionCode> = {
  400: 'InputJsonInvalid', 401: 'Unauthorized', 413: 'PayloadTooLarge', 415: 'InvalidContentType'
}

/**
 * Why a publish request is refused. Domain code throws this; the HTTP layer renders it as Event Grid's
 * error body with the same status and detail code.
 */
export class PublishRejected extends EmulatorError {
  readonly status: 400 | 401 | 413 | 415
  declare readonly detailCode: RejectionCode
  constructor (status: 400 | 401 | 413 | 415, message: string, detailCode: RejectionCode = DEFAULT_CODES[status]) {
    super(STATUS_NAMES[status]!, status, detailCode, message)
    this.name = 'PublishRejected'
    this.status = status
  }
}

export interface PublishLimits {
  /** Largest serialized event, in bytes. */
  maxEventBytes: number
  /** Largest request body, in bytes. */
  maxRequestBytes: number
  /** Most events in one request. */
  maxEvents: number
}

/**
 * Event Grid Basic limits. The docs (reference §1.4) say 1 MB per event and per request; real topics accept
 * 1,049,600 bytes per event and 1,536,000 bytes per request, and Azure's 413 message names those numbers
 * (measured in pm7y/AzureEventGridSimulator#201), so the emulator applies the measured values.
 */
export const DEFAULT_LIMITS: PublishLimits = {
  maxEventBytes: 1_049_600, // 1 MiB + 1 KiB
  maxRequestBytes: 1_536_000, // 1.5 MB
  maxEvents: 5000
}

export function checkBatch (body: unknown, limits: PublishLimits, what: string): unknown[] {
  if (!Array.isArray(body)) {
    throw new PublishRejected(400, `${what} requires a JSON array of events, got ${typeof body === 'object' && body !== null ? 'an object' : typeof body}. Wrap the event in [ ].`)
  }
  if (body.length === 0) throw new PublishRejected(400, 'The request contains no events: the array is empty.')
  if (body.length > limits.maxEvents) {
    throw new PublishRejected(413, `The request contains ${body.length} events; at most ${limits.maxEvents} events are allowed in one request.`)
  }
  return body
}

/** `at` names the event in messages: `events[i]` in a batch, `event` for a single CloudEvent. */
export function checkEventSize (event: unknown, index: number, limits: PublishLimits, at = `events[${index}]`): void {
  const bytes = Buffer.byteLength(JSON.stringify(event))
  if (bytes > limits.maxEventBytes) {
    throw new PublishRejected(413, `The maximum size (${limits.maxEventBytes}) has been exceeded. ${at} is ${bytes} bytes; one event may be at most ${limits.maxEventBytes} bytes.`)
  }
}

const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})?$/i

export function isDateTime (value: unknown): value is string {
  return typeof value === 'string' && ISO_DATE_TIME.test(value) && !Number.isNaN(Date.parse(value)) && isCalendarDateTime(value)
}

/**
 * `Date.parse` rolls impossible dates over (2024-02-30 becomes March 1st); Event Grid's .NET parser refuses
 * them, so the fields are checked against the calendar: day within its month (leap years included), hour 0-23,
 * minute and second 0-59, offset within ±14:00.
 */
const CALENDAR_FIELDS = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?/
const OFFSET = /([+-])(\d{2}):(\d{2})$/

function isCalendarDateTime (value: string): boolean {
  const m = CALENDAR_FIELDS.exec(value)
  if (m === null) return false
  const month = Number(m[2])
  const day = Number(m[3])
  if (month < 1 || month > 12 || day < 1 || Number(m[4]) > 23 || Number(m[5]) > 59 || Number(m[6] ?? 0) > 59) return false
  // Every month has 28 days: the calendar is asked only past that (every event carries a time, most before the 29th).
  if (day > 28 && day > new Date(Date.UTC(Number(m[1]), month, 0)).getUTCDate()) return false
  // The offset is the last six characters when there is one: the regex (anchored at the end) is asked only then,
  // instead of being tried at every position of every `Z` time.
  const sign = value.charCodeAt(value.length - 6)
  const offset = sign === 43 || sign === 45 ? OFFSET.exec(value) : null // '+' or '-'
  return offset === null || (Number(offset[2]) * 60 + Number(offset[3]) <= 14 * 60 && Number(offset[3]) <= 59)
}

export function show (value: unknown): string {
  return renderValue(value, { absent: 'missing', max: 60, keep: 57 })
}
