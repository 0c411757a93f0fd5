/**
 * Builds the Fastify app around an Emulator. Never listens: index.ts (or a test with inject) decides that.
 */
import { randomUUID } from 'node:crypto'
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance, type FastifyReply, type FastifyRequest, type FastifyServerOptions } from 'fastify'
import type { Emulator } from '../emulator.js'
import { redactSecrets } from '../logging.js'
import { httpLayerError } from '../errors.js'
import { clientErrorHandlerFor, MAX_URI_LENGTH } from './client-error.js'
import { errorHandlerFor, notFoundHandlerFor } from './error-handler.js'
import { canonicalPublishUrl, declarePublishFields, markPublishRequest, markSharedPortPublish } from './publish-context.js'
import { acsRoutes } from './routes/acs.js'
import { acsAdminRoutes } from './routes/acs-admin.js'
import { DEFAULT_SERVER_TIMEOUTS, type ServerTimeouts } from '../config/limits.js'
import { boundJsonDepth } from './content-types.js'
import { adminRoutes } from './routes/admin.js'
import { adminDomainRoutes } from './routes/admin-domains.js'
import { adminReloadRoutes } from './routes/admin-reload.js'
import type { ReloadResult } from '../reload/reloader.js'
import { domainPublishRoutes } from './routes/domain-publish.js'
import { observeRoutes } from './routes/observe.js'
import { uiRoutes } from './routes/ui.js'
import { publishRoutes } from './routes/publish.js'
import { requestLogger } from './request-logger.js'
import { namespaceRoutes } from './routes/namespaces.js'
import { adminNamespaceRoutes } from './routes/admin-namespaces.js'
import { simulateRoutes } from './routes/simulate.js'
import { sinkRoutes } from './routes/sink.js'
import { tlsRoutes } from './routes/tls.js'
import { lazySchemaCompilers } from './schema-compilers.js'

export interface BuildAppOptions {
  /** The composition root's logger (index.ts); without one the app logs nothing. */
  logger?: FastifyBaseLogger
  https?: { key: string | Buffer, cert: string | Buffer }
  /** PEM served at GET /admin/tls-cert (--tls auto); without it that route answers 404. */
  tlsCertPem?: string
  /** Re-reads the config file (POST /admin/reload); without it that route answers 409. */
  reload?: () => Promise<ReloadResult>
  /** Listener timeouts (config `server.requestTimeoutMs`, `server.headersTimeoutMs`); defaults in config/limits.ts. */
  timeouts?: Partial<Pick<ServerTimeouts, 'requestTimeoutMs' | 'headersTimeoutMs'>>
}

export function buildApp (emulator: Emulator, options: BuildAppOptions = {}): FastifyInstance {
  const app = Fastify({
    ...loggerOption(options),
    // Keep-alive longer than undici's client default so our own deliveries reuse connections to the sink.
    keepAliveTimeout: 72_000, // 72 s
    return503OnClosing: true,
    ...NO_PLUGIN_TIMEOUT,
    ...wireOptions(false, () => emulator.now()),
    // Fastify's two info lines per request cost a quarter of the CPU per event: one line at debug instead.
    logController: new LogController({ disableRequestLogging: true }),
    // request.log is made when a line is written, not for every request (./request-logger.ts).
    childLoggerFactory: requestLogger,
    ...timeoutOptions(options),
    ...(options.https !== undefined ? { https: options.https } : {})
  }) as unknown as FastifyInstance
  applyHeadersTimeout(app, options)
  declarePublishFields(app)
  app.addHook('onResponse', accessLog)
  app.setErrorHandler(errorHandlerFor(() => emulator.now()))
  app.setNotFoundHandler(notFoundHandlerFor(() => emulator.now()))
  app.addHook('onRequest', markSharedPortPublish)
  app.addHook('onRequest', checkUriLength)
  boundJsonDepth(app)
  app.get('/healthz', async () => ({ status: 'ok' }))
  void app.register(publishRoutes, { emulator })
  void app.register(simulateRoutes, { emulator })
  void app.register(sinkRoutes, { emulator })
  void app.register(adminRoutes, { emulator })
  void app.register(domainPublishRoutes, { emulator })
  void app.register(adminDomainRoutes, { emulator })
  void app.register(adminReloadRoutes, { reload: options.reload })
  void app.register(observeRoutes, { emulator })
  void app.register(uiRoutes)
  void app.register(tlsRoutes, { pem: options.tlsCertPem })
  void app.register(acsRoutes, { emulator })
  void app.register(acsAdminRoutes, { emulator })
  void app.register(namespaceRoutes, { emulator })
  void app.register(adminNamespaceRoutes, { emulator })
  return app
}

/**
 * What every extra listener (a topic's, a domain's or a namespace's own `port:`) shares with the main app:
 * logger, timeouts, request ids, Event Grid's error bodies, the JSON nesting bound, the URI length check. A
 * publish endpoint (topic, domain) marks every request, so all its answers are Azure-shaped.
 */
function buildPortApp (options: BuildAppOptions, publishEndpoint: boolean, now: () => Date): FastifyInstance {
  const app = Fastify({
    ...loggerOption(options),
    return503OnClosing: true,
    ...NO_PLUGIN_TIMEOUT,
    ...timeoutOptions(options),
    ...wireOptions(publishEndpoint, now),
    logController: new LogController({ disableRequestLogging: true }),
    childLoggerFactory: requestLogger,
    ...(options.https !== undefined ? { https: options.https } : {})
  }) as unknown as FastifyInstance
  applyHeadersTimeout(app, options)
  declarePublishFields(app)
  app.addHook('onResponse', accessLog)
  app.setErrorHandler(errorHandlerFor(now))
  app.setNotFoundHandler(notFoundHandlerFor(now))
  if (publishEndpoint) app.addHook('onRequest', (request, reply, done) => { markPublishRequest(request, reply); done() })
  app.addHook('onRequest', checkUriLength)
  boundJsonDepth(app)
  return app
}

