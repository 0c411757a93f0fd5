/**
 * What the delivery engine needs from the outside world. Adapters implement these; tests may pass their own
 * clock to drive back-off without sleeping.
 */
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
