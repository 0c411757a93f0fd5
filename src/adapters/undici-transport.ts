/**
 * HTTP transport over undici with keep-alive connections. Retries are Event Grid's (domain) business, so
 * undici's RetryHandler is not used.
 */
import { Agent, request } from 'undici'
import type { OutboundRequest, Transport, TransportResult } from '../delivery/ports.js'

const MAX_BODY_CHARS = 64 * 1024 // keep at most 64 KiB of a response for the delivery log

export function createUndiciTransport (options: { connections?: number, ca?: string | Buffer } = {}): Transport {
  const agent = new Agent({
    keepAliveTimeout: 10_000,
    connections: options.connections ?? 64,
    ...(options.ca !== undefined ? { connect: { ca: options.ca } } : {})
  })
  return {
    async send (req: OutboundRequest): Promise<TransportResult> {
      const started = performance.now()
      try {
        const res = await request(req.url, {
          method: req.method,
          headers: req.headers,
          body: req.body,
          dispatcher: agent,
          headersTimeout: req.timeoutMs,
          // headersTimeout/bodyTimeout start when the request is sent, so time spent waiting for a free
          // connection does not count against the webhook's 30 s.
          bodyTimeout: req.timeoutMs
        })
        const text = await res.body.text()
        const headers: Record<string, string> = {}
        for (const [k, v] of Object.entries(res.headers)) if (v !== undefined) headers[k] = Array.isArray(v) ? v.join(', ') : v
        return { status: res.statusCode, headers, body: text.slice(0, MAX_BODY_CHARS), durationMs: performance.now() - started }
      } catch (err) {
        return { headers: {}, ...classify(err), durationMs: performance.now() - started }
      }
    },
    async close () { if (!agent.destroyed) await agent.close() },
    async destroy () { if (!agent.destroyed) await agent.destroy() }
  }
}

function classify (err: unknown): Pick<TransportResult, 'error' | 'errorMessage'> {
  const e = err as { code?: string, name?: string, message?: string, cause?: { code?: string } }
  const code = e.code ?? e.cause?.code ?? ''
  const message = e.message ?? String(err)
  if (e.name === 'TimeoutError' || e.name === 'AbortError' || code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT') {
    return { error: 'TimedOut', errorMessage: `no response within the timeout (${message})` }
  }
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return { error: 'ResolutionError', errorMessage: message }
  return { error: 'SocketError', errorMessage: `${code !== '' ? `${code}: ` : ''}${message}` }
}
