/**
 * Heap held by N pending retries, in its own process (run by bench/suites.ts with --expose-gc):
 * `node --expose-gc --import tsx bench/lib/retries.ts [N] [passes]`. Every delivery answers 500, so every event
 * waits for its first retry (10 s away at time scale 1, so none comes due while measuring). Prints one JSON line:
 * per pass the heap before publishing, the growth with N retries pending, and the part the delivery log's
 * Failed records account for (the growth that goes when the log is cleared).
 */
import { parseConfig } from '../../src/config/load-config.js'
import { startEmulator } from '../../src/index.js'
import type { Transport } from '../../src/delivery/ports.js'
import { topicYaml, webhook } from './config-yaml.js'
import { heapAfterGc } from './heap.js'

const total = Number(process.argv[2] ?? 100_000)
const passes = Number(process.argv[3] ?? 3)
const MB = 1024 * 1024

const failing: Transport = {
  send: async () => { await new Promise((resolve) => setImmediate(resolve)); return { status: 500, headers: {}, body: '', durationMs: 0 } },
  close: async () => {},
  destroy: async () => {}
}
const yaml = topicYaml(webhook('hook', 'http://receiver.invalid/hook'), `limits: { maxPendingEventsPerTopic: ${total + 1} }`)

const results: Array<{ baseMB: number, heapMB: number, logMB: number }> = []
for (let p = 0; p < passes; p++) {
  const eg = await startEmulator({ port: 0, config: parseConfig(yaml, 'bench.yaml', {}), transport: failing, shutdownGraceMs: 0 })
  const before = heapAfterGc()
  for (let i = 0; i < total; i += 1000) {
    eg.publish('bench', Array.from({ length: Math.min(1000, total - i) }, (_, j) => ({ id: `e-${i + j}`, subject: '/orders/1', eventType: 'Bench.Event', eventTime: '2026-01-01T00:00:00Z', dataVersion: '1', data: { n: i + j, text: 'hello world' } })))
    await new Promise((resolve) => setImmediate(resolve))
  }
  while (eg.emulator.pendingRetries < total) await new Promise((resolve) => setTimeout(resolve, 10))
  const withRetries = heapAfterGc()
  eg.emulator.deliveryLog.clear()
  const withoutLog = heapAfterGc()
  results.push({ baseMB: before / MB, heapMB: (withRetries - before) / MB, logMB: (withRetries - withoutLog) / MB })
  await eg.close()
}
console.log(JSON.stringify(results))
