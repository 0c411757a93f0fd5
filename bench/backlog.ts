/**
 * Backlog benchmark: a burst of events to a slow receiver, drained by the delivery engine.
 * Run: `node --import tsx bench/backlog.ts [events] [rounds]` (default 200,000 events, 3 rounds).
 *
 * Part 1 — drain cost per event at 10k, 40k and 160k queued events, receiver answering at once (the Transport
 * port returns 200 on the next tick), so the queue is all that is measured. Baseline in the same run: the same
 * engine with the subscription's queue swapped for an array drained with shift() — what the code did before
 * the O(1) queue. Medians of `rounds`; the ratio 160k/10k shows whether the per-event cost stays flat.
 *
 * Part 2 — `events` published at once (in 1,000-event requests through the in-process API) to a slow receiver
 * (each answer takes 2 ms, 16 requests in parallel as Event Grid does): RSS every second, and the drain rate
 * when the backlog passes 160k, 40k and 10k.
 */
import { startEmulator, type RunningEmulator } from '../src/index.js'
import type { Transport } from '../src/delivery/ports.js'
import type { AcceptedEvent } from '../src/domain/events.js'
import type { Fifo } from '../src/delivery/fifo.js'

const total = Number(process.argv[2] ?? 200_000)
const rounds = Number(process.argv[3] ?? 3)

const CONFIG = (limit: number): string => `
limits: { maxPendingEventsPerTopic: ${limit} }
topics:
  orders:
    subscriptions:
      hook:
        validation: skip
        destination: { endpointType: WebHook, properties: { endpointUrl: "http://receiver.invalid/api" } }
`

function transport (delayMs: number): Transport {
  return {
    send: async () => {
      await new Promise((resolve) => delayMs === 0 ? setImmediate(resolve) : setTimeout(resolve, delayMs))
      return { status: 200, headers: {}, body: '', durationMs: delayMs }
    },
    close: async () => {},
    destroy: async () => {}
  }
}

/** The queue as it was: an array, whose shift() moves every remaining element. */
class ArrayQueue<T> {
  private readonly items: T[] = []
  get length (): number { return this.items.length }
  push (...v: T[]): void { for (const x of v) this.items.push(x) }
  pushAll (v: readonly T[]): void { for (const x of v) this.items.push(x) }
  peek (i = 0): T | undefined { return this.items[i] }
  shift (): T | undefined { return this.items.shift() }
  drain (): T[] { return this.items.splice(0) }
  toArray (): T[] { return [...this.items] }
}

const event = (i: number): Record<string, unknown> => ({ id: `e-${i}`, subject: '/s', eventType: 'Load.Test', eventTime: '2024-05-01T12:00:00Z', data: { n: i } })

async function start (limit: number, delayMs: number): Promise<RunningEmulator> {
  const { parseConfig } = await import('../src/config/load-config.js')
  return await startEmulator({ port: 0, config: parseConfig(CONFIG(limit), 'bench.yaml', {}), transport: transport(delayMs) })
}

async function drained (eg: RunningEmulator): Promise<void> {
  const topic = eg.emulator.topic('orders')!
  while (eg.emulator.backlog(topic) > 0) await new Promise((resolve) => setTimeout(resolve, 5))
}

/** Nanoseconds per event to drain `n` queued events. */
async function drainCost (n: number, queue: 'fifo' | 'array'): Promise<number> {
  const eg = await start(n + 1, 0)
  const sub = eg.emulator.topic('orders')!.subscriptions.get('hook')!
  if (queue === 'array') (sub as unknown as { ready: ArrayQueue<AcceptedEvent> | Fifo<AcceptedEvent> }).ready = new ArrayQueue<AcceptedEvent>()
  for (let i = 0; i < n; i += 1000) eg.publish('orders', Array.from({ length: Math.min(1000, n - i) }, (_, j) => event(i + j)))
  const t0 = process.hrtime.bigint()
  await drained(eg)
  const ns = Number(process.hrtime.bigint() - t0) / n
  await eg.close()
  return ns
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!

async function part1 (): Promise<void> {
  console.log(`Part 1: drain cost per event, receiver answering at once (median of ${rounds})`)
  console.log('backlog   O(1) queue µs/event   array.shift µs/event (before)   array/O(1)')
  const flat: Record<string, number> = {}
  await drainCost(10_000, 'fifo') // warm-up: the first run pays for JIT compilation
  for (const n of [10_000, 40_000, 160_000]) {
    const fifo: number[] = []
    const array: number[] = []
    for (let r = 0; r < rounds; r++) {
      fifo.push(await drainCost(n, 'fifo'))
      array.push(await drainCost(n, 'array'))
    }
    const f = median(fifo) / 1000
    const a = median(array) / 1000
    flat[`fifo${n}`] = f
    flat[`array${n}`] = a
    console.log(`${String(n).padStart(7)}   ${f.toFixed(2).padStart(19)}   ${a.toFixed(2).padStart(29)}   ${(a / f).toFixed(2).padStart(10)}`)
  }
  console.log(`per-event cost 160k/10k: O(1) queue ${(flat.fifo160000! / flat.fifo10000!).toFixed(2)}×, array.shift ${(flat.array160000! / flat.array10000!).toFixed(2)}×`)
}

async function part2 (): Promise<void> {
  console.log(`\nPart 2: ${total} events published at once to a receiver that takes 2 ms per answer (16 in parallel)`)
  const before = process.memoryUsage().rss
  const eg = await start(total + 1, 2)
  const topic = eg.emulator.topic('orders')!
  const t0 = performance.now()
  for (let i = 0; i < total; i += 1000) eg.publish('orders', Array.from({ length: Math.min(1000, total - i) }, (_, j) => event(i + j)))
  console.log(`published in ${(performance.now() - t0).toFixed(0)} ms; RSS ${(process.memoryUsage().rss / 2 ** 20).toFixed(0)} MiB (was ${(before / 2 ** 20).toFixed(0)} MiB)`)
  const marks = [160_000, 40_000, 10_000].filter((m) => m < total)
  const window = (m: number): [number, number] => [Math.round(m * 1.05), Math.round(m * 0.95)]
  const seen = new Map<number, number>()
  let lastPrint = performance.now()
  console.log('   t(s)   backlog   RSS MiB')
  for (;;) {
    const backlog = eg.emulator.backlog(topic)
    const now = performance.now()
    for (const m of marks) for (const edge of window(m)) if (!seen.has(edge) && backlog <= edge) seen.set(edge, now)
    if (now - lastPrint >= 1000 || backlog === 0) {
      console.log(`${((now - t0) / 1000).toFixed(1).padStart(7)}   ${String(backlog).padStart(7)}   ${(process.memoryUsage().rss / 2 ** 20).toFixed(0).padStart(7)}`)
      lastPrint = now
    }
    if (backlog === 0) break
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
  const rates: number[] = []
  for (const m of marks) {
    const [hi, lo] = window(m)
    const rate = (hi - lo) / ((seen.get(lo)! - seen.get(hi)!) / 1000)
    rates.push(rate)
    console.log(`drain rate at ${String(m / 1000).padStart(3)}k backlog: ${rate.toFixed(0)} events/s`)
  }
  if (rates.length > 1) console.log(`slowest/fastest drain rate: ${(Math.min(...rates) / Math.max(...rates)).toFixed(2)} (1.00 = flat)`)
  await eg.close()
}

// BENCH_PART=1 or 2 runs one part only.
if (process.env.BENCH_PART !== '2') await part1()
if (process.env.BENCH_PART !== '1') await part2()
