/**
 * Resource bounds (config key `limits`, and the `server` timeouts): how much a long-running emulator may hold, so
 * no client — however busy or hostile — can grow it without limit. Each bound is documented in docs/limits.md.
 */

export interface SinkLimits {
  /** Distinct sink names kept; recording to one more forgets the least recently written sink. */
  maxSinks: number
  /** Requests kept per sink (oldest forgotten first). */
  maxRequestsPerSink: number
  /** Largest request body a sink accepts; larger ones get 413. */
  maxRequestBytes: number
  /** Bytes of bodies kept over all sinks (oldest requests forgotten first). */
  maxTotalBytes: number
}

export interface ResourceLimits {
  /** Accepted events per topic that have no final outcome yet; beyond it publish answers 503 + Retry-After. */
  maxPendingEventsPerTopic: number
  sink: SinkLimits
  deliveryLog: { maxRecords: number, maxBytes: number }
  deadLetterListing: { maxEntries: number, maxBytes: number }
}

export type LimitsConfig = Partial<Omit<ResourceLimits, 'sink' | 'deliveryLog' | 'deadLetterListing'>> & {
  sink?: Partial<SinkLimits>
  deliveryLog?: Partial<ResourceLimits['deliveryLog']>
  deadLetterListing?: Partial<ResourceLimits['deadLetterListing']>
}

const MiB = 1024 * 1024

export const DEFAULT_RESOURCE_LIMITS: ResourceLimits = {
  maxPendingEventsPerTopic: 100_000,
  sink: {
    maxSinks: 1000,
    maxRequestsPerSink: 10_000,
    // A webhook body Event Grid sends is at most about 1 MB (one maximum-size event plus its stamped envelope);
    // the extra 128 KiB covers that envelope and a batch's overshoot of its soft size target.
    maxRequestBytes: MiB + 128 * 1024,
    maxTotalBytes: 256 * MiB
  },
  deliveryLog: { maxRecords: 100_000, maxBytes: 64 * MiB },
  deadLetterListing: { maxEntries: 10_000, maxBytes: 64 * MiB }
}

export function resolveLimits (config: LimitsConfig | undefined): ResourceLimits {
  const d = DEFAULT_RESOURCE_LIMITS
  return {
    maxPendingEventsPerTopic: config?.maxPendingEventsPerTopic ?? d.maxPendingEventsPerTopic,
    sink: { ...d.sink, ...config?.sink },
    deliveryLog: { ...d.deliveryLog, ...config?.deliveryLog },
    deadLetterListing: { ...d.deadLetterListing, ...config?.deadLetterListing }
  }
}

/** HTTP listener timeouts (config `server.*`): they let shutdown finish whatever the clients do. */
export interface ServerTimeouts {
  /** Time to receive a whole request, headers and body (Node's `server.requestTimeout`). */
  requestTimeoutMs: number
  /** Time to receive the request headers (Node's `server.headersTimeout`). */
  headersTimeoutMs: number
  /** How long shutdown waits for in-flight deliveries and open requests before cutting them. */
  shutdownGraceMs: number
}

export const DEFAULT_SERVER_TIMEOUTS: ServerTimeouts = { requestTimeoutMs: 30_000, headersTimeoutMs: 10_000, shutdownGraceMs: 10_000 }

const positiveInt = { type: 'integer', minimum: 1 } as const

/** JSON Schema fragment for `limits` (appended to the config schema). */
export const limitsSchema = {
  type: 'object',
  description: 'Resource bounds; see config/limits.ts for the defaults.',
  additionalProperties: false,
  properties: {
    maxPendingEventsPerTopic: positiveInt,
    sink: {
      type: 'object',
      additionalProperties: false,
      properties: { maxSinks: positiveInt, maxRequestsPerSink: positiveInt, maxRequestBytes: { type: 'integer', minimum: 1024 }, maxTotalBytes: { type: 'integer', minimum: 1024 } }
    },
    deliveryLog: { type: 'object', additionalProperties: false, properties: { maxRecords: positiveInt, maxBytes: { type: 'integer', minimum: 1024 } } },
    deadLetterListing: { type: 'object', additionalProperties: false, properties: { maxEntries: positiveInt, maxBytes: { type: 'integer', minimum: 1024 } } }
  }
} as const

/** JSON Schema properties for the `server` timeouts. Node counts timeouts in whole milliseconds; 0 would disable them. */
export const serverTimeoutProperties = {
  requestTimeoutMs: { type: 'integer', minimum: 1000, maximum: 3_600_000 },
  headersTimeoutMs: { type: 'integer', minimum: 1000, maximum: 3_600_000 },
  shutdownGraceMs: { type: 'integer', minimum: 0, maximum: 600_000 }
} as const
