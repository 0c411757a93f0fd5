/**
 * Builds the Fastify app around an Emulator. Never listens: index.ts (or a test with inject) decides that.
 */
import Fastify, { LogController, type FastifyInstance, type FastifyReply, type FastifyRequest, type FastifyServerOptions } from 'fastify'
import type { Emulator } from '../emulator.js'
import { errorHandler } from './error-handler.js'
import { adminRoutes } from './routes/admin.js'
import { observeRoutes } from './routes/observe.js'
import { uiRoutes } from './routes/ui.js'
import { publishRoutes } from './routes/publish.js'
import { simulateRoutes } from './routes/simulate.js'
import { sinkRoutes } from './routes/sink.js'
import { tlsRoutes } from './routes/tls.js'

export interface BuildAppOptions {
  logger?: FastifyServerOptions['logger']
  https?: { key: string | Buffer, cert: string | Buffer }
  /** PEM served at GET /admin/tls-cert (--tls auto); without it that route answers 404. */
  tlsCertPem?: string
}

export function buildApp (emulator: Emulator, options: BuildAppOptions = {}): FastifyInstance {
  const app = Fastify({
    logger: options.logger ?? false,
    // Keep-alive longer than undici's client default so our own deliveries reuse connections to the sink.
    keepAliveTimeout: 72_000, // 72 s
    return503OnClosing: true,
    // Fastify's two info lines per request cost a quarter of the CPU per event: one line at debug instead.
    logController: new LogController({ disableRequestLogging: true }),
    ...(options.https !== undefined ? { https: options.https } : {})
  }) as unknown as FastifyInstance
  app.addHook('onResponse', accessLog)
  app.setErrorHandler(errorHandler)
  app.setNotFoundHandler(notFoundHandler)
  app.get('/healthz', async () => ({ status: 'ok' }))
  void app.register(publishRoutes, { emulator })
  void app.register(simulateRoutes, { emulator })
  void app.register(sinkRoutes, { emulator })
  void app.register(adminRoutes, { emulator })
  void app.register(observeRoutes, { emulator })
  void app.register(uiRoutes)
  void app.register(tlsRoutes, { pem: options.tlsCertPem })
  return app
}

/** The small app a topic with its own `port:` serves: `POST /api/events`, as a real topic endpoint. */
export function buildTopicApp (emulator: Emulator, topic: string, options: BuildAppOptions = {}): FastifyInstance {
  const app = Fastify({ logger: options.logger ?? false, return503OnClosing: true, logController: new LogController({ disableRequestLogging: true }), ...(options.https !== undefined ? { https: options.https } : {}) }) as unknown as FastifyInstance
  app.addHook('onResponse', accessLog)
  app.setErrorHandler(errorHandler)
  app.setNotFoundHandler(notFoundHandler)
  void app.register(publishRoutes, { emulator, fixedTopic: topic })
  return app
}

/** One HTTP access line per request, at debug (LOG_LEVEL=debug shows them). */
async function accessLog (request: FastifyRequest, reply: FastifyReply): Promise<void> {
  const log = request.log as FastifyRequest['log'] & { isLevelEnabled?: (level: string) => boolean }
  if (log.isLevelEnabled?.('debug') !== true) return
  request.log.debug({ method: request.method, url: request.url, statusCode: reply.statusCode, durationMs: Math.round(reply.elapsedTime * 10) / 10 }, 'http request')
}

/** Event Grid answers a wrong host or path with 404; we say which routes exist. */
function notFoundHandler (request: FastifyRequest, reply: FastifyReply): void {
  const path = request.url.split('?')[0] ?? ''
  const message = `No route ${request.method} ${path}. See GET /admin/topics for the topic endpoints.`
  void reply.status(404).send({ error: { code: 'NotFound', message, details: [{ code: 'NotFound', message: 'Wrong host or path.' }] } })
}
