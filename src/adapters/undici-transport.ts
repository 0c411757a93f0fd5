/**
 * HTTP transport over undici with keep-alive connections. Retries are Event Grid's (domain) business, so
 * undici's RetryHandler is not used.
 *
 * One undici Pool per destination origin, and each endpoint URL parsed once: `request(url)` parses the URL and
 * looks the origin up in an Agent on every call, which was a visible share of an attempt's cost. A URL this code
 * cannot take apart (not http(s), not a URL at all) goes the old way, through undici's `request(url)`, so its
 * error is exactly the one undici gives.
 *
 * On a Pool, a request is undici's `dispatch(options, handler)` with a small handler (ResponseCollector) that
 * keeps the status, the parsed headers and the body's bytes: `request()` builds an async resource, a Readable
 * body stream and a response object per call, then `text()` reads that stream back — a third of an attempt's
 * CPU for what is a few hundred bytes. The collector gives exactly what `request()` + `text()` gave: the same
 * header parsing, the final (not a 1xx) status, the body decoded as UTF-8 without a BOM, and the same error
 * objects (undici hands the same error to the handler that `request()` rejects with).
 */
import type { Agent, Dispatcher, Pool } from 'undici'
import type { OutboundRequest, Transport, TransportResult } from '../delivery/ports.js'

const MAX_BODY_CHARS = 64 * 1024 // keep at most 64 KiB of a response for the delivery log
/** Parsed endpoint URLs kept; destinations are few, the bound only guards against a URL per event. */
const MAX_PARSED_URLS = 1024

interface Target { pool: Pool, path: string }

/** Response headers as undici parses them: lower-case names, an array for a repeated header. */
type IncomingHttpHeaders = Record<string, string | string[] | undefined>

interface UndiciParts {
  Pool: new (origin: string, options: Pool.Options) => Pool
  Agent: new (options: Agent.Options) => Agent
  /** undici's top-level request(url, …), for URLs this module does not parse itself. */
  requestUrl: () => Promise<(url: string, options: Omit<Dispatcher.RequestOptions, 'origin' | 'path'> & { dispatcher: Dispatcher }) => Promise<Dispatcher.ResponseData>>
}

let parts: UndiciParts | undefined
let loading: Promise<UndiciParts> | undefined

/**
 * undici's index loads fetch, WebSocket, caches, mocks and interceptors: a third of the emulator's start-up on a
 * small machine. Only the Pool and the Agent are needed, so those files are loaded, and only when
 * the first request goes out. If undici's layout ever changes, the full package is loaded instead.
 *
 * Imported, not required, so that the bundled CLI (scripts/bundle-cli.ts) carries them in a chunk of their own
 * that is read on the first request: at start-up that request is the handshake with the built-in sink, made
 * right after the server listens, and loading undici's files one by one from node_modules there held up the
 * first requests the emulator answers (GET /healthz) by about 40 ms of CPU.
 */
async function loadUndici (): Promise<UndiciParts> {
  loading ??= (async () => {
    const full = async (): Promise<typeof import('undici')> => await import('undici')
    try {
      const [pool, agent] = await Promise.all([import('undici/lib/dispatcher/pool.js'), import('undici/lib/dispatcher/agent.js')])
      const loaded: UndiciParts = {
        Pool: pool.default,
        Agent: agent.default,
        requestUrl: async () => (await full()).request as Awaited<ReturnType<UndiciParts['requestUrl']>>
      }
      if (typeof loaded.Pool !== 'function' || typeof loaded.Agent !== 'function') throw new TypeError('unexpected undici layout')
      return loaded
    } catch {
      const u = await full()
      return { Pool: u.Pool, Agent: u.Agent, requestUrl: async () => u.request as Awaited<ReturnType<UndiciParts['requestUrl']>> }
    }
  })()
  parts = await loading
  return parts
}

/** undici's parts; only called after `send` has loaded them. */
function undici (): UndiciParts {
  return parts as UndiciParts
}

