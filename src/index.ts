/**
 * Public API: start an emulator in-process (port 0 supported), publish to it, wait for deliveries, close it.
 *
 *   import { startEmulator } from 'eventgrid-emulator'
 *   const eg = await startEmulator({ port: 0 })
 *   await eg.publish('events', [{ id: '1', eventType: 'Demo', subject: 'a', eventTime: new Date().toISOString(), data: {} }])
 *   await eg.close()
 */
import { resolve } from 'node:path'
import type { FastifyInstance } from 'fastify'
import { systemClock } from './adapters/system-clock.js'
import { createUndiciTransport } from './adapters/undici-transport.js'
import { DEFAULT_CONFIG_NAME, DEFAULT_CONFIG_YAML } from './config/default-config.js'
import { DEFAULT_DEAD_LETTER_DIR, loadConfigFile, parseConfig } from './config/load-config.js'
import type { EmulatorConfig } from './config/types.js'
import type { AcceptedEvent, EventGridEvent } from './domain/events.js'
import type { PublishLimits } from './domain/publish/rejection.js'
import type { DeliveryQuery, DeliveryRecord } from './delivery/delivery-log.js'
import type { Clock, Transport } from './delivery/ports.js'
import { Emulator } from './emulator.js'
import { topicNotFound } from './errors.js'
import { buildApp, buildDomainApp, buildNamespaceApp, buildTopicApp, type BuildAppOptions } from './server/build-app.js'
import { applyConfig } from './reload/apply-config.js'
import { ConfigReloader, type ReloadResult } from './reload/reloader.js'
import type { SinkRequest } from './sink/sink-store.js'
import { createLogger, type Logger, type LoggerOption } from './logging.js'
import type { OutboxEntry } from './acs/messaging.js'
import { DEFAULT_SERVER_TIMEOUTS, resolveLimits } from './config/limits.js'
import { DurableStore } from './durable/durable-store.js'
import { deliveryTrust, resolveTls, type ResolvedTls, type TlsOption } from './tls/index.js'

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

export async function resolveConfig (options: Pick<StartOptions, 'config' | 'env' | 'host' | 'port' | 'timeScale' | 'dataDir'>): Promise<EmulatorConfig> {
  const env = options.env ?? process.env
  const base = typeof options.config === 'string'
    ? await loadConfigFile(options.config, env)
    : options.config ?? parseConfig(DEFAULT_CONFIG_YAML, DEFAULT_CONFIG_NAME, env)
  const dataDir = options.dataDir ?? base.server.dataDir
  return {
    ...base,
    server: { ...base.server, host: options.host ?? base.server.host, port: options.port ?? base.server.port, ...(dataDir !== undefined ? { dataDir } : {}) },
    delivery: {
      ...base.delivery,
      timeScale: options.timeScale ?? base.delivery.timeScale,
      deadLetterDir: deadLetterRoot(base.delivery.deadLetterDir, dataDir)
    }
  }
}

/**
 * Where dead-letter containers live. The directory plays the storage account and each container is a folder in
 * it; under a data dir that is `DATA_DIR/blobs` unless deadLetterDir is set, so a container named
 * `dead-letters` does not read `dead-letters/dead-letters/…`.
 */
function deadLetterRoot (configured: string, dataDir: string | undefined): string {
  if (dataDir === undefined) return configured
  return resolve(dataDir, configured === DEFAULT_DEAD_LETTER_DIR ? 'blobs' : configured)
}

