/**
 * Retries with Event Grid's schedule, the non-retried statuses, max attempts, TTL, timeouts (reference §5).
 */
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import t from 'tap'
import { request } from 'undici'
import { egEvent, startTestEmulator } from '../helpers/build.js'
import { ManualClock } from '../helpers/manual-clock.js'
import { startReceiver } from '../helpers/receiver.js'

function yaml (url: string, opts: { timeScale?: number, retry?: string, deadLetter?: boolean, dir?: string } = {}): string {
  return `
delivery: { timeScale: ${opts.timeScale ?? 0.001}${opts.dir !== undefined ? `, deadLetterDir: "${opts.dir}"` : ''} }
topics:
  orders:
    subscriptions:
      hook:
        validation: skip
        destination: { endpointType: WebHook, properties: { endpointUrl: "${url}/hook" } }
${opts.retry !== undefined ? `        retryPolicy: ${opts.retry}\n` : ''}${opts.deadLetter === true ? '        deadLetterDestination: { endpointType: StorageBlob, properties: { blobContainerName: dead-letters } }\n' : ''}`
}

t.test('a receiver failing 3 times then succeeding: 4 attempts, aeg-delivery-count 0..3, scaled spacing', async (t) => {
  const receiver = await startReceiver(t, { statuses: [500, 503, 500] })
  const eg = await startTestEmulator(t, yaml(receiver.url, { timeScale: 0.001 }), { random: () => 0 })
  eg.publish('orders', [egEvent({ id: 'retry-me' })])
  const got = await receiver.waitFor(4)
  t.same(got.map((r) => r.headers['aeg-delivery-count']), ['0', '1', '2', '3'])
  const gaps = got.slice(1).map((r, i) => r.at - got[i]!.at)
  // 10 s, 30 s (503 has a 30 s floor), 60 s scaled by 0.001 → 10, 30, 60 ms (plus jitter ≤ 10 %).
  t.ok(gaps[0]! >= 9, `first gap ${gaps[0]} ≥ 10 ms`)
  t.ok(gaps[1]! >= 29, `second gap ${gaps[1]} ≥ 30 ms`)
  t.ok(gaps[2]! >= 59, `third gap ${gaps[2]} ≥ 60 ms`)
  const records = await eg.waitForDeliveries((r) => r.eventIds.includes('retry-me') && r.outcome === 'Delivered')
  t.equal(records[0]!.attempt, 4)
  const log = eg.deliveries({ eventId: 'retry-me' })
  t.same(log.map((r) => [r.attempt, r.status, r.outcome]), [[1, 500, 'Failed'], [2, 503, 'Failed'], [3, 500, 'Failed'], [4, 200, 'Delivered']])
  t.ok(log[0]!.nextAttemptTime, 'failed attempts record the next attempt time')
})

t.test('the exact schedule with an injected clock: 10 s, 30 s, 1 min, 5 min, 10 min, 30 min, 1 h, 3 h, 6 h, 12 h', async (t) => {
  const clock = new ManualClock()
  const receiver = await startReceiver(t, { defaultStatus: 500 })
  const eg = await startTestEmulator(t, yaml(receiver.url, { timeScale: 1, retry: '{ maxDeliveryAttempts: 12, eventTimeToLiveInMinutes: 1440 }' }), { clock, random: () => 0 })
  eg.publish('orders', [egEvent({ id: 'sched' })])
  const delays: number[] = []
  for (let attempt = 1; attempt <= 11; attempt++) {
    await receiver.waitFor(attempt)
    await eg.waitForDeliveries((r) => r.eventIds.includes('sched') && r.attempt === attempt)
    const delay = clock.nextDelay()
    if (delay === undefined) break
    delays.push(delay)
    clock.advance(delay)
  }
  const s = 1000
  t.same(delays.slice(0, 10), [10 * s, 30 * s, 60 * s, 300 * s, 600 * s, 1800 * s, 3600 * s, 3 * 3600 * s, 6 * 3600 * s, 12 * 3600 * s])
  // 11 attempts span 22 h 46 min 40 s; the 12th would be due after 24 h, so the TTL ends it.
  t.equal(receiver.notifications().length, 11)
  t.match(eg.deliveries({ eventId: 'sched' }).at(-1), { outcome: 'Dropped', reason: /^TimeToLiveExceeded/ })
})

