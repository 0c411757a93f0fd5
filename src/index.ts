/**
 * Public API: start an emulator in-process (port 0 supported), publish to it, wait for deliveries, close it.
 *
 *   import { startEmulator } from 'eventgrid-emulator'
 *   const eg = await startEmulator({ port: 0 })
 *   await eg.publish('events', [{ id: '1', eventType: 'Demo', subject: 'a', eventTime: new Date().toISOString(), data: {} }])
 *   await eg.close()
 */
import { resolve } from 'node:path'
import type { FastifyInstance, FastifyServerOptions } from 'fastify'
import { systemClock } from './adapters/system-clock.js'
import { createUndiciTransport } from './adapters/undici-transport.js'
import { DEFAULT_CONFIG_NAME, DEFAULT_CONFIG_YAML } from './config/default-config.js'
import { loadConfigFile, parseConfig } from './config/load-config.js'
import type { EmulatorConfig } from './config/types.js'
import type { AcceptedEvent, EventGridEvent } from './domain/events.js'
import type { PublishLimits } from './domain/publish/rejection.js'
import type { DeliveryQuery, DeliveryRecord } from './delivery/delivery-log.js'
import type { Clock, Transport } from './delivery/ports.js'
import { Emulator } from './emulator.js'
import { topicNotFound } from './errors.js'
import { buildApp, buildTopicApp } from './server/build-app.js'
import type { SinkRequest } from './sink/sink-store.js'
import { DEFAULT_SERVER_TIMEOUTS } from './config/limits.js'
import { deliveryTrust, resolveTls, type ResolvedTls, type TlsOption } from './tls/index.js'

export interface StartOptions {
  /** A config object, a path to a YAML file, or nothing for the built-in default. */
  config?: EmulatorConfig | string
  host?: string
  /** 0 picks a free port. */
  port?: number
  timeScale?: number
  dataDir?: string
  /** Fastify/pino logger options; silent by default. */
  logger?: FastifyServerOptions['logger']
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
}

export interface RunningEmulator {
  /** Base URL, e.g. http://127.0.0.1:43121 */
  url: string
  app: FastifyInstance
  emulator: Emulator
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
  /** Resolves with the first `count` records matching `predicate` (past or future), or rejects after timeoutMs. */
  waitForDeliveries: (predicate: (r: DeliveryRecord) => boolean, count?: number, timeoutMs?: number) => Promise<DeliveryRecord[]>
  close: () => Promise<void>
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
      deadLetterDir: dataDir !== undefined ? resolve(dataDir, base.delivery.deadLetterDir) : base.delivery.deadLetterDir
    }
  }
}

export async function startEmulator (options: StartOptions = {}): Promise<RunningEmulator> {
  const config = await resolveConfig(options)
  const tls = options.https === undefined && options.tls !== undefined ? await resolveTls(options.tls, { dataDir: config.server.dataDir }) : undefined
  const https = options.https ?? (tls !== undefined ? { key: tls.key, cert: tls.cert } : undefined)
  const emulator = new Emulator(config, {
    clock: options.clock ?? systemClock,
    // Over HTTPS, deliveries to the emulator's own /sink/... must trust its certificate (besides the usual roots).
    transport: options.transport ?? createUndiciTransport(https !== undefined ? { ca: deliveryTrust(https.cert.toString(), options.env ?? process.env) } : {}),
    limits: options.limits,
    deliveryTimeoutMs: options.deliveryTimeoutMs,
    random: options.random
  })
  const timeouts = { requestTimeoutMs: config.server.requestTimeoutMs, headersTimeoutMs: config.server.headersTimeoutMs }
  const app = buildApp(emulator, { logger: options.logger, https, tlsCertPem: tls?.mode === 'auto' ? tls.cert : undefined, timeouts })
  emulator.attachLogger(app.log.child({ component: 'delivery' }))
  const topicApps: FastifyInstance[] = []
  const scheme = https !== undefined ? 'https' : 'http'
  try {
    await app.listen({ host: config.server.host, port: config.server.port })
    for (const topic of emulator.topics.values()) {
      if (topic.config.port === undefined) continue
      const topicApp = buildTopicApp(emulator, topic.name, { logger: options.logger, https, timeouts })
      topicApps.push(topicApp)
      await topicApp.listen({ host: config.server.host, port: topic.config.port })
    }
  } catch (err) {
    await Promise.all([app, ...topicApps].map(async (a) => { await a.close() }))
    await emulator.close(0)
    throw err
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
  let closed = false
  return {
    url,
    app,
    emulator,
    config,
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
      if (closed) return
      closed = true
      await shutDown([app, ...topicApps], emulator, options.shutdownGraceMs ?? config.server.shutdownGraceMs ?? DEFAULT_SERVER_TIMEOUTS.shutdownGraceMs)
    }
  }
}

/**
 * Graceful shutdown bounded by `graceMs` whatever the clients do: deliveries in flight may target our own sink, so
 * they finish (or are cut at the grace) before the servers stop; then open requests get what is left of the grace
 * and slow clients are disconnected. Ends with one summary line.
 */
async function shutDown (apps: FastifyInstance[], emulator: Emulator, graceMs: number): Promise<void> {
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
  apps[0]?.log.info({ ...summary, clientConnectionsCut: cut, graceMs, tookMs: Date.now() - started },
    `shutdown: ${summary.inFlightRequests} deliveries were in flight, ${summary.pendingDropped} pending events and ${summary.droppedTotal} events in all recorded as Dropped${cut ? '; slow client connections were cut at the grace' : ''}`)
}

export { Emulator } from './emulator.js'
export { buildApp } from './server/build-app.js'
export { loadConfigFile, parseConfig, ConfigError, formatConfigProblem } from './config/load-config.js'
export type { EmulatorConfig, SubscriptionBody, TopicConfig } from './config/types.js'
export type { EventGridEvent, CloudEvent, AcceptedEvent } from './domain/events.js'
export type { DeliveryRecord, DeliveryQuery } from './delivery/delivery-log.js'
export type { SinkRequest } from './sink/sink-store.js'
export { TlsError, type TlsOption } from './tls/index.js'