export async function startEmulator (options: StartOptions = {}): Promise<RunningEmulator> {
  const config = await resolveConfig(options)
  const tls = options.https === undefined && options.tls !== undefined ? await resolveTls(options.tls, { dataDir: config.server.dataDir }) : undefined
  const https = options.https ?? (tls !== undefined ? { key: tls.key, cert: tls.cert } : undefined)
  const log = createLogger(options.logger)
  if (options.fresh === true && config.server.dataDir === undefined) {
    throw new Error('--fresh discards the journal of a data dir, and none is set: give --data-dir DIR (EVENTGRID_EMULATOR_DATA_DIR) or server.dataDir too.')
  }
  const durable = config.server.dataDir !== undefined ? await openJournal(config, options.fresh === true, log) : undefined
  const emulator = new Emulator(config, {
    ...(durable !== undefined ? { durable } : {}),
    logger: log.child({ component: 'delivery' }),
    clock: options.clock ?? systemClock,
    // Over HTTPS, deliveries to the emulator's own /sink/... must trust its certificate (besides the usual roots).
    transport: options.transport ?? createUndiciTransport(https !== undefined ? { ca: deliveryTrust(https.cert.toString(), options.env ?? process.env) } : {}),
    limits: options.limits,
    deliveryTimeoutMs: options.deliveryTimeoutMs,
    random: options.random
  })
  if (durable !== undefined) {
    const restored = emulator.restoreFromJournal()
    log.info({ component: 'journal', file: durable.file, ...restored }, `journal: resumed ${restored?.pendingEvents ?? 0} pending deliveries, ${restored?.history ?? 0} delivery records, ${restored?.deadLetters ?? 0} dead letters, ${restored?.subscriptions ?? 0} runtime subscriptions`)
  }
  const file = typeof options.config === 'string' ? options.config : undefined
  if (options.watch === true && file === undefined) throw new Error('watching needs a config file: give --config FILE (or EVENTGRID_EMULATOR_CONFIG)')
  let reloader: ConfigReloader | undefined
  const timeouts = { requestTimeoutMs: config.server.requestTimeoutMs, headersTimeoutMs: config.server.headersTimeoutMs }
  const app = buildApp(emulator, { logger: log, https, timeouts, tlsCertPem: tls?.mode === 'auto' ? tls.cert : undefined, ...(file !== undefined ? { reload: async () => await reloader!.reload() } : {}) })
  const portApps = new PortApps(emulator, config.server.host, { logger: log, https, timeouts })
  const scheme = https !== undefined ? 'https' : 'http'
  try {
    await app.listen({ host: config.server.host, port: config.server.port })
    await portApps.sync()
  } catch (err) {
    await Promise.all([app.close(), portApps.close()])
    await emulator.close(0)
    throw err
  }
  if (file !== undefined) {
    const reloadLog = log.child({ component: 'reload' })
    reloader = new ConfigReloader({
      file,
      load: async () => await resolveConfig({ ...options, config: file }),
      apply: async (next) => {
        const diff = applyConfig(emulator, next)
        // A port that cannot be opened is logged; the rest of the reload stands.
        await portApps.sync().catch((err: Error) => { reloadLog.error({ err: err.message }, 'a topic or domain port could not be opened') })
        return diff
      },
      logger: reloadLog
    })
    if (options.watch === true) reloader.watch()
  }
  const address = app.server.address()
  const port = typeof address === 'object' && address !== null ? address.port : config.server.port
  const host = config.server.host === '0.0.0.0' || config.server.host === '::' ? '127.0.0.1' : config.server.host
  const url = `${scheme}://${host.includes(':') ? `[${host}]` : host}:${port}`
  emulator.start(url)

  const topicOrThrow = (name: string): NonNullable<ReturnType<Emulator['topic']>> => {
    const topic = emulator.topic(name)
    if (topic === undefined) throw topicNotFound(name, [...emulator.topics.keys()])
    return topic
  }
  // Every close() call waits for the one shutdown (a second call must not resolve while servers still listen).
  let closing: Promise<void> | undefined
  return {
    url,
    app,
    emulator,
    log,
    // The config in effect: hot reload replaces it.
    get config () { return emulator.config },
    ...(tls !== undefined ? { tls: { mode: tls.mode, certFile: tls.certFile, generated: tls.generated } } : {}),
    publish: (topic, events) => {
      const t = topicOrThrow(topic)
      const ce = t.inputSchema === 'CloudEventSchemaV1_0'
      emulator.checkNesting(events)
      return emulator.publish(t, events, ce ? (Array.isArray(events) ? 'application/cloudevents-batch+json' : 'application/cloudevents+json') : 'application/json')
    },
    simulate: (topic, body) => { emulator.checkNesting(body); return emulator.simulate(topicOrThrow(topic), body, {}) },
    sink: (name) => emulator.sink.get(name),
    deliveries: (query) => emulator.deliveryLog.query(query),
    acsConnectionString: (topic) => {
      const found = emulator.acs.connectionString(topicOrThrow(topic).name, url)
      if (found === undefined) throw new Error(`topic '${topic}' is not an ACS system topic, so it has no ACS data plane`)
      return found
    },
    outbox: (topic) => emulator.acs.list(topicOrThrow(topic).name),
    waitForDeliveries: async (predicate, count = 1, timeoutMs = 10_000) => {
      const found = emulator.deliveryLog.query().filter(predicate)
      if (found.length >= count) return found.slice(0, count)
      return await new Promise((resolve, reject) => {
        const timer = setTimeout(() => { off(); reject(new Error(`waited ${timeoutMs} ms for ${count} matching deliveries, saw ${found.length}`)) }, timeoutMs)
        const off = emulator.deliveryLog.onRecord((r) => {
          let hit: boolean
          try { hit = predicate(r) } catch (err) { clearTimeout(timer); off(); reject(err as Error); return }
          if (!hit) return
          found.push(r)
          if (found.length >= count) { clearTimeout(timer); off(); resolve(found.slice(0, count)) }
        })
      })
    },
    close: async () => {
      closing ??= (async () => {
        reloader?.close()
        // Deliveries in flight may target our own sink, so they finish before the servers stop (shutDown).
        await shutDown([app, ...portApps.list()], emulator, options.shutdownGraceMs ?? config.server.shutdownGraceMs ?? DEFAULT_SERVER_TIMEOUTS.shutdownGraceMs, log)
        portApps.forget()
      })()
      await closing
    },
    publishToDomain: (name, events) => {
      emulator.checkNesting(events)
      const domain = emulator.domain(name)
      if (domain === undefined) throw new Error(`Domain '${name}' is not configured. Configured domains: ${[...emulator.domains.keys()].join(', ') || '(none)'}.`)
      const ce = domain.inputSchema === 'CloudEventSchemaV1_0'
      return emulator.publishToDomain(domain, events, ce ? (Array.isArray(events) ? 'application/cloudevents-batch+json' : 'application/cloudevents+json') : 'application/json').map((e) => e.event)
    },
    reload: async () => {
      if (reloader === undefined) throw new Error('this emulator was not started from a config file, so there is nothing to reload')
      return await reloader.reload()
    },
    onReload: (listener) => reloader?.onReload(listener) ?? (() => {}),
    durable: async () => { await emulator.durable() }
  }
}

