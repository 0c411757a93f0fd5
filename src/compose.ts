/**
 * The composition root: the one place that chooses the clock, the HTTP transport, the stores (delivery log, dead
 * letters, sink) and the logger, and builds the core from them. `startEmulator` (below) and the test helpers
 * both come through here, so a durable store or another transport is a change in this file only.
 */
import { randomUUID } from 'node:crypto'
import { resolve } from 'node:path'
import { systemClock } from './adapters/system-clock.js'
import { createUndiciTransport } from './adapters/undici-transport.js'
import { DEFAULT_SERVER_TIMEOUTS, resolveLimits } from './config/limits.js'
import { loadValidators } from './config/load-validators.js'
import { resolveConfig } from './config/resolve-config.js'
import type { EmulatorConfig } from './config/types.js'
import { DeadLetterStore } from './delivery/dead-letter-store.js'
import { DeliveryLog } from './delivery/delivery-log.js'
import type { Clock, IdSource, Transport } from './delivery/ports.js'
import { DEFAULT_LIMITS, type PublishLimits } from './domain/publish/rejection.js'
import { Emulator } from './emulator.js'
import type { EmulatorLogger, EmulatorStores } from './emulator-parts.js'
import { freshNeedsDataDir, watchNeedsFile } from './errors.js'
import { createLogger, type Logger } from './logging.js'
import { DurableStore } from './durable/durable-store.js'
import { emulatorTarget, restoreFromJournal } from './durable/restore.js'
import { applyConfig } from './reload/apply-config.js'
import { ConfigReloader } from './reload/reloader.js'
import { PortApps } from './runtime/port-apps.js'
import { runningEmulator } from './runtime/running-emulator.js'
import type { RunningEmulator, StartOptions } from './index.js'
import { buildApp } from './server/build-app.js'
import { SinkStore } from './sink/sink-store.js'

export interface CoreChoices {
  /** Default: the system clock. Tests pass a manual clock to drive back-off without sleeping. */
  clock?: Clock
  /** Default: undici, trusting `trustCa` besides the usual roots. */
  transport?: Transport
  /** A PEM certificate deliveries must trust (the emulator's own, when it serves HTTPS). */
  trustCa?: string
  /** Default: silent. */
  logger?: EmulatorLogger
  /** Publish limits (Event Grid's by default). */
  limits?: Partial<PublishLimits>
  /** Response timeout for deliveries and handshakes (default 30 s, as Event Grid). */
  deliveryTimeoutMs?: number
  random?: () => number
  /** Default: random UUIDs. */
  newId?: IdSource
  /** Replace a store (default: bounded memory delivery log and sink, dead letters as files). */
  stores?: Partial<EmulatorStores>
  /** Durable mode: the opened journal (see openJournal). */
  durable?: DurableStore
}

const SILENT: EmulatorLogger = { info: () => {}, warn: () => {}, error: () => {} }

/** Event Grid waits 30 s for a webhook's response. */
export const DEFAULT_DELIVERY_TIMEOUT_MS = 30_000

/** The core with every part chosen: never listens (server/build-app.ts serves it). */
export function composeEmulator (config: EmulatorConfig, choices: CoreChoices = {}): Emulator {
  const resourceLimits = resolveLimits(config.limits)
  const durable = choices.durable
  let deadLetters = choices.stores?.deadLetters
  if (deadLetters === undefined) {
    const files = new DeadLetterStore(resolve(config.delivery.deadLetterDir), resourceLimits.deadLetterListing)
    // Durable mode: the dead-letter listing is journaled as it grows, so GET /admin/dead-letters survives a restart.
    if (durable !== undefined) files.onEntry = (entry) => { durable.deadLettered(entry) }
    deadLetters = files
  }
  const stores: EmulatorStores = {
    deliveryLog: choices.stores?.deliveryLog ?? new DeliveryLog(resourceLimits.deliveryLog.maxRecords, resourceLimits.deliveryLog.maxBytes),
    deadLetters,
    sink: choices.stores?.sink ?? new SinkStore(resourceLimits.sink)
  }
  return new Emulator(config, {
    clock: choices.clock ?? systemClock,
    transport: choices.transport ?? createUndiciTransport(choices.trustCa !== undefined ? { ca: choices.trustCa } : {}),
    logger: choices.logger ?? SILENT,
    stores,
    resourceLimits,
    limits: { ...DEFAULT_LIMITS, ...choices.limits },
    deliveryTimeoutMs: choices.deliveryTimeoutMs ?? DEFAULT_DELIVERY_TIMEOUT_MS,
    newId: choices.newId ?? randomUUID,
    random: choices.random,
    ...(durable !== undefined ? { durable } : {})
  })
}

/* ---------------------------------------------------------------- the whole emulator, listening */

export async function startEmulator (options: StartOptions = {}): Promise<RunningEmulator> {
  const config = await resolveConfig(options)
  // The TLS code (and node:tls with it) is loaded only for a server that serves HTTPS: a plain HTTP start, the
  // usual case, does without it (cold start, docs/performance.md).
  const tlsCode = options.https !== undefined || options.tls !== undefined ? await import('./tls/index.js') : undefined
  const tls = options.https === undefined && options.tls !== undefined ? await tlsCode!.resolveTls(options.tls, { dataDir: config.server.dataDir }) : undefined
  const https = options.https ?? (tls !== undefined ? { key: tls.key, cert: tls.cert } : undefined)
  const log = createLogger(options.logger)
  if (options.fresh === true && config.server.dataDir === undefined) throw freshNeedsDataDir()
  const durable = config.server.dataDir !== undefined ? await openJournal(config, options.fresh === true, log) : undefined
  const emulator = composeEmulator(config, {
    ...(durable !== undefined ? { durable } : {}),
    logger: log.child({ component: 'delivery' }),
    clock: options.clock,
    transport: options.transport,
    // Over HTTPS, deliveries to the emulator's own /sink/... must trust its certificate (besides the usual roots).
    ...(https !== undefined ? { trustCa: tlsCode!.deliveryTrust(https.cert.toString(), options.env ?? process.env) } : {}),
    limits: options.limits,
    deliveryTimeoutMs: options.deliveryTimeoutMs,
    random: options.random
  })
  if (durable !== undefined) {
    // Restoring re-validates the journal's runtime subscriptions (SubscriptionRegistry.put, synchronous), so only
    // a journal holding one needs the validators before listening; without one they load after, as without a data
    // dir (the Docker image always has one).
    if ([...durable.state.subscriptions.values()].some((body) => body !== null)) await loadValidators()
    const journalLog = log.child({ component: 'journal' })
    const restored = restoreFromJournal(durable, emulatorTarget(emulator, () => (options.clock ?? systemClock).now(), (o, m) => { journalLog.warn(o, m) }))
    journalLog.info({ file: durable.file, ...restored }, `journal: resumed ${restored.pendingEvents} pending deliveries, ${restored.history} delivery records, ${restored.deadLetters} dead letters, ${restored.subscriptions} runtime subscriptions`)
  }
  const file = typeof options.config === 'string' ? options.config : undefined
  if (options.watch === true && file === undefined) throw watchNeedsFile()
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

  return runningEmulator({
    url,
    app,
    emulator,
    log,
    tls,
    portApps,
    reloader,
    shutdownGraceMs: options.shutdownGraceMs ?? config.server.shutdownGraceMs ?? DEFAULT_SERVER_TIMEOUTS.shutdownGraceMs
  })
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
