/**
 * What the emulator core is built from: the parts the composition root (compose.ts) chooses and hands in.
 */
import type { ResourceLimits } from './config/limits.js'
import type { EmulatorConfig } from './config/types.js'
import type { EngineLogger } from './delivery/engine/types.js'
import type { Clock, DeadLetterStorage, DeliveryLogStore, IdSource, SinkStorage, Transport } from './delivery/ports.js'
import type { PublishLimits } from './domain/publish/rejection.js'
import type { DurableStore } from './durable/durable-store.js'

/** The engine's logger plus `error`: what every component of the core writes to. */
export interface EmulatorLogger extends EngineLogger {
  error: (o: object, m: string) => void
}

/** The stores records are kept in (interfaces in delivery/ports.ts; the composition root picks them). */
export interface EmulatorStores {
  deliveryLog: DeliveryLogStore
  deadLetters: DeadLetterStorage
  sink: SinkStorage
}

/** Everything the core uses from outside, chosen by the composition root (src/compose.ts). */
export interface EmulatorParts {
  clock: Clock
  transport: Transport
  /** Where lifecycle logs go (validation, retries, dead letters, drops). */
  logger: EmulatorLogger
  stores: EmulatorStores
  /** Resource bounds from config `limits` (config/limits.ts). */
  resourceLimits: ResourceLimits
  limits: PublishLimits
  /** Response timeout for deliveries and handshakes, in ms (Event Grid: 30 s). */
  deliveryTimeoutMs: number
  /** Source of ids the emulator makes up (events, handshake codes and tokens). */
  newId: IdSource
  random?: () => number
  /** Durable mode (a data dir): the journal that accepted events, outcomes and runtime subscriptions go to. */
  durable?: DurableStore
}

/** What the delivery engine, the handshake runner and the namespace broker all need from the outside. */
export function deliveryIo (config: EmulatorConfig, parts: EmulatorParts, baseUrl: () => string): { clock: Clock, transport: Transport, newId: IdSource, timeScale: number, timeoutMs: number, baseUrl: () => string, logger: EmulatorLogger } {
  return { clock: parts.clock, transport: parts.transport, newId: parts.newId, timeScale: config.delivery.timeScale, timeoutMs: parts.deliveryTimeoutMs, baseUrl, logger: parts.logger }
}