/** Durable mode: opens (and replays) DATA_DIR/journal.egj, bounded by the same caps as the in-memory stores. */
async function openJournal (config: EmulatorConfig, fresh: boolean, log: Logger): Promise<DurableStore> {
  const limits = resolveLimits(config.limits)
  const journalLog = log.child({ component: 'journal' })
  const { store, summary } = await DurableStore.open({
    dir: config.server.dataDir!,
    fresh,
    logger: journalLog,
    bounds: { historyRecords: limits.deliveryLog.maxRecords, historyBytes: limits.deliveryLog.maxBytes, deadLetterEntries: limits.deadLetterListing.maxEntries, deadLetterBytes: limits.deadLetterListing.maxBytes }
  })
  journalLog.info({ ...summary, fresh }, `journal: ${summary.file} read (${summary.entries} entries, ${summary.livePairs} pending deliveries) in ${summary.ms} ms`)
  return store
}

/**
 * The extra listeners of topics and domains with their own `port:`. `sync` opens and closes them to match the
 * config in effect (at start and after each reload).
 */
class PortApps {
  private readonly apps = new Map<string, { port: number, app: FastifyInstance }>()

  /** Namespaces as configured at start: a reload does not change them (it reports that they need a restart). */
  private readonly namespaces: NonNullable<EmulatorConfig['namespaces']>

  constructor (private readonly emulator: Emulator, private readonly host: string, private readonly options: { logger: Logger, https: StartOptions['https'], timeouts: BuildAppOptions['timeouts'] }) {
    this.namespaces = emulator.config.namespaces ?? {}
  }

  /** The listeners now open (for shutdown). */
  list (): FastifyInstance[] { return [...this.apps.values()].map((a) => a.app) }

  /** Forgets the listeners after shutDown closed them. */
  forget (): void { this.apps.clear() }

