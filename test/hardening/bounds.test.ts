/**
 * Memory stays bounded: sinks (count, requests per sink, bytes per request, total bytes), the delivery log and
 * the dead-letter listing (count and bytes), all configurable under `limits`; listener timeouts under `server`.
 */
import t from 'tap'
import { DeadLetterStore } from '../../src/delivery/dead-letter-store.js'
import { DeliveryLog } from '../../src/delivery/delivery-log.js'
import { ConfigError, parseConfig } from '../../src/config/load-config.js'
import { SinkStore } from '../../src/sink/sink-store.js'
import { buildTestApp, startTestEmulator } from '../helpers/build.js'

t.test('POST /sink/{name}: a body over limits.sink.maxRequestBytes → 413 naming the size and the limit', async (t) => {
  const { app } = await buildTestApp(t, 'limits: { sink: { maxRequestBytes: 2048 } }\ntopics: {}')
  const res = await app.inject({ method: 'POST', url: '/sink/big', payload: JSON.stringify({ pad: 'x'.repeat(3000) }), headers: { 'content-type': 'application/json' } })
  t.equal(res.statusCode, 413)
  t.same(res.json(), { error: { code: 'RequestEntityTooLarge', message: 'The request body is 3010 bytes; a sink accepts at most 2048 bytes per request (limits.sink.maxRequestBytes).', details: [{ code: 'PayloadTooLarge', message: 'The request body is 3010 bytes; a sink accepts at most 2048 bytes per request (limits.sink.maxRequestBytes).' }] } })
  t.equal((await app.inject({ method: 'GET', url: '/sink/big' })).json().count, 0)
})

t.test('the default per-request bound is 1 MiB + 128 KiB (was 64 MiB)', async (t) => {
  const { app } = await buildTestApp(t, 'topics: {}')
  const res = await app.inject({ method: 'POST', url: '/sink/big', payload: JSON.stringify({ pad: 'x'.repeat(2 * 1024 * 1024) }), headers: { 'content-type': 'application/json' } })
  t.equal(res.statusCode, 413)
  t.match(res.json(), { error: { message: /a sink accepts at most 1179648 bytes per request/ } })
})

t.test('sinks: at most maxSinks names (least recently written forgotten), maxRequestsPerSink each, maxTotalBytes in all', async (t) => {
  const { app } = await buildTestApp(t, 'limits: { sink: { maxSinks: 3, maxRequestsPerSink: 2, maxTotalBytes: 4096 } }\ntopics: {}')
  const post = async (name: string, body: unknown): Promise<void> => {
    const res = await app.inject({ method: 'POST', url: `/sink/${name}`, payload: JSON.stringify(body), headers: { 'content-type': 'application/json' } })
    t.equal(res.statusCode, 200)
  }
  const get = async (name: string): Promise<{ count: number, events: unknown[], forgotten: number }> => (await app.inject({ method: 'GET', url: `/sink/${name}` })).json()
  for (let i = 0; i < 3; i++) await post('a', { n: i })
  t.match(await get('a'), { count: 2, events: [{ n: 1 }, { n: 2 }], forgotten: 1 })
  await post('b', { n: 0 })
  await post('c', { n: 0 })
  await post('d', { n: 0 })
  t.match(await get('a'), { count: 0 }, "sink 'a' (least recently written) was forgotten when a fourth sink appeared")
  t.match(await get('d'), { count: 1 })
  // Bytes: 4 KiB in all. Two 1.5 KiB bodies fit; a third pushes out the oldest request overall (b's).
  await post('c', { pad: 'x'.repeat(1500) })
  await post('d', { pad: 'y'.repeat(1500) })
  await post('c', { pad: 'z'.repeat(1500) })
  t.match(await get('b'), { count: 0, forgotten: 1 })
})

t.test('SinkStore never keeps more than its byte budget, whatever the mix of sinks', async (t) => {
  const store = new SinkStore({ maxSinks: 50, maxRequestsPerSink: 100, maxTotalBytes: 100_000 })
  for (let i = 0; i < 5000; i++) store.record(`s${i % 77}`, { receivedAt: '', method: 'POST', headers: {}, body: 'x'.repeat(i % 3000), status: 200 })
  const usage = store.usage
  t.ok(usage.bytes <= 100_000, `kept ${usage.bytes} bytes`)
  t.ok(usage.sinks <= 50, `kept ${usage.sinks} sinks`)
  t.equal(usage.requests, [...Array(77).keys()].reduce((n, i) => n + store.get(`s${i}`).length, 0), 'the count agrees with the sinks')
})

t.test('delivery log: bounded in records and in bytes', async (t) => {
  const log = new DeliveryLog(1000, 20_000)
  for (let i = 0; i < 500; i++) log.add({ time: '', topic: 't', subscription: 's', eventIds: [`e${i}`], outcome: 'Dropped', reason: 'r'.repeat(400) })
  t.ok(log.size < 40, `${log.size} records of ~600 bytes kept under 20,000 bytes`)
  t.equal(log.query().at(-1)!.eventIds[0], 'e499', 'the newest are kept')
  const small = new DeliveryLog(10)
  for (let i = 0; i < 25; i++) small.add({ time: '', topic: 't', subscription: 's', eventIds: [`e${i}`], outcome: 'Delivered' })
  t.same(small.query().map((r) => r.eventIds[0]), Array.from({ length: 10 }, (_, i) => `e${i + 15}`))
})

t.test('dead-letter listing: bounded in entries and in bytes; the files stay on disk', async (t) => {
  const store = new DeadLetterStore(t.testdir(), { maxEntries: 100, maxBytes: 10_000 })
  for (let i = 0; i < 20; i++) {
    await store.write({ topic: 't', subscription: 's', container: 'dl', reason: 'r', eventIds: [`e${i}`], events: [{ pad: 'x'.repeat(2000) }], now: new Date('2024-05-01T12:00:00Z') })
  }
  const listed = store.list()
  t.equal(listed.length, 4, 'four ~2 KB entries fit in 10,000 bytes')
  t.same(listed.map((e) => e.eventIds[0]), ['e16', 'e17', 'e18', 'e19'])
})

t.test('limits and timeouts are validated as config keys (file:line:col)', async (t) => {
  const problems = ((): string[] => {
    try { parseConfig('server: { requestTimeoutMs: 5 }\nlimits:\n  sink: { maxSinks: 0 }\n  maxPendingEventsPerTopic: -1\n', 'c.yaml', {}) } catch (err) { if (err instanceof ConfigError) return err.message.split('\n'); throw err }
    return []
  })()
  t.same(problems, [
    'c.yaml:1:29 server.requestTimeoutMs: number 5 must be >= 1000',
    'c.yaml:3:21 limits.sink.maxSinks: number 0 must be >= 1',
    'c.yaml:4:29 limits.maxPendingEventsPerTopic: number -1 must be >= 1'
  ])
})

t.test('server.requestTimeoutMs and headersTimeoutMs reach the listener', async (t) => {
  const eg = await startTestEmulator(t, 'server: { requestTimeoutMs: 5000, headersTimeoutMs: 2000 }\ntopics: {}')
  t.equal(eg.app.server.requestTimeout, 5000)
  t.equal(eg.app.server.headersTimeout, 2000)
  const defaults = await startTestEmulator(t, 'topics: {}')
  t.equal(defaults.app.server.requestTimeout, 30_000)
  t.equal(defaults.app.server.headersTimeout, 10_000)
})
