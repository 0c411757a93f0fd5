/**
 * What the parts of the delivery engine pass between them: a batch on its way, the logger they share, what one
 * attempt looked like on the wire and what shutdown found.
 */
import type { AcceptedEvent } from '../../domain/events.js'
import type { TransportResult } from '../ports.js'
import type { SubscriptionRuntime } from '../subscription.js'

/**
 * A batch of events for one subscription, from its first attempt to its final outcome. Of the last attempt's
 * answer it keeps only what a dead-letter record reads: 100,000 batches may wait for a retry.
 */
export interface PendingBatch {
  sub: SubscriptionRuntime
  events: AcceptedEvent[]
  /** Attempts made so far. */
  attempts: number
  /** The first attempt's body, joined from the texts batching measured (events serialised once); then cleared. */
  body?: string | undefined
  /** The last attempt's HTTP status, or its network error. */
  lastStatus?: number | undefined
  lastError?: TransportResult['error']
  /** When the last attempt ended (dead-letter `lastDeliveryAttemptTime`). */
  lastAttemptAt?: number | undefined
}

/**
 * A new batch, with every field in place from the start: one object shape for all batches, its fields inside the
 * object (fields added later would go to a separate property array, 40 bytes more per waiting batch).
 */
export function newBatch (sub: SubscriptionRuntime, events: AcceptedEvent[], attempts = 0, body?: string): PendingBatch {
  return { sub, events, attempts, body, lastStatus: undefined, lastError: undefined, lastAttemptAt: undefined }
}

/** A batch waiting for its next attempt, as a durable store would keep it. */
export interface RestoredRetry {
  sub: SubscriptionRuntime
  events: AcceptedEvent[]
  attempts: number
  /** When the next attempt is due (epoch ms, the clock's time). */
  dueAt: number
}

export interface EngineLogger {
  info: (obj: object, msg: string) => void
  warn: (obj: object, msg: string) => void
  debug?: (obj: object, msg: string) => void
  isLevelEnabled?: (level: string) => boolean
}

/** One delivery attempt as it went over the wire. */
export interface AttemptDetail {
  topic: string
  subscription: string
  eventIds: string[]
  attempt: number
  startedAt: number
  request: { method: 'POST', url: string, headers: Record<string, string>, body: string }
  result: TransportResult
}

/** What close() found: logged as the shutdown summary line. */
export interface ShutdownSummary {
  /** Requests in flight when shutdown began. */
  inFlightRequests: number
  /** Events queued or waiting for a retry, recorded as Dropped at once. */
  pendingDropped: number
  /** Events recorded as Dropped during shutdown (the pending ones and those of cut requests). */
  droppedTotal: number
  /** True when in-flight requests outlived the grace and were cut (their events recorded as Dropped too). */
  cutAfterGrace: boolean
  /**
   * Durable mode: the events of this shutdown's Dropped records stay owed in the journal (their Dropped records are
   * not journalled), so the next start delivers them. Set by the core, not the engine.
   */
  keptInJournal?: boolean
}