for (const status of [400, 401, 403, 413]) {
  t.test(`HTTP ${status} is not retried: dead-lettered at once`, async (t) => {
    const dir = t.testdir()
    const receiver = await startReceiver(t, { defaultStatus: status })
    const eg = await startTestEmulator(t, yaml(receiver.url, { deadLetter: true, dir }))
    eg.publish('orders', [egEvent({ id: `dl-${status}` })])
    const [record] = await eg.waitForDeliveries((r) => r.eventIds.includes(`dl-${status}`) && r.outcome === 'DeadLettered')
    t.equal(receiver.notifications().length, 1, 'exactly one attempt')
    t.match(record!.reason, status === 400 ? /UndeliverableDueToHttpBadRequest/ : /UndeliverableDueToClientError/)
  })
}

t.test('max attempts exhausted → dead-letter file with the right fields and path', async (t) => {
  const dir = t.testdir()
  const clock = new ManualClock(Date.parse('2024-03-05T07:30:00Z'))
  const receiver = await startReceiver(t, { defaultStatus: 404 })
  const eg = await startTestEmulator(t, yaml(receiver.url, { timeScale: 1, retry: '{ maxDeliveryAttempts: 3 }', deadLetter: true, dir }), { clock, random: () => 0 })
  const event = egEvent({ id: 'exhaust' })
  eg.publish('orders', [event])
  for (let i = 1; i <= 2; i++) {
    await eg.waitForDeliveries((r) => r.eventIds.includes('exhaust') && r.attempt === i)
    clock.advance(clock.nextDelay()!)
  }
  const [record] = await eg.waitForDeliveries((r) => r.eventIds.includes('exhaust') && r.outcome === 'DeadLettered')
  t.equal(receiver.notifications().length, 3)
  const listing = await (await request(`${eg.url}/admin/dead-letters?subscription=hook`)).body.json() as { value: Array<{ path: string, reason: string }> }
  t.equal(listing.value.length, 1)
  const path = listing.value[0]!.path
  // <container>/<SUBSCRIPTION-UPPER>/<yyyy>/<M>/<d>/<H>/<uuid>.json, UTC, not zero-padded; 10 s + 30 s after 07:30.
  t.match(path, /^dead-letters\/HOOK\/2024\/3\/5\/7\/[0-9a-f-]{36}\.json$/)
  t.match(record!.reason, new RegExp(`MaxDeliveryAttemptsExceeded; written to ${path}`))
  const content = JSON.parse(await readFile(join(dir, path), 'utf8')) as Array<Record<string, unknown>>
  t.equal(content.length, 1)
  t.match(content[0], {
    id: 'exhaust',
    eventType: event.eventType,
    deadLetterReason: 'MaxDeliveryAttemptsExceeded',
    deliveryAttempts: 3,
    lastDeliveryOutcome: 'NotFound',
    lastHttpStatusCode: 404,
    publishTime: '2024-03-05T07:30:00.000Z',
    lastDeliveryAttemptTime: '2024-03-05T07:30:40.000Z'
  })
})

t.test('TTL is checked when the next attempt is due → TimeToLiveExceeded', async (t) => {
  const dir = t.testdir()
  const clock = new ManualClock()
  const receiver = await startReceiver(t, { defaultStatus: 500 })
  const eg = await startTestEmulator(t, yaml(receiver.url, { timeScale: 1, retry: '{ maxDeliveryAttempts: 30, eventTimeToLiveInMinutes: 1 }', deadLetter: true, dir }), { clock, random: () => 0 })
  eg.publish('orders', [egEvent({ id: 'ttl' })])
  // Attempts at 0 s, 10 s, 40 s; the next is due at 1 min 40 s, past the 1-minute TTL.
  for (let i = 1; i <= 3; i++) {
    await eg.waitForDeliveries((r) => r.eventIds.includes('ttl') && r.attempt === i)
    clock.advance(clock.nextDelay()!)
  }
  const [record] = await eg.waitForDeliveries((r) => r.eventIds.includes('ttl') && r.outcome === 'DeadLettered')
  t.match(record!.reason, /TimeToLiveExceeded/)
  t.equal(receiver.notifications().length, 3)
  t.equal(record!.time, new Date(clock.now()).toISOString(), 'dead-lettered when the 4th attempt was due, not at expiry')
})

t.test('without a dead-letter destination, an undeliverable event is recorded as dropped with its reason', async (t) => {
  const receiver = await startReceiver(t, { defaultStatus: 400 })
  const eg = await startTestEmulator(t, yaml(receiver.url))
  eg.publish('orders', [egEvent({ id: 'drop' })])
  const [record] = await eg.waitForDeliveries((r) => r.eventIds.includes('drop') && r.outcome === 'Dropped')
  t.match(record!.reason, /UndeliverableDueToHttpBadRequest; no deadLetterDestination is configured/)
})

