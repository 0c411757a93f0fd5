/**
 * Why a publish request is refused. Domain code throws this; the HTTP layer renders it as Event Grid's
 * error body with the same status.
 */
export class PublishRejected extends Error {
  readonly status: 400 | 413 | 415
  constructor (status: 400 | 413 | 415, message: string) {
    super(message)
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

/** Event Grid Basic limits (reference §1.4): 1 MB per event, 1 MB per request, 5,000 events. */
export const DEFAULT_LIMITS: PublishLimits = {
  maxEventBytes: 1024 * 1024, // 1 MiB
  maxRequestBytes: 1024 * 1024, // 1 MiB
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

export function checkEventSize (event: unknown, index: number, limits: PublishLimits): void {
  const bytes = Buffer.byteLength(JSON.stringify(event))
  if (bytes > limits.maxEventBytes) {
    throw new PublishRejected(413, `events[${index}] is ${bytes} bytes; an event may be at most ${limits.maxEventBytes} bytes.`)
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
function isCalendarDateTime (value: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?/.exec(value)
  if (m === null) return false
  const [year, month, day, hour, minute, second] = m.slice(1).map((v) => Number(v ?? 0)) as [number, number, number, number, number, number]
  if (month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 59) return false
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate()
  if (day > daysInMonth) return false
  const offset = /([+-])(\d{2}):(\d{2})$/.exec(value)
  return offset === null || (Number(offset[2]) * 60 + Number(offset[3]) <= 14 * 60 && Number(offset[3]) <= 59)
}

export function show (value: unknown): string {
  if (value === undefined) return 'missing'
  const text = JSON.stringify(value)
  return text.length > 60 ? `${text.slice(0, 57)}...` : text
}
