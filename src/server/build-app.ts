/**
 * Builds the Fastify app around an Emulator. Never listens: index.ts (or a test with inject) decides that.
 */
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest, type FastifyServerOptions } from 'fastify'
import { DEFAULT_SERVER_TIMEOUTS, type ServerTimeouts } from '../config/limits.js'
import type { Emulator } from '../emulator.js'
import { boundJsonDepth } from './content-types.js'
import { errorHandler } from './error-handler.js'
import { adminRoutes } from './routes/admin.js'
import { publishRoutes } from './routes/publish.js'
import { simulateRoutes } from './routes/simulate.js'
import { sinkRoutes } from './routes/sink.js'
import { tlsRoutes } from './routes/tls.js'

export interface BuildAppOptions {
  logger?: FastifyServerOptions['logger']
  https?: { key: string | Buffer, cert: string | Buffer }
  /** PEM served at GET /admin/tls-cert (--tls auto); without it that route answers 404. */
  tlsCertPem?: string
  /** Listener timeouts (config `server.requestTimeoutMs`, `server.headersTimeoutMs`); defaults in config/limits.ts. */
  timeouts?: Partial<Pick<ServerTimeouts, 'requestTimeoutMs' | 'headersTimeoutMs'>>
}

export function buildApp (emulator: Emulator, options: BuildAppOptions = {}): FastifyInstance {
  const app = Fastify({
    logger: options.logger ?? false,
    // Keep-alive longer than undici's client default so our own deliveries reuse connections to the sink.
    keepAliveTimeout: 72_000, // 72 s
    return503OnClosing: true,
    ...timeoutOptions(options),
    ...(options.https !== undefined ? { https: options.https } : {})
  }) as unknown as FastifyInstance
  applyHeadersTimeout(app, options)
  app.setErrorHandler(errorHandler)
  app.setNotFoundHandler(notFoundHandler)
  boundJsonDepth(app)
  app.get('/healthz', async () => ({ status: 'ok' }))
  void app.register(publishRoutes, { emulator })
  void app.register(simulateRoutes, { emulator })
  void app.register(sinkRoutes, { emulator })
  void app.register(adminRoutes, { emulator })
  void app.register(tlsRoutes, { pem: options.tlsCertPem })
  return app
}

/** The small app a topic with its own `port:` serves: `POST /api/events`, as a real topic endpoint. */
export function buildTopicApp (emulator: Emulator, topic: string, options: BuildAppOptions = {}): FastifyInstance {
  const app = Fastify({ logger: options.logger ?? false, return503OnClosing: true, ...timeoutOptions(options), ...(options.https !== undefined ? { https: options.https } : {}) }) as unknown as FastifyInstance
  applyHeadersTimeout(app, options)
  app.setErrorHandler(errorHandler)
  app.setNotFoundHandler(notFoundHandler)
  boundJsonDepth(app)
  void app.register(publishRoutes, { emulator, fixedTopic: topic })
  return app
}

/** Event Grid answers a wrong host or path with 404; we say which routes exist. */
function notFoundHandler (request: FastifyRequest, reply: FastifyReply): void {
  const path = request.url.split('?')[0] ?? ''
  const message = `No route ${request.method} ${path}. See GET /admin/topics for the topic endpoints.`
  void reply.status(404).send({ error: { code: 'NotFound', message, details: [{ code: 'NotFound', message: 'Wrong host or path.' }] } })
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