t.test('a receiver that hangs past the timeout: TimedOut, then retried', async (t) => {
  const receiver = await startReceiver(t, { delayMs: 2000 })
  const eg = await startTestEmulator(t, yaml(receiver.url), { deliveryTimeoutMs: 150 })
  eg.publish('orders', [egEvent({ id: 'slow' })])
  const [first] = await eg.waitForDeliveries((r) => r.eventIds.includes('slow') && r.attempt === 1)
  t.equal(first!.outcome, 'Failed')
  t.equal(first!.error, 'TimedOut')
  t.notOk(first!.status)
  const [second] = await eg.waitForDeliveries((r) => r.eventIds.includes('slow') && r.attempt === 2)
  t.equal(second!.error, 'TimedOut', 'the retry happens and times out too')
})

t.test('GET /admin/deliveries filters by subscription, event id and status', async (t) => {
  const receiver = await startReceiver(t, { statuses: [500] })
  const eg = await startTestEmulator(t, yaml(receiver.url))
  eg.publish('orders', [egEvent({ id: 'q1' })])
  await eg.waitForDeliveries((r) => r.eventIds.includes('q1') && r.outcome === 'Delivered')
  const get = async (q: string): Promise<Array<{ status?: number, outcome: string }>> =>
    ((await (await request(`${eg.url}/admin/deliveries?${q}`)).body.json()) as { value: Array<{ status?: number, outcome: string }> }).value
  t.same((await get('eventId=q1')).map((r) => r.status), [500, 200])
  t.same((await get('eventId=q1&status=500')).map((r) => r.outcome), ['Failed'])
  t.same((await get('subscription=hook&status=Delivered')).length, 1)
  t.same(await get('subscription=other'), [])
  const bad = await request(`${eg.url}/admin/deliveries?limit=abc`)
  t.equal(bad.statusCode, 400)
  t.match(await bad.body.json(), { error: { message: /limit must be a positive integer, got 'abc'/ } })
  const bogus = await request(`${eg.url}/admin/deliveries?status=bogus`)
  t.equal(bogus.statusCode, 400, 'a status that can match nothing is refused')
  t.match(await bogus.body.json(), { error: { code: 'BadRequest', details: [{ code: 'InvalidQueryParameter' }], message: /status 'bogus' is not an outcome or an HTTP status code\. .*Allowed: Delivered, Failed, DeadLettered, Dropped, NotMatched, Waiting, or a status code such as 500/ } })
  const typo = await request(`${eg.url}/admin/deliveries?subscripton=hook`)
  t.equal(typo.statusCode, 400, 'an unknown parameter is refused')
  t.match(await typo.body.json(), { error: { message: /Unknown query parameter 'subscripton'\. Did you mean 'subscription'\? Allowed parameters: topic, subscription, eventId, status, limit\./ } })
  const dl = await request(`${eg.url}/admin/dead-letters?topc=orders`)
  t.equal(dl.statusCode, 400)
  t.match(await dl.body.json(), { error: { message: /Unknown query parameter 'topc'\. Did you mean 'topic'\?/ } })
  t.same((await get('status=failed')).map((r) => r.outcome), ['Failed'], 'outcome names match in any case')
})

t.test('a transport that throws counts as a failed attempt (SocketError), not a lost event', async (t) => {
  const clock = new ManualClock()
  let calls = 0
  const transport = {
    send: async () => { calls++; if (calls === 1) throw new Error('boom'); return { status: 200, headers: {}, body: '', durationMs: 1 } },
    close: async () => {},
    destroy: async () => {}
  }
  const eg = await startTestEmulator(t, yaml('http://webhook.invalid'), { clock, transport, random: () => 0 })
  eg.publish('orders', [egEvent({ id: 'throws' })])
  const [first] = await eg.waitForDeliveries((r) => r.eventIds.includes('throws') && r.attempt === 1)
  t.match(first, { outcome: 'Failed', error: 'SocketError', reason: /boom/ })
  clock.advance(clock.nextDelay()!)
  const [second] = await eg.waitForDeliveries((r) => r.eventIds.includes('throws') && r.attempt === 2)
  t.equal(second!.outcome, 'Delivered')
})

