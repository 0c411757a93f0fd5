/**
 * What the caps that count bytes hold in the heap once full, in its own process (run by bench/suites.ts with
 * --expose-gc): `node --expose-gc --import tsx bench/lib/caps.ts [capMiB] [passes]`.
 *
 * Each cap counts an estimate of JSON bytes, not heap bytes — the delivery log its records' JSON size, the sink
 * the request bodies' size on the wire, the dead-letter listing the size of its files' text — so what a full store
 * really costs is measured here: the store is filled to `capMiB` (its count bound raised out of the way) with
 * ACS-sized events of about 1 KB, and the heap it holds is the heap it frees when cleared. A user sizing a
 * container's memory for `limits.*.maxBytes` reads the ratio heap / cap.
 *
 * Prints one JSON line: per pass, per store, `{ capMB, heapMB, kept }`.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Pool } from 'undici'
import { parseConfig } from '../../src/config/load-config.js'
import { startEmulator } from '../../src/index.js'
import type { Transport } from '../../src/delivery/ports.js'
import { topicYaml, webhook } from './config-yaml.js'
import { heapAfterGc } from './heap.js'

const capMiB = Number(process.argv[2] ?? 8)
const passes = Number(process.argv[3] ?? 1)
const MB = 1024 * 1024
const cap = capMiB * MB

const answering = (status: number): Transport => ({
  send: async () => ({ status, headers: { 'content-length': '0' }, body: '', durationMs: 0.3 }),
  close: async () => {},
  destroy: async () => {}
})

/** An SMS delivery report as ACS sends it, padded to about 1 KB of JSON like a typical ACS event. */
const acsEvent = (i: number): Record<string, unknown> => ({
  id: `e-${i}`,
  subject: `/phonenumber/15555555555/${i}`,
  eventType: 'Microsoft.Communication.SMSDeliveryReportReceived',
  eventTime: '2026-01-01T00:00:00Z',
  dataVersion: '1.0',
  data: {
    messageId: `Outgoing_20260101000000_${String(i).padStart(8, '0')}_noam`,
    from: '15555555555',
    to: '15555555556',
    deliveryStatus: 'Delivered',
    deliveryStatusDetails: 'No error.',
    receivedTimestamp: '2026-01-01T00:00:01.000Z',
    deliveryAttempts: [{ timestamp: '2026-01-01T00:00:00.500Z', segmentsSucceeded: 1, segmentsFailed: 0 }],
    tag: 'order-confirmation',
    note: 'x'.repeat(480)
  }
})

const topics = (deadLetterDir: string): string => topicYaml(
  webhook('hook', 'http://receiver.invalid/hook', '', '', 'deadLetterDestination: { endpointType: StorageBlob, properties: { blobContainerName: bench } }'), `
delivery: { deadLetterDir: ${JSON.stringify(deadLetterDir)} }
limits:
  maxPendingEventsPerTopic: 1000000
  deliveryLog: { maxRecords: 10000000, maxBytes: ${cap} }
  deadLetterListing: { maxEntries: 10000000, maxBytes: ${cap} }
  sink: { maxRequestsPerSink: 10000000, maxTotalBytes: ${cap} }`)

interface Held { capMB: number, heapMB: number, kept: number }
const results: Array<{ deliveryLog: Held, sink: Held, deadLetters: Held }> = []

for (let p = 0; p < passes; p++) {
  const dir = mkdtempSync(join(tmpdir(), 'eg-bench-caps-'))
  try {
    // 1. The delivery log: one Delivered record per event, until the byte cap has forgotten some.
    let eg = await startEmulator({ port: 0, config: parseConfig(topics(dir), 'bench.yaml', {}), transport: answering(200), shutdownGraceMs: 0 })
    const logged = async (): Promise<Held> => {
      const log = eg.emulator.deliveryLog
      // Until the byte cap has made the log forget its oldest records (a Delivered record is a few hundred bytes).
      for (let i = 0; log.size === i;) {
        eg.publish('bench', Array.from({ length: 100 }, () => acsEvent(i++)))
        await eg.emulator.idle()
      }
      const kept = log.size
      eg.emulator.events.clear() // the events themselves belong to the event store, not to the log
      const full = heapAfterGc()
      log.clear()
      return { capMB: capMiB, heapMB: (full - heapAfterGc()) / MB, kept }
    }
    const deliveryLog = await logged()
    await eg.close()

    // 2. The sink: POSTs of one event each, as a webhook delivery carries it, over HTTP.
    eg = await startEmulator({ port: 0, config: parseConfig(topics(dir), 'bench.yaml', {}), transport: answering(200), shutdownGraceMs: 0 })
    const pool = new Pool(eg.url, { connections: 8 })
    let n = 0
    const total = 2 * capMiB * 1024
    await Promise.all(Array.from({ length: 8 }, async () => {
      while (n < total) {
        const res = await pool.request({ method: 'POST', path: '/sink/bench', headers: { 'content-type': 'application/json; charset=utf-8', 'aeg-event-type': 'Notification' }, body: JSON.stringify([acsEvent(n++)]) })
        await res.body.dump()
      }
    }))
    await pool.close()
    const sinkKept = eg.sink('bench').length
    const sinkFull = heapAfterGc()
    eg.emulator.sink.clear()
    const sink = { capMB: capMiB, heapMB: (sinkFull - heapAfterGc()) / MB, kept: sinkKept }
    await eg.close()

    // 3. The dead-letter listing: every delivery answered 400, so every event is dead-lettered at once.
    eg = await startEmulator({ port: 0, config: parseConfig(topics(dir), 'bench.yaml', {}), transport: answering(400), shutdownGraceMs: 0 })
    const want = Math.ceil(1.5 * capMiB * 1024)
    let published = 0
    while (published < want) {
      eg.publish('bench', Array.from({ length: 100 }, () => acsEvent(published++)))
      await eg.emulator.idle()
    }
    // Dead-letter files are written after the attempt that decided them: wait for every DeadLettered record.
    while ((eg.emulator.counters.of('bench', 'hook').counts.DeadLettered ?? 0) < want) await new Promise((resolve) => setTimeout(resolve, 5))
    eg.emulator.deliveryLog.clear()
    eg.emulator.events.clear()
    const dlKept = eg.emulator.deadLetters.list().length
    const dlFull = heapAfterGc()
    eg.emulator.deadLetters.clear()
    const deadLetters = { capMB: capMiB, heapMB: (dlFull - heapAfterGc()) / MB, kept: dlKept }
    await eg.close()

    results.push({ deliveryLog, sink, deadLetters })
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}
console.log(JSON.stringify(results))
