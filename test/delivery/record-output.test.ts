/**
 * Every place a delivery-log record comes out — the in-process API, GET /admin/deliveries, the dashboard's event
 * detail, the live stream, waitForDeliveries, the log lines (debug level) and the durable journal — gives exactly
 * the text it gave before the log kept its records in a compact form (test/fixtures/record-output.golden.json, written
 * by the code that kept plain objects). Covers every kind of record: attempts (delivered, failed with a retry,
 * failed for good, network errors, fractional durations), decisions (dropped, dead-lettered with its log extra,
 * deleted subscription, shutdown), NotMatched, batches (several types, one or several subjects) and CloudEvents
 * without a subject. Run with EG_WRITE_GOLDEN=1 to write the file from the current code.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Writable } from 'node:stream'
import t from 'tap'
import { request } from 'undici'
import { decodeJournal } from '../../src/durable/journal-file.js'
import type { OutboundRequest, Transport, TransportResult } from '../../src/delivery/ports.js'
import { startEmulator, type DeliveryRecord } from '../../src/index.js'
import { config } from '../helpers/build.js'
import { ManualClock } from '../helpers/manual-clock.js'

const GOLDEN = new URL('../fixtures/record-output.golden.json', import.meta.url)

const yaml = `
topics:
  orders:
    subscriptions:
      good:
        validation: skip
        destination: { endpointType: WebHook, properties: { endpointUrl: "http://receiver.test/good" } }
      flaky:
        validation: skip
        retryPolicy: { maxDeliveryAttempts: 3 }
        destination: { endpointType: WebHook, properties: { endpointUrl: "http://receiver.test/flaky" } }
      refused:
        validation: skip
        destination: { endpointType: WebHook, properties: { endpointUrl: "http://receiver.test/refused" } }
      batched:
        validation: skip
        destination: { endpointType: WebHook, properties: { endpointUrl: "http://receiver.test/batched", maxEventsPerBatch: 10 } }
      doomed:
        validation: skip
        destination: { endpointType: WebHook, properties: { endpointUrl: "http://receiver.test/doomed" } }
      pending:
        destination: { endpointType: WebHook, properties: { endpointUrl: "http://receiver.test/pending" } }
      others:
        validation: skip
        filter: { includedEventTypes: [Other.Type] }
        destination: { endpointType: WebHook, properties: { endpointUrl: "http://receiver.test/others" } }
  cloud:
    inputSchema: CloudEventSchemaV1_0
    subscriptions:
      cloudy:
        validation: skip
        destination: { endpointType: WebHook, properties: { endpointUrl: "http://receiver.test/cloudy" } }
`

/** Answers by the endpoint's last path segment and the ids sent, from a script (then 200). */
function scriptedTransport (script: Record<string, Array<Partial<TransportResult>>>): Transport {
  return {
    send: async (req: OutboundRequest): Promise<TransportResult> => {
      const name = req.url.slice(req.url.lastIndexOf('/') + 1)
      const sent = JSON.parse(req.body ?? '[]') as { id?: string } | Array<{ id?: string }>
      const ids = (Array.isArray(sent) ? sent : [sent]).map((e) => e.id).join(',')
      const next = script[`${name}:${ids}`]?.shift() ?? { status: 200 }
      return { headers: {}, durationMs: 0, ...next }
    },
    close: async () => {},
    destroy: async () => {}
  }
}

async function settle (): Promise<void> {
  for (let i = 0; i < 10; i++) await new Promise((resolve) => setImmediate(resolve))
}

const eg = (id: string, type = 'Contoso.Created', subject = '/orders/1'): Record<string, unknown> =>
  ({ id, subject, eventType: type, eventTime: '2024-05-01T12:00:00Z', dataVersion: '1', data: { id } })

