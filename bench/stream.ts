/**
 * Does a dashboard viewer slow publishing? Publish→delivery throughput with one live-stream viewer attached
 * (GET /admin/stream, read as fast as the socket allows) against none, over real HTTP on loopback.
 * Run: node --import tsx bench/stream.ts [events=10000] [rounds=3]
 * Each round runs both cases on a fresh emulator (alternating, so drift on a shared machine hits both alike);
 * the medians are compared. The viewer is in the same process as the emulator, so it competes for the same
 * CPU: a pessimistic figure.
 */
import Fastify from 'fastify'
import { request } from 'undici'
import { parseConfig } from '../src/config/load-config.js'
import { startEmulator } from '../src/index.js'

const total = Number(process.argv[2] ?? 10_000)
const rounds = Number(process.argv[3] ?? 3)

const receiver = Fastify()
let received = 0
receiver.post('/hook', async (req) => { received += (req.body as unknown[]).length; return '' })
await receiver.listen({ host: '127.0.0.1', port: 0 })
const hook = `http://127.0.0.1:${(receiver.server.address() as { port: number }).port}/hook`

async function run (withViewer: boolean): Promise<{ eventsPerSec: number, streamed: number, dropped: number }> {
  received = 0
  const eg = await startEmulator({
    port: 0,
    config: parseConfig(`
topics:
  bench:
    subscriptions:
      hook:
        validation: skip
        destination: { endpointType: WebHook, properties: { endpointUrl: "${hook}" } }
      declines:
        validation: skip
        destination: { endpointType: WebHook, properties: { endpointUrl: "${hook}" } }
        filter: { subjectBeginsWith: /never/ }
`, 'bench.yaml', {})
  })
  let streamed = 0
  const controller = new AbortController()
  if (withViewer) {
    const res = await request(`${eg.url}/admin/stream`, { signal: controller.signal, bodyTimeout: 0 })
    res.body.on('data', (chunk: Buffer) => { for (const b of chunk) if (b === 10) streamed++ })
    res.body.on('error', () => {})
  }
  const body = (i: number, n: number): string => JSON.stringify(Array.from({ length: n }, (_, j) => ({
    id: `e${i + j}`, subject: '/bench', eventType: 'Bench.Event', eventTime: new Date().toISOString(), data: { n: i + j, text: 'hello world' }
  })))
  const t0 = performance.now()
  for (let i = 0; i < total; i += 100) {
    const res = await request(`${eg.url}/topics/bench/api/events`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: body(i, Math.min(100, total - i)) })
    await res.body.dump()
  }
  // eslint-disable-next-line no-unmodified-loop-condition -- `received` grows in the stream callback
  while (received < total) await new Promise((resolve) => setTimeout(resolve, 2))
  const secs = (performance.now() - t0) / 1000
  const stats = await (await request(`${eg.url}/admin/stats`)).body.json() as { stream: { dropped: number } }
  controller.abort()
  await eg.close()
  // Each message is "data: …\n\n" (plus "id: …\n" for decisions): count frames, not lines.
  return { eventsPerSec: total / secs, streamed: Math.round(streamed / 2.5), dropped: stats.stream.dropped }
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!
await run(false) // warm-up: JIT, connection pools
const none: number[] = []
const viewer: number[] = []
for (let r = 0; r < rounds; r++) {
  none.push((await run(false)).eventsPerSec)
  const v = await run(true)
  viewer.push(v.eventsPerSec)
  console.log(`round ${r + 1}: no viewer ${Math.round(none[r]!)} events/s, one viewer ${Math.round(v.eventsPerSec)} events/s (viewer dropped ${v.dropped} messages)`)
}
const ratio = median(viewer) / median(none)
console.log(`${total} events published over HTTP (100 per request) and delivered, 2 subscriptions (one declines every event)`)
console.log(`median no viewer:  ${Math.round(median(none))} events/s`)
console.log(`median one viewer: ${Math.round(median(viewer))} events/s`)
console.log(`ratio viewer/none: ${ratio.toFixed(3)} (${((1 - ratio) * 100).toFixed(1)}% slower)`)
await receiver.close()
