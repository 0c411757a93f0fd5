/**
 * Public API: start an emulator in-process (port 0 supported), publish to it, wait for deliveries, close it.
 *
 *   import { startEmulator } from 'eventgrid-emulator'
 *   const eg = await startEmulator({ port: 0 })
 *   await eg.publish('events', [{ id: '1', eventType: 'Demo', subject: 'a', eventTime: new Date().toISOString(), data: {} }])
 *   await eg.close()
 *
 * This file is the package's whole surface (docs/node-api.md): functions, error classes and types. The core
 * (`Emulator`) is exported as a type only — build one through `composeEmulator`, the composition root.
 */
import { provideValidators } from './config/load-validators.js'
import * as validators from './config/validators.js'
import type { FastifyInstance } from 'fastify'
import type { OutboxEntry } from './acs/messaging.js'
import type { EmulatorConfig } from './config/types.js'
import type { DeliveryQuery, DeliveryRecord } from './delivery/delivery-log.js'
import type { Clock, Transport } from './delivery/ports.js'
import type { AcceptedEvent, EventGridEvent } from './domain/events.js'
import type { PublishLimits } from './domain/publish/rejection.js'
import type { Emulator } from './emulator.js'
import type { Logger, LoggerOption } from './logging.js'
import type { ReloadResult } from './reload/reloader.js'
import type { SinkRequest } from './sink/sink-store.js'
import type { ResolvedTls, TlsOption } from './tls/index.js'

export interface StartOptions {
  /** A config object, a path to a YAML file, or nothing for the built-in default. */
  config?: EmulatorConfig | string
  host?: string
  /** 0 picks a free port. */
  port?: number
  timeScale?: number
  dataDir?: string
  /**
   * Logging: nothing or `false` = silent (the default for the API), `true` = info-level JSON lines on stdout,
   * `{ level, pretty, stream }`, or a pino logger of your own. One logger serves HTTP and delivery lines.
   */
  logger?: LoggerOption
  https?: { key: string | Buffer, cert: string | Buffer }
  /**
   * Serve HTTPS: `'auto'` = a self-signed certificate for localhost/127.0.0.1/::1, cached in `<dataDir>/tls/`
   * (default ./.eventgrid-emulator/tls/) and served at GET /admin/tls-cert; or PEM files. Ignored when `https` is given.
   */
  tls?: TlsOption
  /** Advanced: replace the clock or the HTTP transport (tests), or the publish limits. */
  clock?: Clock
  transport?: Transport
  limits?: Partial<PublishLimits>
  deliveryTimeoutMs?: number
  /** Source of jitter in [0, 1); `() => 0` makes retry delays exact. */
  random?: () => number
  /** How long close() waits for in-flight deliveries, in ms (default 10 s). */
  shutdownGraceMs?: number
  env?: Record<string, string | undefined>
  /** Watch the config file (a path in `config`) and apply its changes without a restart (`serve --watch`). */
  watch?: boolean
  /** With a data dir: discard the journal before starting (`serve --fresh`), so nothing from before is resumed. */
  fresh?: boolean
}

export interface RunningEmulator {
  /** Base URL, e.g. http://127.0.0.1:43121 */
  url: string
  app: FastifyInstance
  emulator: Emulator
  /** The logger every component writes to. */
  log: Logger
  config: EmulatorConfig
  /** Set when serving HTTPS from `tls`: the mode and the certificate file (to trust with NODE_EXTRA_CA_CERTS). */
  tls?: Pick<ResolvedTls, 'mode' | 'certFile' | 'generated'>
  /** Publishes events to a topic through the same validation and delivery pipeline as HTTP publishing. */
  publish: (topic: string, events: unknown[] | Record<string, unknown>) => AcceptedEvent[]
  /** Generates synthetic ACS events on a system topic (same body as POST /topics/{topic}/simulate). */
  simulate: (topic: string, body: unknown) => EventGridEvent[]
  /** What the built-in sink `name` received. */
  sink: (name: string) => SinkRequest[]
  /** Delivery-log records matching the query. */
  deliveries: (query?: DeliveryQuery) => DeliveryRecord[]
  /** The connection string the ACS SDKs use for an ACS topic's data plane (`endpoint=…/;accesskey=…`). */
  acsConnectionString: (topic: string) => string
  /** What the app sent through an ACS topic's data plane, with the report events produced so far. */
  outbox: (topic: string) => OutboxEntry[]
  /** Resolves with the first `count` records matching `predicate` (past or future), or rejects after timeoutMs. */
  waitForDeliveries: (predicate: (r: DeliveryRecord) => boolean, count?: number, timeoutMs?: number) => Promise<DeliveryRecord[]>
  close: () => Promise<void>
  /** Publishes events to an event domain (each names its domain topic), as POST /domains/{domain}/api/events. */
  publishToDomain: (domain: string, events: unknown[] | Record<string, unknown>) => AcceptedEvent[]
  /** Re-reads the config file and applies what changed (POST /admin/reload); fails when started without a file. */
  reload: () => Promise<ReloadResult>
  /** Called after every reload (watch or request), successful or not; returns the unsubscribe function. */
  onReload: (listener: (result: ReloadResult) => void) => () => void
  /**
   * Resolves once every event accepted so far is on disk: with a data dir, `await eg.durable()` after `publish`
   * gives the in-process API the guarantee an HTTP 200 gives. Resolves at once without a data dir.
   */
  durable: () => Promise<void>
}

export { composeEmulator, startEmulator, type CoreChoices } from './compose.js'
export { resolveConfig } from './config/resolve-config.js'
export type { Emulator } from './emulator.js'
export type { LifecycleState } from './lifecycle.js'
export type { ReloadResult } from './reload/reloader.js'
export { buildApp } from './server/build-app.js'
export { loadConfigFile, parseConfig, ConfigError, formatConfigProblem } from './config/load-config.js'

// The library's parseConfig is synchronous, so this entry loads the config validators anyway: hand them to the
// core's synchronous subscription check, so that `composeEmulator(...).putSubscription(...)` works without
// startEmulator. (The CLI does not import this file: `serve` loads them only after listening.)
provideValidators(validators)
export type { DomainConfig, EmulatorConfig, SubscriptionBody, TopicConfig } from './config/types.js'
export type { NamespaceConfig, NamespaceTopicConfig, NamespaceSubscriptionConfig } from './config/namespace-types.js'
export type { EventGridEvent, CloudEvent, AcceptedEvent } from './domain/events.js'
export type { DeliveryRecord, DeliveryQuery } from './delivery/delivery-log.js'
export type { Clock, Transport } from './delivery/ports.js'
export type { SinkRequest } from './sink/sink-store.js'
export type { OutboxEntry } from './acs/messaging.js'
export type { OutcomeRule } from './domain/acs-messaging/index.js'
export { EmulatorError } from './errors.js'
export { TlsError, type TlsOption } from './tls/index.js'
export { createLogger, type Logger, type LoggerOption, type LogSettings } from './logging.js'