t.test('records read the same everywhere, byte for byte', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'eg-records-'))
  t.teardown(() => { rmSync(dir, { recursive: true, force: true }) })
  const clock = new ManualClock(Date.parse('2024-05-01T12:00:00.250Z'))
  const lines: string[] = []
  const logStream = new Writable({ write (chunk: Buffer, _enc, done) { lines.push(...chunk.toString().split('\n').filter((l) => l !== '')); done() } })
  const transport = scriptedTransport({
    'good:a': [{ status: 200, durationMs: 12.345 }],
    'flaky:a': [{ status: 500, durationMs: 3.21 }, { status: 500, durationMs: 1 }, { status: 502, durationMs: 1 }],
    'flaky:b': [{ error: 'SocketError', errorMessage: 'connect ECONNREFUSED', durationMs: 0.06 }],
    'flaky:c': [{ status: 503, durationMs: 7 }],
    'flaky:i': [{ status: 500, durationMs: 7 }],
    'refused:a': [{ status: 400, durationMs: 1 }],
    'doomed:a': [{ status: 500, durationMs: 2 }, { status: 500, durationMs: 2 }, { status: 500, durationMs: 2 }],
    'batched:b,c,d': [{ error: 'TimedOut', errorMessage: 'no answer in 30000 ms', durationMs: 30000.04 }]
  })
  const running = await startEmulator({ port: 0, config: config(yaml), clock, transport, random: () => 0.37, dataDir: dir, logger: { level: 'debug', stream: logStream } })
  let closed = false
  t.teardown(async () => { if (!closed) await running.close() })
  const frames: string[] = []
  const sse = await request(`${running.url}/admin/stream`)
  sse.body.setEncoding('utf8')
  sse.body.on('data', (chunk: string) => { frames.push(chunk) })
  sse.body.on('error', () => {})
  const waited = running.waitForDeliveries((r) => r.outcome === 'Failed', 3, 5000)

  running.publish('orders', [eg('a')])
  running.publish('orders', [eg('b', 'T1'), eg('c', 'T2'), eg('d', 'T1')])
  running.publish('orders', [eg('e', 'T1', '/x'), eg('f', 'T1', '/y')])
  running.publish('cloud', [{ specversion: '1.0', id: 'g', source: '/src', type: 'Cloud.Type', data: { n: 1 } }])
  await settle()
  await running.durable()
  clock.advance(11_000)
  await settle()
  clock.advance(40_000)
  await settle()
  // doomed still waits for its retry: deleting it drops the batch.
  const del = await running.app.inject({ method: 'DELETE', url: '/admin/topics/orders/subscriptions/doomed' })
  t.equal(del.statusCode, 204)
  running.publish('orders', [eg('h')])
  await settle()
  await running.durable()

  const admin = await running.app.inject({ method: 'GET', url: '/admin/deliveries' })
  const adminLimited = await running.app.inject({ method: 'GET', url: '/admin/deliveries?subscription=FLAKY&status=500&limit=5' })
  const detail = await running.app.inject({ method: 'GET', url: '/admin/events/orders/a' })
  const subs = await running.app.inject({ method: 'GET', url: '/admin/topics/orders/subscriptions' })
  const stats = await running.app.inject({ method: 'GET', url: '/admin/stats' })
  const inProcess = JSON.stringify(running.deliveries())
  const byEvent = JSON.stringify(running.deliveries({ eventId: 'b' }))
  const waitedFor = JSON.stringify(await waited)
  const last = running.deliveries().at(-1)!.seq
  while (!frames.join('').includes(`id: ${last}\n`)) await new Promise((resolve) => setTimeout(resolve, 5))
  const stream = frames.join('').split('\n\n').filter((f) => f.includes('"kind":"decision"'))
  // Shutdown with an event waiting for its retry: dropped (not journalled, it stays owed).
  running.publish('orders', [eg('i')])
  await settle()
  clock.advance(0)
  await running.close()
  closed = true
  const journal = decodeJournal(readFileSync(join(dir, 'journal.egj')), 'journal.egj').entries
    .filter((e) => (e as { k: string }).k === 'r')
    .map((e) => JSON.stringify(e))

  const out = {
    inProcess,
    byEvent,
    waitedFor,
    admin: admin.body,
    adminLimited: adminLimited.body,
    detail: detail.body,
    subscriptions: subs.body,
    stats: stats.body,
    stream,
    // The delivery lines at every level (pino's own time, pid and host vary from run to run).
    logs: lines.map((l) => JSON.parse(l) as Record<string, unknown>).filter((l) => l.component === 'delivery')
      .map((l) => JSON.stringify(Object.fromEntries(Object.entries(l).filter(([k]) => !['time', 'pid', 'hostname'].includes(k))))),
    journal
  }
  // The port and the manual-validation token change from run to run.
  const text = JSON.stringify(out, null, 1).replaceAll(dir, '<dir>').replaceAll(running.url, '<url>').replace(/token=[0-9a-f-]+/g, 'token=<token>')
  if (process.env.EG_WRITE_GOLDEN === '1') writeFileSync(GOLDEN, text + '\n')
  const golden = JSON.parse(readFileSync(GOLDEN, 'utf8')) as typeof out
  const now = JSON.parse(text) as typeof out
  for (const key of Object.keys(golden) as Array<keyof typeof out>) t.same(now[key], golden[key], key)
  // Sanity: the scenario produced the records it is about.
  const outcomes = (JSON.parse(inProcess) as DeliveryRecord[]).map((r) => `${r.subscription}:${r.outcome}`)
  for (const o of ['good:Delivered', 'flaky:Failed', 'flaky:Dropped', 'refused:Dropped', 'batched:Delivered', 'doomed:Dropped', 'others:NotMatched', 'cloudy:Delivered']) t.ok(outcomes.includes(o), o)
})