t.test('due retries obey the per-subscription concurrency cap (16 requests in flight)', async (t) => {
  const clock = new ManualClock()
  let inFlight = 0
  let peak = 0
  let firstRound = true
  const transport = {
    send: async () => {
      inFlight++
      peak = Math.max(peak, inFlight)
      await new Promise((resolve) => setImmediate(resolve))
      inFlight--
      return { status: firstRound ? 500 : 200, headers: {}, body: '', durationMs: 1 }
    },
    close: async () => {},
    destroy: async () => {}
  }
  const eg = await startTestEmulator(t, yaml('http://webhook.invalid'), { clock, transport, random: () => 0 })
  eg.publish('orders', Array.from({ length: 200 }, (_, i) => egEvent({ id: `c${i}` })))
  await eg.waitForDeliveries((r) => r.outcome === 'Failed', 200)
  t.ok(peak <= 16, `first attempts: peak ${peak} ≤ 16`)
  peak = 0
  firstRound = false
  clock.advance(10_000) // every retry becomes due at the same instant
  await eg.waitForDeliveries((r) => r.outcome === 'Delivered', 200)
  t.ok(peak <= 16, `retries: peak ${peak} ≤ 16`)
})

t.test('TTL dead-letter file: reason, attempts, and the time of the last attempt (not of the decision)', async (t) => {
  const dir = t.testdir()
  const clock = new ManualClock(Date.parse('2024-06-01T12:00:00Z'))
  const receiver = await startReceiver(t, { defaultStatus: 503 })
  const eg = await startTestEmulator(t, yaml(receiver.url, { timeScale: 1, retry: '{ eventTimeToLiveInMinutes: 1 }', deadLetter: true, dir }), { clock, random: () => 0 })
  eg.publish('orders', [egEvent({ id: 'ttl-file' })])
  for (let i = 1; i <= 3; i++) {
    await eg.waitForDeliveries((r) => r.eventIds.includes('ttl-file') && r.attempt === i)
    clock.advance(clock.nextDelay()!)
  }
  await eg.waitForDeliveries((r) => r.eventIds.includes('ttl-file') && r.outcome === 'DeadLettered')
  const [entry] = eg.emulator.deadLetters.list()
  const [content] = JSON.parse(await readFile(join(dir, entry!.path), 'utf8')) as Array<Record<string, unknown>>
  // 503 waits at least 30 s: attempts at 0 s, 30 s and 60 s; the 4th would be due at 2 min, past the 1-minute TTL.
  t.match(content, {
    id: 'ttl-file',
    deadLetterReason: 'TimeToLiveExceeded',
    deliveryAttempts: 3,
    lastDeliveryOutcome: 'Busy',
    lastHttpStatusCode: 503,
    publishTime: '2024-06-01T12:00:00.000Z',
    lastDeliveryAttemptTime: '2024-06-01T12:01:00.000Z'
  })
  t.equal(new Date(clock.now()).toISOString(), '2024-06-01T12:02:00.000Z', 'dead-lettered when the 4th attempt was due')
})

t.test('CloudEvents dead letters carry the facts as lower-case attributes', async (t) => {
  const dir = t.testdir()
  const receiver = await startReceiver(t, { defaultStatus: 400 })
  const eg = await startTestEmulator(t, `
delivery: { deadLetterDir: "${dir}" }
topics:
  clouds:
    inputSchema: CloudEventSchemaV1_0
    subscriptions:
      ce-hook:
        validation: skip
        destination: { endpointType: WebHook, properties: { endpointUrl: "${receiver.url}/ce" } }
        deadLetterDestination: { endpointType: StorageBlob, properties: { blobContainerName: ce-dead } }
`)
  eg.publish('clouds', [{ specversion: '1.0', id: 'ce-dl', source: '/src', type: 'T', myext: 'x', data: { a: 1 } }])
  await eg.waitForDeliveries((r) => r.outcome === 'DeadLettered')
  const [entry] = eg.emulator.deadLetters.list()
  t.match(entry!.path, /^ce-dead\/CE-HOOK\/\d{4}\/\d{1,2}\/\d{1,2}\/\d{1,2}\/[0-9a-f-]{36}\.json$/)
  const [content] = JSON.parse(await readFile(join(dir, entry!.path), 'utf8')) as Array<Record<string, unknown>>
  t.match(content, { id: 'ce-dl', specversion: '1.0', myext: 'x', deadletterreason: 'UndeliverableDueToHttpBadRequest', deliveryattempts: 1, lastdeliveryoutcome: 'BadRequest', lasthttpstatuscode: 400, publishtime: String, lastdeliveryattempttime: String })
  t.notOk('deadLetterReason' in content!)
})