export function createUndiciTransport (options: { connections?: number, ca?: string | Buffer } = {}): Transport {
  const poolOptions = {
    keepAliveTimeout: 10_000,
    connections: options.connections ?? 64,
    ...(options.ca !== undefined ? { connect: { ca: options.ca } } : {})
  }
  const pools = new Map<string, Pool>()
  const targets = new Map<string, Target | null>()
  // URLs this code does not take apart, and every request after close(), go through an Agent as before, so they
  // fail exactly as they did (a closed Agent refuses them; a new Pool would not). Made on first need, in the
  // state the transport is in.
  let fallbackAgent: Agent | undefined
  let state: 'open' | 'closed' | 'destroyed' = 'open'
  const fallback = (): Agent => {
    if (fallbackAgent !== undefined) return fallbackAgent
    const agent = fallbackAgent = new (undici().Agent)(poolOptions)
    if (state === 'closed') agent.close().catch(() => {})
    if (state === 'destroyed') agent.destroy().catch(() => {})
    return agent
  }
  const dispatchers = (): Dispatcher[] => [...pools.values(), ...(fallbackAgent !== undefined ? [fallbackAgent] : [])]

  function target (url: string): Target | undefined {
    const known = targets.get(url)
    if (known !== undefined) return known ?? undefined
    let parsed: URL | undefined
    try { parsed = new URL(url) } catch { parsed = undefined }
    let found: Target | null = null
    if (parsed !== undefined && (parsed.protocol === 'http:' || parsed.protocol === 'https:')) {
      let pool = pools.get(parsed.origin)
      if (pool === undefined) { pool = new (undici().Pool)(parsed.origin, poolOptions); pools.set(parsed.origin, pool) }
      // The same path undici's request(url) would send: pathname and query, never the fragment.
      found = { pool, path: parsed.search !== '' ? `${parsed.pathname}${parsed.search}` : parsed.pathname }
    }
    if (targets.size >= MAX_PARSED_URLS) targets.clear()
    targets.set(url, found)
    return found ?? undefined
  }

  return {
    async send (req: OutboundRequest): Promise<TransportResult> {
      const started = performance.now()
      try {
        if (parts === undefined) await loadUndici()
        const to = state === 'open' ? target(req.url) : undefined
        if (to !== undefined) {
          const res = await dispatch(to.pool, {
            method: req.method,
            path: to.path,
            headers: req.headers,
            body: req.body,
            // headersTimeout/bodyTimeout start when the request is sent, so time spent waiting for a free
            // connection does not count against the webhook's 30 s.
            headersTimeout: req.timeoutMs,
            bodyTimeout: req.timeoutMs
          })
          return { status: res.status, headers: flatHeaders(res.headers!), body: res.text().slice(0, MAX_BODY_CHARS), durationMs: performance.now() - started }
        }
        const res = await (await undici().requestUrl())(req.url, { method: req.method, headers: req.headers, body: req.body, headersTimeout: req.timeoutMs, bodyTimeout: req.timeoutMs, dispatcher: fallback() })
        const text = await res.body.text()
        return { status: res.statusCode, headers: flatHeaders(res.headers), body: text.slice(0, MAX_BODY_CHARS), durationMs: performance.now() - started }
      } catch (err) {
        return { headers: {}, ...classify(err), durationMs: performance.now() - started }
      }
    },
    async close () {
      if (state === 'open') state = 'closed'
      await Promise.all(dispatchers().map(async (d) => { if (!(d as Pool).destroyed) await d.close() }))
    },
    async destroy () {
      state = 'destroyed'
      await Promise.all(dispatchers().map(async (d) => { if (!(d as Pool).destroyed) await d.destroy() }))
    }
  }
}

/** Sends one request on `pool`; resolves with the collected answer, rejects with undici's error. */
async function dispatch (pool: Pool, options: Dispatcher.DispatchOptions): Promise<ResponseCollector> {
  return await new Promise<ResponseCollector>((resolve, reject) => {
    const collector = new ResponseCollector(resolve, reject)
    // dispatch() reports what it refuses (a closed pool, an invalid header) through the handler, not by throwing.
    pool.dispatch(options, collector)
  })
}

/**
 * A dispatch handler (undici's public handler interface) keeping what a delivery records: the final status, the
 * headers as undici's `request()` parses them, and the body's bytes. Undici does not call it after an error.
 */
class ResponseCollector implements Dispatcher.DispatchHandler {
  status = 0
  headers: IncomingHttpHeaders | undefined
  private readonly chunks: Buffer[] = []
  private length = 0

  constructor (private readonly resolve: (r: ResponseCollector) => void, private readonly reject: (err: Error) => void) {}

  onRequestStart (): void {}

  onResponseStart (_controller: Dispatcher.DispatchController, statusCode: number, headers: IncomingHttpHeaders): void {
    // An informational answer (102 Processing, 103 Early Hints) is not the answer: request() skips it too.
    if (statusCode < 200) return
    this.status = statusCode
    this.headers = headers
  }

  onResponseData (_controller: Dispatcher.DispatchController, chunk: Buffer): void {
    this.chunks.push(chunk)
    this.length += chunk.length
  }

  onResponseEnd (): void { this.resolve(this) }

  onResponseError (_controller: Dispatcher.DispatchController, err: Error): void { this.reject(err) }

  /** The body as undici's `text()` decodes it: UTF-8, a leading byte-order mark skipped. */
  text (): string {
    if (this.length === 0) return ''
    const buffer = this.chunks.length === 1 ? this.chunks[0]! : Buffer.concat(this.chunks, this.length)
    const start = buffer.length > 2 && buffer[0] === 0xef && buffer[1] === 0xbb && buffer[2] === 0xbf ? 3 : 0
    return buffer.toString('utf8', start)
  }
}

/**
 * undici's response headers as name → one string. undici already gives a fresh object per response with
 * lower-case names; only a repeated header (an array) needs joining, so the object is copied only then.
 */
function flatHeaders (raw: IncomingHttpHeaders): Record<string, string> {
  for (const k in raw) {
    const v = raw[k]
    if (typeof v === 'string') continue
    const headers: Record<string, string> = {}
    for (const [name, value] of Object.entries(raw)) if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value
    return headers
  }
  return raw as Record<string, string>
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
