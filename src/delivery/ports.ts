/**
 * What the delivery engine needs from the outside world. Adapters implement these; tests may pass their own
 * clock to drive back-off without sleeping.
 */
import type { SinkLimits } from '../config/limits.js'
import type { SinkRequest } from '../sink/sink-store.js'
import type { DeadLetterEntry } from './dead-letter-store.js'
import type { DeliveryQuery, DeliveryRecord } from './delivery-log.js'
import type { DeclinedRun } from './engine/not-matched-record.js'

export interface Clock {
  now: () => number
  setTimer: (fn: () => void, delayMs: number) => TimerHandle
  clearTimer: (handle: TimerHandle) => void
}
export interface TimerHandle { readonly id: unknown }

export interface OutboundRequest {
  method: 'POST' | 'OPTIONS' | 'GET'
  url: string
  headers: Record<string, string>
  body?: string
  timeoutMs: number
}

export interface TransportResult {
  status?: number
  headers: Record<string, string>
  body?: string
  /** Set when no HTTP status was received. */
  error?: 'TimedOut' | 'SocketError' | 'ResolutionError'
  errorMessage?: string
  durationMs: number
}

export interface Transport {
  send: (request: OutboundRequest) => Promise<TransportResult>
  /** Waits for in-flight requests, then releases connections. */
  close: () => Promise<void>
  /** Aborts in-flight requests now (end of a shutdown's grace period). */
  destroy: () => Promise<void>
}

/** Where dead-lettered events are written (files under delivery.deadLetterDir by default). */
export interface DeadLetterWriter {
  write: (args: { topic: string, subscription: string, container: string, reason: string, eventIds: string[], events: unknown[], now: Date }) => Promise<{ path: string }>
}

/**
 * The stores the emulator keeps its records in. The composition root (src/compose.ts) picks the implementations:
 * today the bounded in-memory delivery log and sink, and dead letters as files; a durable store implements the
 * same interface without touching the engine.
 */
export interface DeliveryLogStore {
  add: (record: Omit<DeliveryRecord, 'seq'>) => DeliveryRecord
  /**
   * A run of NotMatched records as one entry (see DeclinedRun), numbered and bounded as its records. Optional: a
   * store without it is given the records one by one.
   */
  addDeclined?: (run: DeclinedRun) => void
  /**
   * Called for every new record; returns the unsubscribe function. A listener that passes `declined` gets a run of
   * NotMatched records whole there; the others get its records one by one.
   */
  onRecord: (listener: (r: DeliveryRecord) => void, declined?: (run: DeclinedRun) => void) => () => void
  query: (q?: DeliveryQuery) => DeliveryRecord[]
  clear: () => void
  readonly size: number
}

export interface DeadLetterStorage extends DeadLetterWriter {
  write: (args: Parameters<DeadLetterWriter['write']>[0]) => Promise<DeadLetterEntry>
  /** Lists a dead letter written elsewhere (namespace subscriptions write their own format and path). */
  record: (entry: DeadLetterEntry) => void
  list: (filter?: { subscription?: string, topic?: string }) => DeadLetterEntry[]
  clear: () => void
  readonly directory: string
}

export interface SinkStorage {
  readonly limits: SinkLimits
  /** Status the next notification to `name` gets. */
  nextStatus: (name: string) => number
  script: (name: string, statuses: number[]) => void
  record: (name: string, request: SinkRequest, bytes?: number) => void
  get: (name: string) => SinkRequest[]
  forgotten: (name: string) => number
  readonly usage: { sinks: number, requests: number, bytes: number }
  names: () => Array<{ name: string, requests: number }>
  clear: (name?: string) => void
}

/** Makes up a fresh unique id (a UUID by default; tests may make them predictable). */
export type IdSource = () => string
