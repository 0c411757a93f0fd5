/**
 * Durable mode benchmark. Run: `node --import tsx bench/durable.ts [batches] [rounds]` (default 300 batches of 100
 * events, 3 rounds; also `npm run bench:durable`).
 *
 * 1. Publish throughput over HTTP (real sockets, 8 concurrent publishers, batches of 100 events, one subscription
 *    delivering to a local webhook that answers 200): in-memory (the baseline, in the same run) vs durable
 *    (--data-dir: every 200 waits for its group commit's fdatasync). Median of the rounds, and the ratio.
 * 2. Restart time with 100,000 pending retries in the journal: startEmulator() until it listens with the retries
 *    scheduled, against a start without a data dir. Median of the rounds.
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs'
import { createServer } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Pool } from 'undici'
import { parseConfig } from '../src/config/load-config.js'
import { DurableStore, JOURNAL_FILE } from '../src/durable/durable-store.js'
import type { AcceptedEvent } from '../src/domain/events.js'
import { startEmulator } from '../src/index.js'

const batches = Number(process.argv[2] ?? 300)
const rounds = Number(process.argv[3] ?? 3)
const BATCH = 100
const PUBLISHERS = 8
const PENDING = 100_000

const receiver = createServer((req, res) => { req.resume(); req.on('end', () => { res.end() }) })
await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve))
const receiverUrl = `http://127.0.0.1:${(receiver.address() as { port: number }).port}`
const yaml = `
topics:
  orders:
    subscriptions:
      hook:
        validation: skip
        destination: { endpointType: WebHook, properties: { endpointUrl: "${receiverUrl}/hook" } }
`
const config = (): ReturnType<typeof parseConfig> => parseConfig(yaml, 'bench.yaml', {})
const bodies = Array.from({ length: batches }, (_, b) => JSON.stringify(Array.from({ length: BATCH }, (_, i) => ({
  id: `e-${b}-${i}`, subject: `orders/${i}`, eventType: 'Contoso.Orders.Created', eventTime: '2024-05-01T12:00:00Z', data: { n: i, note: 'x'.repeat(200) }, dataVersion: '1.0'
}))))

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!
const temp = (): string => mkdtempSync(join(tmpdir(), 'eg-bench-durable-'))

async function publishRound (durable: boolean): Promise<number> {
  const dir = temp()
  const eg = await startEmulator({ port: 0, config: config(), ...(durable ? { dataDir: dir } : {}) })
  const pool = new Pool(eg.url, { connections: PUBLISHERS })
  let next = 0
  const start = performance.now()
  await Promise.all(Array.from({ length: PUBLISHERS }, async () => {
    while (next < bodies.length) {
      const body = bodies[next++]!
      const res = await pool.request({ path: '/topics/orders/api/events', method: 'POST', headers: { 'content-type': 'application/json' }, body })
      await res.body.dump()
      if (res.statusCode !== 200) throw new Error(`publish answered ${res.statusCode}`)
    }
  }))
  const ms = performance.now() - start
  await pool.close()
  await eg.close()
  rmSync(dir, { recursive: true, force: true })
  return ms
}

/** A data dir whose journal holds PENDING events of orders/hook, each waiting for its 3rd attempt an hour from now. */
async function journalWithPendingRetries (): Promise<string> {
  const dir = temp()
  const { store } = await DurableStore.open({ dir, bounds: { historyRecords: 100_000, historyBytes: 64 * 1024 * 1024, deadLetterEntries: 10_000, deadLetterBytes: 64 * 1024 * 1024 } })
  const due = new Date(Date.now() + 3600_000).toISOString()
  const now = new Date().toISOString()
  for (let i = 0; i < PENDING; i++) {
    const event: AcceptedEvent = { inputSchema: 'EventGridSchema', id: `p-${i}`, type: 'Contoso.Orders.Created', publishTime: now, eventGrid: { id: `p-${i}`, subject: 'orders/1', eventType: 'Contoso.Orders.Created', eventTime: now, data: { n: i }, dataVersion: '1.0' } }
    store.enqueued(['orders', 'hook'], [event])
    store.recorded(['orders', 'hook'], [event], { seq: 0, time: now, topic: 'orders', subscription: 'hook', eventIds: [event.id], outcome: 'Failed', attempt: 2, status: 500, reason: 'HTTP 500', nextAttemptTime: due })
    if (i % 10_000 === 0) await store.durable()
  }
  await store.durable()
  await store.close()
  return dir
}

async function startRound (dir: string | undefined): Promise<{ ms: number, pending: number }> {
  const start = performance.now()
  const eg = await startEmulator({ port: 0, config: config(), ...(dir !== undefined ? { dataDir: dir } : {}) })
  const ms = performance.now() - start
  const pending = eg.emulator.pendingRetries
  await eg.close()
  return { ms, pending }
}

await publishRound(false); await publishRound(true) // warm-up
const memoryMs: number[] = []
const durableMs: number[] = []
for (let r = 0; r < rounds; r++) {
  memoryMs.push(await publishRound(false))
  durableMs.push(await publishRound(true))
}
const events = batches * BATCH
const m = median(memoryMs)
const d = median(durableMs)
console.log(`publish: ${events} events in batches of ${BATCH}, ${PUBLISHERS} concurrent publishers, 1 subscription delivering to a local webhook; median of ${rounds} rounds`)
console.log(`  in-memory (baseline): ${m.toFixed(0)} ms  (${Math.round(events / m * 1000)} events/s)`)
console.log(`  durable (--data-dir): ${d.toFixed(0)} ms  (${Math.round(events / d * 1000)} events/s)`)
console.log(`  ratio durable/in-memory throughput: ${(m / d).toFixed(2)}`)

const dir = await journalWithPendingRetries()
const journalBytes = statSync(join(dir, JOURNAL_FILE)).size
const baseline: number[] = []
const restart: number[] = []
let pending = 0
for (let r = 0; r < rounds; r++) {
  baseline.push((await startRound(undefined)).ms)
  const run = await startRound(dir)
  restart.push(run.ms)
  pending = run.pending
}
console.log(`restart with ${PENDING} pending retries (journal ${(journalBytes / 1024 / 1024).toFixed(1)} MiB); median of ${rounds} rounds`)
console.log(`  start without a data dir (baseline): ${median(baseline).toFixed(0)} ms`)
console.log(`  start replaying the journal: ${median(restart).toFixed(0)} ms, ${pending} retries scheduled`)
rmSync(dir, { recursive: true, force: true })
receiver.close()
