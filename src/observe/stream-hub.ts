/**
 * Fan-out of the live stream (GET /admin/stream): every publish and every delivery decision, serialized once and
 * written to each viewer that wants it. Publishing never waits for a viewer: each viewer has a bounded buffer,
 * writes are coalesced per tick, and a viewer whose socket cannot keep up loses messages — counted, and told.
 * With no viewer attached the hub is not even listening.
 */
import type { DeliveryOutcome, DeliveryRecord } from '../delivery/delivery-log.js'
import type { DeliveryLogStore } from '../delivery/ports.js'
import type { AcceptedEvent } from '../domain/events.js'

export const STREAM_OUTCOMES: ReadonlyArray<DeliveryOutcome | 'Published'> = ['Published', 'Delivered', 'Failed', 'DeadLettered', 'Dropped', 'NotMatched', 'Waiting']

export interface StreamFilter {
  topic?: string
  subscription?: string
  eventType?: string
  outcomes?: ReadonlySet<string>
}

/** What a viewer's connection must offer: a writable that says when it is full, and drain/close events. */
export interface StreamSink {
  write: (chunk: string) => boolean
  once: (event: 'drain' | 'close', fn: () => void) => unknown
}

export interface PublishMessage { kind: 'publish', time: string, topic: string, eventId: string, eventType: string, subject?: string }
export type DecisionMessage = DeliveryRecord & { kind: 'decision' }

interface Viewer {
  sink: StreamSink
  filter: StreamFilter
  pending: string[]
  pendingBytes: number
  blocked: boolean
  dropped: number
}

export interface StreamHubOptions {
  /** Messages a viewer may have queued before new ones are dropped. */
  maxPendingMessages?: number
  maxPendingBytes?: number
  /** Schedules a flush after the current tick (setImmediate in production). */
  defer?: (fn: () => void) => void
}

export class StreamHub {
  private readonly viewers = new Set<Viewer>()
  private unsubscribe: Array<() => void> = []
  private flushScheduled = false
  private readonly maxMessages: number
  private readonly maxBytes: number
  private readonly defer: (fn: () => void) => void
  /** Messages lost by slow viewers since start (GET /admin/stats). */
  droppedTotal = 0
  sentTotal = 0

  constructor (private readonly sources: { log: DeliveryLogStore, onPublish: (l: (topic: string, events: readonly AcceptedEvent[]) => void) => () => void }, options: StreamHubOptions = {}) {
    this.maxMessages = options.maxPendingMessages ?? 5000
    this.maxBytes = options.maxPendingBytes ?? 4 * 1024 * 1024
    this.defer = options.defer ?? ((fn) => { setImmediate(fn) })
  }

  get viewerCount (): number { return this.viewers.size }

  /** Attaches a viewer until its sink closes. */
  attach (sink: StreamSink, filter: StreamFilter): () => void {
    const viewer: Viewer = { sink, filter, pending: [], pendingBytes: 0, blocked: false, dropped: 0 }
    this.viewers.add(viewer)
    if (this.viewers.size === 1) this.listen()
    const detach = (): void => {
      if (!this.viewers.delete(viewer)) return
      if (this.viewers.size === 0) this.stopListening()
    }
    sink.once('close', detach)
    return detach
  }

  private listen (): void {
    this.unsubscribe = [
      this.sources.log.onRecord((r) => { this.decision(r) }),
      this.sources.onPublish((topic, events) => { this.published(topic, events) })
    ]
  }

  private stopListening (): void {
    for (const off of this.unsubscribe.splice(0)) off()
  }

  private decision (r: DeliveryRecord): void {
    let frame: string | undefined
    for (const v of this.viewers) {
      const f = v.filter
      if ((f.topic !== undefined && f.topic !== r.topic) ||
        (f.subscription !== undefined && f.subscription.toLowerCase() !== r.subscription.toLowerCase()) ||
        (f.eventType !== undefined && !(r.eventType ?? '').split(',').includes(f.eventType)) ||
        (f.outcomes !== undefined && !f.outcomes.has(r.outcome))) continue
      // Serialized once for all viewers, and only if one wants it (a NotMatched reason is worked out here).
      frame ??= `id: ${r.seq}\ndata: ${JSON.stringify({ kind: 'decision', ...plain(r) })}\n\n`
      this.enqueue(v, frame)
    }
  }

