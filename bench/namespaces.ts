/**
 * Namespace pull delivery, end to end with the real @azure/eventgrid-namespaces client over loopback HTTP.
 * Run: node --import tsx bench/namespaces.ts [events=5000] [wakes=50]
 *  1. publish → receive → acknowledge throughput (batches of 100), against a baseline in the same run: the same
 *     events published to a custom topic and pushed to a local webhook in batches of 100;
 *  2. long-poll wake-up latency: a receive parked on an empty queue, then one event published; baseline: the
 *     same publish + receive when the event is already queued (no parked poll).
 * Each figure is the median of 3 runs.
 */
import { AzureKeyCredential, EventGridReceiverClient, EventGridSenderClient } from '@azure/eventgrid-namespaces'
import Fastify from 'fastify'
import { parseConfig } from '../src/config/load-config.js'
import { startEmulator, type RunningEmulator } from '../src/index.js'

const total = Number(process.argv[2] ?? 5000)
const wakes = Number(process.argv[3] ?? 50)
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!

const hookApp = Fastify({ bodyLimit: 16 * 1024 * 1024 })
let pushed = 0
hookApp.post('/hook', async (req) => { pushed += (req.body as unknown[]).length; return '' })
await hookApp.listen({ host: '127.0.0.1', port: 0 })
const hook = `http://127.0.0.1:${(hookApp.server.address() as { port: number }).port}/hook`

const eg: RunningEmulator = await startEmulator({
  port: 0,
  config: parseConfig(`
topics:
  basic:
    subscriptions:
      hook:
        validation: skip
        destination: { endpointType: WebHook, properties: { endpointUrl: "${hook}", maxEventsPerBatch: 100 } }
namespaces:
  bench:
    topics:
      orders:
        eventSubscriptions:
          worker: { deliveryConfiguration: { deliveryMode: Queue } }
`, 'bench.yaml', {})
})
const endpoint = `${eg.url}/namespaces/bench`
const credential = new AzureKeyCredential('bench-key')
const options = { allowInsecureConnection: true }
const sender = new EventGridSenderClient(endpoint, credential, 'orders', options)
const receiver = new EventGridReceiverClient(endpoint, credential, 'orders', 'worker', options)
const ce = (n: number): { id: string, type: string, source: string, data: unknown } => ({ id: `e${n}`, type: 'Bench.Event', source: '/bench', data: { n, text: 'hello world' } })

async function pullRun (): Promise<number> {
  const t0 = performance.now()
  for (let i = 0; i < total; i += 100) await sender.sendEvents(Array.from({ length: Math.min(100, total - i) }, (_, j) => ce(i + j)))
  let done = 0
  while (done < total) {
    const { details } = await receiver.receiveEvents({ maxEvents: 100, maxWaitTime: 10 })
    await receiver.acknowledgeEvents(details.map((d) => d.brokerProperties.lockToken))
    done += details.length
  }
  return total / ((performance.now() - t0) / 1000)
}

async function pushRun (): Promise<number> {
  pushed = 0
  const t0 = performance.now()
  // Same number of publish requests (100 events each) through the HTTP publish API, as the SDK would.
  for (let i = 0; i < total; i += 100) {
    const events = Array.from({ length: Math.min(100, total - i) }, (_, j) => ({ id: `b${i + j}`, subject: '/bench', eventType: 'Bench.Event', eventTime: new Date().toISOString(), data: { n: i + j, text: 'hello world' } }))
    const res = await fetch(`${eg.url}/topics/basic/api/events?api-version=2018-01-01`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(events) })
    await res.arrayBuffer()
  }
  // eslint-disable-next-line no-unmodified-loop-condition -- `pushed` grows in the receiver callback
  while (pushed < total) await new Promise((resolve) => setTimeout(resolve, 2))
  return total / ((performance.now() - t0) / 1000)
}

async function wakeRun (parked: boolean): Promise<number> {
  const sub = eg.emulator.namespaces.topic('bench', 'orders')!.subscriptions.get('worker')!
  const latencies: number[] = []
  for (let i = 0; i < wakes; i++) {
    let t0 = 0
    if (parked) {
      const pending = receiver.receiveEvents({ maxWaitTime: 60 })
      while (sub.waiters.length === 0) await new Promise((resolve) => setImmediate(resolve))
      t0 = performance.now()
      await sender.sendEvents(ce(i))
      const { details } = await pending
      latencies.push(performance.now() - t0)
      await receiver.acknowledgeEvents(details.map((d) => d.brokerProperties.lockToken))
    } else {
      t0 = performance.now()
      await sender.sendEvents(ce(i))
      const { details } = await receiver.receiveEvents({ maxWaitTime: 60 })
      latencies.push(performance.now() - t0)
      await receiver.acknowledgeEvents(details.map((d) => d.brokerProperties.lockToken))
    }
  }
  return median(latencies)
}

await pullRun() // warm-up: JIT, connection pools
const pull: number[] = []
const push: number[] = []
const wake: number[] = []
const queued: number[] = []
for (let r = 0; r < 3; r++) {
  pull.push(await pullRun())
  push.push(await pushRun())
  wake.push(await wakeRun(true))
  queued.push(await wakeRun(false))
}
const [p, b, w, q] = [median(pull), median(push), median(wake), median(queued)]
console.log(`publish → receive → acknowledge (SDK, batches of 100): ${Math.round(p)} events/s`)
console.log(`baseline: publish → push to webhook (batches of 100):   ${Math.round(b)} events/s   ratio ${(p / b).toFixed(2)}`)
console.log(`long-poll wake-up (parked receive, then publish):      ${w.toFixed(2)} ms median of ${wakes}`)
console.log(`baseline: publish, then receive (event already there): ${q.toFixed(2)} ms median   ratio ${(w / q).toFixed(2)}`)
await eg.close()
await hookApp.close()
