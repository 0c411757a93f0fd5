/**
 * Delivery throughput and start-up time, end to end over real HTTP on loopback.
 * Run: node --import tsx bench/delivery.ts [events=20000]
 * Publishes N events (in requests of 500) to a topic whose subscription delivers to a Fastify receiver,
 * and reports how long until every event was delivered; then a batched subscription (maxEventsPerBatch 100).
 */
import Fastify from 'fastify'
import { parseConfig } from '../src/config/load-config.js'
import { startEmulator } from '../src/index.js'

const total = Number(process.argv[2] ?? 20_000)

const receiver = Fastify()
let received = 0
receiver.post('/hook', async (req) => { received += (req.body as unknown[]).length; return '' })
await receiver.listen({ host: '127.0.0.1', port: 0 })
const hook = `http://127.0.0.1:${(receiver.server.address() as { port: number }).port}/hook`

async function run (label: string, destinationProps: string): Promise<void> {
  received = 0
  const started = performance.now()
  const eg = await startEmulator({
    port: 0,
    config: parseConfig(`
topics:
  bench:
    subscriptions:
      hook:
        validation: skip
        destination: { endpointType: WebHook, properties: { endpointUrl: "${hook}"${destinationProps} } }
`, 'bench.yaml', {})
  })
  const startMs = performance.now() - started
  const t0 = performance.now()
  for (let i = 0; i < total; i += 500) {
    eg.publish('bench', Array.from({ length: Math.min(500, total - i) }, (_, j) => ({
      id: `e${i + j}`, subject: '/bench', eventType: 'Bench.Event', eventTime: new Date().toISOString(), data: { n: i + j, text: 'hello world' }
    })))
    await new Promise((resolve) => setImmediate(resolve))
  }
  while (received < total) await new Promise((resolve) => setTimeout(resolve, 5))
  const secs = (performance.now() - t0) / 1000
  console.log(`${label}: ${total} events delivered in ${secs.toFixed(2)} s = ${Math.round(total / secs)} events/s (emulator start ${startMs.toFixed(0)} ms)`)
  await eg.close()
}

await run('one event per request        ', '')
await run('maxEventsPerBatch: 100       ', ', maxEventsPerBatch: 100')
await receiver.close()
