/**
 * A server for the benchmark runner, in its own process so its CPU time is its own (process.cpuUsage).
 * Run by bench/lib/procs.ts as `node --import tsx bench/lib/child.ts ROLE` with an IPC channel:
 *
 * - `raw`: a minimal Fastify server (the physical baseline). POST /hook counts the events it receives and, when
 *   an event carries `data.sentAt` (ms since the epoch, with fractions), how long it took to arrive.
 * - `emulator`: startEmulator (compiled dist/ when the runner built it) with the YAML in the file BENCH_CONFIG_FILE, at the CLI's default log level (info), writing its
 *   log lines to /dev/null.
 * - `client`: no server (it announces port 0). On `load` it POSTs single events to a URL with an undici Pool set up
 *   as the emulator's delivery transport sets up its pools, sending as it sends (`dispatch()`,
 *   src/adapters/undici-transport.ts), as many in flight as a subscription's deliveries (the engine's default
 *   concurrency): what one outbound delivery costs at the least.
 *
 * Messages from the parent: `cpu` (user + system µs so far), `count`, `latencies` (and forget them), `heap`,
 * `load` (client: `{ url, path, n, parallel }`; answers when all are answered), `exit`. The child answers
 * `{ id, value }`; it announces `{ port }` once listening.
 */
import { readFileSync } from 'node:fs'
import Fastify from 'fastify'
import { destination } from 'pino'
import { type Dispatcher, Pool } from 'undici'
import { emulatorModules } from './emulator-modules.js'

const role = process.argv[2]
const send = (message: unknown): void => { process.send?.(message) }
let count = 0
let latencies: number[] = []
let close: () => Promise<void> = async () => {}

if (role === 'raw') {
  const app = Fastify()
  app.post('/hook', async (req) => {
    const now = performance.timeOrigin + performance.now()
    const body = req.body as unknown
    const events = Array.isArray(body) ? body : [body]
    for (const e of events) {
      count++
      const sentAt = (e as { data?: { sentAt?: number } } | null)?.data?.sentAt
      if (typeof sentAt === 'number') latencies.push(now - sentAt)
    }
    return ''
  })
  await app.listen({ host: '127.0.0.1', port: 0 })
  close = async () => { await app.close() }
  send({ port: (app.server.address() as { port: number }).port })
} else if (role === 'emulator') {
  const { parseConfig, startEmulator } = await emulatorModules()
  const eg = await startEmulator({
    port: 0,
    config: parseConfig(readFileSync(process.env.BENCH_CONFIG_FILE ?? '', 'utf8'), 'bench.yaml', {}),
    logger: { level: process.env.LOG_LEVEL ?? 'info', stream: destination({ dest: '/dev/null', sync: false }) }
  })
  close = eg.close
  send({ port: Number(new URL(eg.url).port) })
} else if (role === 'client') {
  close = async () => { for (const pool of pools.values()) await pool.close() }
  send({ port: 0 })
} else {
  throw new Error(`unknown role '${role ?? ''}': raw, emulator or client`)
}

interface Load { url: string, path: string, n: number, parallel: number }

/** The client role's pools, one per origin and kept between loads, as the transport keeps its own. */
const pools = new Map<string, Pool>()

/** The client role's work: n single-event POSTs, `parallel` at a time, over one Pool as the transport's. */
async function load ({ url, path, n, parallel }: Load): Promise<void> {
  const pool = pools.get(url) ?? new Pool(url, { keepAliveTimeout: 10_000, connections: 64 })
  pools.set(url, pool)
  let i = 0
  async function worker (): Promise<void> {
    while (i < n) {
      const body = JSON.stringify([{ id: `c-${i++}`, subject: '/orders/1', eventType: 'Bench.Event', eventTime: '2026-01-01T00:00:00Z', dataVersion: '1', data: { text: 'hello world' } }])
      await post(pool, { method: 'POST', path, headers: { 'content-type': 'application/json; charset=utf-8' }, body })
    }
  }
  await Promise.all(Array.from({ length: parallel }, worker))
}

/**
 * One request by undici's `dispatch()` with a handler that keeps the status and the body's chunks, as the
 * emulator's transport sends (src/adapters/undici-transport.ts): `request()` + `dump()` costs up to 8 µs more per
 * request, which would raise the floor.
 */
async function post (pool: Pool, options: Dispatcher.DispatchOptions): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    const chunks: Buffer[] = []
    let status = 0
    pool.dispatch(options, {
      onRequestStart () {},
      onResponseStart (_controller, statusCode) { if (statusCode >= 200) status = statusCode },
      onResponseData (_controller, chunk) { chunks.push(chunk) },
      onResponseEnd () { if (status >= 300) reject(new Error(`the raw server answered ${status}`)); else resolve() },
      onResponseError (_controller, err) { reject(err) }
    })
  })
}

process.on('message', (message: { id: number, cmd: string, load?: Load }) => {
  const answer = (value: unknown): void => { send({ id: message.id, value }) }
  switch (message.cmd) {
    case 'cpu': { const u = process.cpuUsage(); answer(u.user + u.system); break }
    case 'count': answer(count); break
    case 'latencies': answer(latencies); latencies = []; break
    case 'load': load(message.load!).then(() => { answer(true) }, (err: unknown) => { console.error(err); process.exit(1) }); break
    case 'heap': globalThis.gc?.(); answer(process.memoryUsage().heapUsed); break
    case 'exit': close().then(() => { answer(true); process.disconnect() }, (err: unknown) => { console.error(err); process.exit(1) }); break
  }
})