t.test('lifecycle is logged as structured lines: retries and dead letters', async (t) => {
  const { Writable } = await import('node:stream')
  const lines: Array<Record<string, unknown>> = []
  const stream = new Writable({ write (chunk: Buffer, _enc, done) { for (const l of chunk.toString().split('\n')) if (l !== '') lines.push(JSON.parse(l) as Record<string, unknown>); done() } })
  const receiver = await startReceiver(t, { statuses: [500], defaultStatus: 400 })
  const eg = await startTestEmulator(t, yaml(receiver.url), { logger: { level: 'info', stream } })
  eg.publish('orders', [egEvent({ id: 'logged' })])
  await eg.waitForDeliveries((r) => r.eventIds.includes('logged') && r.outcome === 'Dropped')
  t.match(lines.find((l) => l.msg === 'delivery failed, retry scheduled'), { level: 40, component: 'delivery', topic: 'orders', subscription: 'hook', eventId: 'logged', eventType: 'Contoso.Orders.Created', attempt: 1, status: 500, nextAttemptTime: String })
  t.match(lines.find((l) => l.msg === 'event dropped'), { level: 40, topic: 'orders', subscription: 'hook', eventId: 'logged', status: 400, attempt: 2, reason: /^UndeliverableDueToHttpBadRequest; no deadLetterDestination/ })
  t.notOk(lines.some((l) => l.msg === 'event delivered' || l.msg === 'http request' || l.msg === 'incoming request'), 'successes and HTTP access lines stay at debug')
})

t.test('at debug: successful deliveries, NotMatched with the explanation, and one access line per HTTP request', async (t) => {
  const { Writable } = await import('node:stream')
  const lines: Array<Record<string, unknown>> = []
  const stream = new Writable({ write (chunk: Buffer, _enc, done) { for (const l of chunk.toString().split('\n')) if (l !== '') lines.push(JSON.parse(l) as Record<string, unknown>); done() } })
  const receiver = await startReceiver(t)
  const eg = await startTestEmulator(t, yaml(receiver.url) + `
      picky:
        validation: skip
        destination: { endpointType: WebHook, properties: { endpointUrl: "${receiver.url}/picky" } }
        filter: { subjectBeginsWith: /invoices/ }
`, { logger: { level: 'debug', stream } })
  await request(`${eg.url}/topics/orders/api/events`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify([egEvent({ id: 'dbg' })]) })
  await eg.waitForDeliveries((r) => r.eventIds.includes('dbg') && r.outcome === 'Delivered')
  t.match(lines.find((l) => l.msg === 'event delivered'), { level: 20, topic: 'orders', subscription: 'hook', eventId: 'dbg', status: 200, attempt: 1, durationMs: Number })
  t.match(lines.find((l) => l.msg === 'event not matched'), { level: 20, subscription: 'picky', eventId: 'dbg', reason: /subjectBeginsWith/ })
  t.match(lines.filter((l) => l.msg === 'http request'), [{ level: 20, method: 'POST', url: '/topics/orders/api/events', statusCode: 200 }])
  t.notOk(lines.some((l) => l.msg === 'incoming request' || l.msg === 'request completed'), "Fastify's own two lines per request are gone")
})

t.test('under --data-dir, dead letters go to DATA_DIR/blobs/<container>/… unless deadLetterDir is set', async (t) => {
  const receiver = await startReceiver(t, { defaultStatus: 400 })
  const dataDir = t.testdir()
  const eg = await startTestEmulator(t, yaml(receiver.url, { deadLetter: true }), { dataDir })
  eg.publish('orders', [egEvent({ id: 'in-data-dir' })])
  await eg.waitForDeliveries((r) => r.eventIds.includes('in-data-dir') && r.outcome === 'DeadLettered')
  t.equal(eg.emulator.deadLetters.directory, join(dataDir, 'blobs'))
  const [entry] = eg.emulator.deadLetters.list()
  t.match(entry!.path, /^dead-letters\/HOOK\//, 'the container is one folder level, not dead-letters/dead-letters')
  t.equal(JSON.parse(await readFile(join(dataDir, 'blobs', entry!.path), 'utf8'))[0].id, 'in-data-dir')

  const explicit = await startTestEmulator(t, yaml(receiver.url, { deadLetter: true, dir: 'my-dead' }), { dataDir })
  t.equal(explicit.emulator.deadLetters.directory, join(dataDir, 'my-dead'), 'an explicit deadLetterDir is relative to the data dir')
})
