/**
 * The last published events with every delivery attempt made for them, for the dashboard's event detail and for
 * replay. Bounded by event count (oldest forgotten first) and by the size of what each attempt keeps, so a
 * long-running emulator does not grow: the delivery log keeps the decisions, this keeps the wire detail.
 */
import type { AttemptDetail } from '../delivery/engine.js'
import type { AcceptedEvent } from '../domain/events.js'

/** At most this much of a request or response body is kept per attempt. */
export const MAX_KEPT_BODY_CHARS = 64 * 1024

export interface StoredAttempt {
  subscription: string
  attempt: number
  time: string
  request: { method: string, url: string, headers: Record<string, string>, body: string, bodyTruncated: boolean }
  response: { status?: number, error?: string, errorMessage?: string, headers: Record<string, string>, body: string, bodyTruncated: boolean }
  durationMs: number
  /** How many events went in this request (batching). */
  batchSize: number
}

export interface StoredEvent {
  topic: string
  id: string
  type: string
  publishTime: string
  event: AcceptedEvent
  attempts: StoredAttempt[]
}

/**
 * One attempt as kept: the observer's detail, made into a StoredAttempt only when someone reads the event (the
 * dashboard, the API, replay). Every event pays for an attempt's detail, few are ever looked at. A batch's events
 * share one, so they share the StoredAttempt too, as when it was made at once.
 */
interface KeptAttempt { detail: AttemptDetail | undefined, stored: StoredAttempt | undefined }

interface Entry extends Omit<StoredEvent, 'attempts'> { attempts: KeptAttempt[] }

export class EventStore {
  private readonly events = new Map<string, Entry>()

  constructor (private readonly capacity = 1000, private readonly maxAttemptsPerEvent = 50) {}

  add (topic: string, events: readonly AcceptedEvent[]): void {
    if (this.capacity === 0) return
    for (const event of events) {
      const key = keyOf(topic, event.id)
      // A replayed or re-sent id starts a fresh entry at the young end.
      this.events.delete(key)
      this.events.set(key, { topic, id: event.id, type: event.type, publishTime: event.publishTime, event, attempts: [] })
    }
    // Maps iterate in insertion order: the first keys are the oldest.
    while (this.events.size > this.capacity) this.events.delete(this.events.keys().next().value!)
  }

  recordAttempt (a: AttemptDetail): void {
    let shared: KeptAttempt | undefined
    for (const id of a.eventIds) {
      const entry = this.events.get(keyOf(a.topic, id))
      if (entry === undefined) continue
      // One request carries the whole batch: its detail is kept once and shared by the batch's events.
      shared ??= { detail: a, stored: undefined }
      entry.attempts.push(shared)
      if (entry.attempts.length > this.maxAttemptsPerEvent) entry.attempts.shift()
    }
  }

  get (topic: string, id: string): StoredEvent | undefined {
    const entry = this.events.get(keyOf(topic, id))
    return entry === undefined ? undefined : view(entry)
  }

  /** Newest first. */
  list (filter: { topic?: string, limit?: number } = {}): StoredEvent[] {
    const out: StoredEvent[] = []
    const all = [...this.events.values()]
    for (let i = all.length - 1; i >= 0 && out.length < (filter.limit ?? Infinity); i--) {
      const e = all[i]!
      if (filter.topic === undefined || e.topic === filter.topic) out.push(view(e))
    }
    return out
  }

  clear (): void { this.events.clear() }
}

function keyOf (topic: string, id: string): string { return `${topic}\u0000${id}` }

function view (e: Entry): StoredEvent {
  return { topic: e.topic, id: e.id, type: e.type, publishTime: e.publishTime, event: e.event, attempts: e.attempts.map(storedOf) }
}

function storedOf (kept: KeptAttempt): StoredAttempt {
  if (kept.stored === undefined) {
    kept.stored = toStored(kept.detail!)
    // Made once: the detail (whole bodies) is not kept beside it.
    kept.detail = undefined
  }
  return kept.stored
}

function toStored (a: AttemptDetail): StoredAttempt {
  const reqBody = a.request.body
  const resBody = a.result.body ?? ''
  return {
    subscription: a.subscription,
    attempt: a.attempt,
    time: new Date(a.startedAt).toISOString(),
    request: { method: a.request.method, url: a.request.url, headers: a.request.headers, body: reqBody.slice(0, MAX_KEPT_BODY_CHARS), bodyTruncated: reqBody.length > MAX_KEPT_BODY_CHARS },
    response: {
      ...(a.result.status !== undefined ? { status: a.result.status } : {}),
      ...(a.result.error !== undefined ? { error: a.result.error, errorMessage: a.result.errorMessage } : {}),
      headers: a.result.headers,
      body: resBody.slice(0, MAX_KEPT_BODY_CHARS),
      bodyTruncated: resBody.length > MAX_KEPT_BODY_CHARS
    },
    durationMs: Math.round(a.result.durationMs * 10) / 10,
    batchSize: a.eventIds.length
  }
}