  private published (topic: string, events: readonly AcceptedEvent[]): void {
    for (const event of events) {
      // The emulator's clock (publishTime), so publishes and decisions line up under a test clock too.
      const time = event.publishTime
      let frame: string | undefined
      for (const v of this.viewers) {
        const f = v.filter
        if ((f.topic !== undefined && f.topic !== topic) || f.subscription !== undefined ||
          (f.eventType !== undefined && f.eventType !== event.type) ||
          (f.outcomes !== undefined && !f.outcomes.has('Published'))) continue
        const subject = event.eventGrid?.subject ?? event.cloudEvent?.subject
        const message: PublishMessage = { kind: 'publish', time, topic, eventId: event.id, eventType: event.type, ...(subject !== undefined ? { subject } : {}) }
        frame ??= `data: ${JSON.stringify(message)}\n\n`
        this.enqueue(v, frame)
      }
    }
  }

  private enqueue (v: Viewer, frame: string): void {
    if (v.pending.length >= this.maxMessages || v.pendingBytes + frame.length > this.maxBytes) {
      v.dropped++
      this.droppedTotal++
      return
    }
    v.pending.push(frame)
    v.pendingBytes += frame.length
    if (!this.flushScheduled) {
      this.flushScheduled = true
      this.defer(() => { this.flushScheduled = false; this.flushAll() })
    }
  }

  private flushAll (): void {
    for (const v of this.viewers) if (!v.blocked) this.flush(v)
  }

  /** Writes what a viewer has queued in one chunk; a full socket pauses it until 'drain'. */
  private flush (v: Viewer): void {
    if (v.dropped > 0) {
      // Said in-band so the viewer knows its picture has gaps, once it can hear again.
      v.pending.push(`data: ${JSON.stringify({ kind: 'dropped', count: v.dropped, reason: 'this viewer read too slowly; messages were dropped so publishing is not slowed' })}\n\n`)
      v.dropped = 0
    }
    if (v.pending.length === 0) return
    const chunk = v.pending.length === 1 ? v.pending[0]! : v.pending.join('')
    this.sentTotal += v.pending.length
    v.pending = []
    v.pendingBytes = 0
    if (!v.sink.write(chunk)) {
      v.blocked = true
      v.sink.once('drain', () => { v.blocked = false; if (this.viewers.has(v)) this.flush(v) })
    }
  }
}

/** A record's public fields: lazily explained records (NotMatched) give them through toJSON. */
function plain (r: DeliveryRecord): DeliveryRecord {
  const lazy = r as DeliveryRecord & { toJSON?: () => DeliveryRecord }
  return typeof lazy.toJSON === 'function' ? lazy.toJSON() : r
}

/** Parses the stream's query; returns the problems (naming value and allowed values) instead of throwing. */
export function parseStreamFilter (query: Record<string, string | undefined>): { filter: StreamFilter } | { problem: string } {
  const known = new Set(['topic', 'subscription', 'eventType', 'outcome'])
  const unknown = Object.keys(query).find((k) => !known.has(k))
  if (unknown !== undefined) return { problem: `Unknown query parameter '${unknown}'. Allowed: topic, subscription, eventType, outcome.` }
  const filter: StreamFilter = {}
  if (query.topic !== undefined && query.topic !== '') filter.topic = query.topic
  if (query.subscription !== undefined && query.subscription !== '') filter.subscription = query.subscription
  if (query.eventType !== undefined && query.eventType !== '') filter.eventType = query.eventType
  if (query.outcome !== undefined && query.outcome !== '') {
    const values = query.outcome.split(',').map((s) => s.trim())
    const bad = values.find((o) => !(STREAM_OUTCOMES as readonly string[]).includes(o))
    if (bad !== undefined) return { problem: `outcome '${bad}' is not known. Allowed values (comma-separated): ${STREAM_OUTCOMES.join(', ')}.` }
    filter.outcomes = new Set(values)
  }
  return { filter }
}