  async sync (): Promise<void> {
    const wanted = new Map<string, { port: number, build: () => FastifyInstance }>()
    for (const t of this.emulator.topics.values()) {
      if (t.config.port !== undefined) wanted.set(`topic:${t.name}`, { port: t.config.port, build: () => buildTopicApp(this.emulator, t.name, { ...this.options, logger: this.options.logger.child({ topic: t.name }) }) })
    }
    for (const d of this.emulator.domains.values()) {
      if (d.config.port !== undefined) wanted.set(`domain:${d.name}`, { port: d.config.port, build: () => buildDomainApp(this.emulator, d.name, { ...this.options, logger: this.options.logger.child({ domain: d.name }) }) })
    }
    for (const [name, ns] of Object.entries(this.namespaces)) {
      if (ns.port !== undefined) wanted.set(`namespace:${name}`, { port: ns.port, build: () => buildNamespaceApp(this.emulator, name, { ...this.options, logger: this.options.logger.child({ namespace: name }) }) })
    }
    for (const [key, { port, app }] of this.apps) {
      if (wanted.get(key)?.port !== port) { this.apps.delete(key); await app.close() }
    }
    // A port that cannot be opened does not keep the others shut: the first failure is thrown once all were tried.
    let failure: unknown
    for (const [key, { port, build }] of wanted) {
      if (this.apps.has(key)) continue
      const app = build()
      try {
        await app.listen({ host: this.host, port })
        this.apps.set(key, { port, app })
      } catch (err) {
        await app.close()
        failure ??= err
      }
    }
    const scheme = this.options.https !== undefined ? 'https' : 'http'
    this.emulator.setPortUrls([...this.apps.values()].map(({ port }) => `${scheme}://127.0.0.1:${port}`))
    if (failure !== undefined) throw failure
  }

  async close (): Promise<void> {
    await Promise.all([...this.apps.values()].map(async ({ app }) => { await app.close() }))
    this.apps.clear()
  }
}

/**
 * Graceful shutdown bounded by `graceMs` whatever the clients do: deliveries in flight may target our own sink, so
 * they finish (or are cut at the grace) before the servers stop; then open requests get what is left of the grace
 * and slow clients are disconnected. Ends with one summary line.
 */
async function shutDown (apps: FastifyInstance[], emulator: Emulator, graceMs: number, log: Logger): Promise<void> {
  const started = Date.now()
  const summary = await emulator.close(graceMs)
  const closing = Promise.all(apps.map(async (a) => { await a.close() }))
  let timer: NodeJS.Timeout | undefined
  const left = Math.max(0, graceMs - (Date.now() - started))
  const cut = await Promise.race([closing.then(() => false), new Promise<boolean>((resolve) => { timer = setTimeout(() => { resolve(true) }, left) })])
  clearTimeout(timer)
  if (cut) {
    for (const a of apps) a.server.closeAllConnections()
    await closing
  }
  log.info({ ...summary, clientConnectionsCut: cut, graceMs, tookMs: Date.now() - started },
    `shutdown: ${summary.inFlightRequests} deliveries were in flight, ${summary.pendingDropped} pending events and ${summary.droppedTotal} events in all recorded as Dropped${cut ? '; slow client connections were cut at the grace' : ''}`)
}

export { Emulator } from './emulator.js'
export type { ReloadResult } from './reload/reloader.js'
export { buildApp } from './server/build-app.js'
export { loadConfigFile, parseConfig, ConfigError, formatConfigProblem } from './config/load-config.js'
export type { DomainConfig, EmulatorConfig, SubscriptionBody, TopicConfig } from './config/types.js'
export type { NamespaceConfig, NamespaceTopicConfig, NamespaceSubscriptionConfig } from './config/namespace-types.js'
export type { EventGridEvent, CloudEvent, AcceptedEvent } from './domain/events.js'
export type { DeliveryRecord, DeliveryQuery } from './delivery/delivery-log.js'
export type { SinkRequest } from './sink/sink-store.js'
export type { OutboxEntry } from './acs/messaging.js'
export type { OutcomeRule } from './domain/acs-messaging/index.js'
export { TlsError, type TlsOption } from './tls/index.js'
export { createLogger, type Logger, type LoggerOption, type LogSettings } from './logging.js'