/** The app a namespace with its own `port:` serves: its data plane at the root, like a real namespace host. */
export function buildNamespaceApp (emulator: Emulator, namespace: string, options: BuildAppOptions = {}): FastifyInstance {
  const app = buildPortApp(options, false, () => emulator.now())
  void app.register(namespaceRoutes, { emulator, fixedNamespace: namespace })
  return app
}

/** The small app a topic with its own `port:` serves: `POST /api/events`, as a real topic endpoint. */
export function buildTopicApp (emulator: Emulator, topic: string, options: BuildAppOptions = {}): FastifyInstance {
  const app = buildPortApp(options, true, () => emulator.now())
  void app.register(publishRoutes, { emulator, fixedTopic: topic })
  // An ACS topic's own port is that resource's data-plane endpoint too; only its key signs there.
  if (emulator.topic(topic)?.isSystem === true) void app.register(acsRoutes, { emulator, fixedTopic: topic })
  return app
}

/** The small app a domain with its own `port:` serves: `POST /api/events`, as a real domain endpoint. */
export function buildDomainApp (emulator: Emulator, domain: string, options: BuildAppOptions = {}): FastifyInstance {
  const app = buildPortApp(options, true, () => emulator.now())
  void app.register(domainPublishRoutes, { emulator, fixedDomain: domain })
  return app
}

function loggerOption (options: BuildAppOptions): { loggerInstance: FastifyBaseLogger } | { logger: false } {
  return options.logger !== undefined ? { loggerInstance: options.logger } : { logger: false }
}

/**
 * What makes the apps answer like Azure's endpoint on the wire: a new GUID per request (the `x-ms-request-id`,
 * also the `reqId` of every log line for that request), publish paths in any case and with a trailing slash,
 * and Event Grid's error body for errors Node's HTTP parser raises.
 */
function wireOptions (fixedTopic: boolean, now: () => Date): Pick<FastifyServerOptions, 'genReqId' | 'rewriteUrl' | 'clientErrorHandler' | 'frameworkErrors' | 'schemaController'> {
  return {
    ...lazySchemaCompilers(),
    genReqId: () => randomUUID(),
    rewriteUrl: (req) => canonicalPublishUrl(req.url ?? '/', fixedTopic),
    clientErrorHandler: clientErrorHandlerFor(now),
    // A URL that cannot be decoded never reaches the hooks: answered here, in Event Grid's body.
    frameworkErrors: (err, request, reply) => {
      if (fixedTopic) markPublishRequest(request, reply)
      errorHandlerFor(now)(err, request, reply)
    }
  }
}

/**
 * No watchdog on plugin loading: avvio arms (and clears) a timer for each plugin while the app boots, about 4 ms of
 * every start for the 14 route plugins (`ready()` in-process: 31.3 → 27.5 ms, medians of 6). The watchdog only
 * turns a plugin that never finishes loading into an error; ours register routes and wait on nothing.
 */
const NO_PLUGIN_TIMEOUT = { pluginTimeout: 0 } as const

/** A callback hook (it runs on every request): what it throws is answered as a rejected promise would be. */
function checkUriLength (request: FastifyRequest, _reply: FastifyReply, done: () => void): void {
  if (request.originalUrl.length > MAX_URI_LENGTH) {
    throw httpLayerError(414, 'RequestUriTooLong', `The request URI is ${request.originalUrl.length} characters long; at most ${MAX_URI_LENGTH} are accepted.`)
  }
  done()
}

/**
 * A request (headers and body) must arrive within `requestTimeoutMs`, so a client trickling bytes cannot hold a
 * connection — or shutdown — open forever. Node enforces it on its connection check, every 30 s.
 */
function timeoutOptions (options: BuildAppOptions): { requestTimeout: number } {
  return { requestTimeout: options.timeouts?.requestTimeoutMs ?? DEFAULT_SERVER_TIMEOUTS.requestTimeoutMs }
}

function applyHeadersTimeout (app: FastifyInstance, options: BuildAppOptions): void {
  const headers = options.timeouts?.headersTimeoutMs ?? DEFAULT_SERVER_TIMEOUTS.headersTimeoutMs
  const request = options.timeouts?.requestTimeoutMs ?? DEFAULT_SERVER_TIMEOUTS.requestTimeoutMs
  // Node requires headersTimeout <= requestTimeout.
  app.server.headersTimeout = Math.min(headers, request)
}

/**
 * One HTTP access line per request, at debug (LOG_LEVEL=debug shows them). A callback hook, not an async one: at
 * the default level it returns at once, without a promise per request.
 */
function accessLog (request: FastifyRequest, reply: FastifyReply, done: () => void): void {
  const log = request.log as FastifyRequest['log'] & { isLevelEnabled?: (level: string) => boolean }
  if (log.isLevelEnabled?.('debug') !== true) { done(); return }
  request.log.debug({ method: request.method, url: redactSecrets(request.url), statusCode: reply.statusCode, durationMs: Math.round(reply.elapsedTime * 10) / 10 }, 'http request')
  done()
}
