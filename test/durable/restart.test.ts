/**
 * Durable mode through the public API: a restart on the same data dir resumes scheduled retries with their attempt
 * count, keeps the delivery history and runtime subscriptions, drops the pending events of a subscription removed
 * from the config with a reason; reset and --fresh start empty.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import t, { type Test } from 'tap'
import { request } from 'undici'
import { startEmulator, type RunningEmulator } from '../../src/index.js'
import { config, egEvent } from '../helpers/build.js'
import { ManualClock } from '../helpers/manual-clock.js'

/** A webhook whose answer can be switched while emulators come and go on the other side. */
async function switchableReceiver (t: Test): Promise<{ url: string, status: { code: number }, got: Array<{ id: string, count: string }> }> {
  const status = { code: 500 }
  const got: Array<{ id: string, count: string }> = []
  const server: Server = createServer((req, res) => {
    let body = ''
    req.on('data', (c: Buffer) => { body += c.toString() })
    req.on('end', () => {
      for (const e of JSON.parse(body) as Array<{ id: string }>) got.push({ id: e.id, count: String(req.headers['aeg-delivery-count']) })
      res.statusCode = status.code
      res.end()
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  t.teardown(() => { server.close() })
  const address = server.address() as { port: number }
  return { url: `http://127.0.0.1:${address.port}`, status, got }
}

const yaml = (url: string, subs = ['hook']): string => `
delivery: { timeScale: 0.01 }
topics:
  orders:
    subscriptions:
${subs.map((s) => `      ${s}:
        validation: skip
        retryPolicy: { maxDeliveryAttempts: 30 }
        destination: { endpointType: WebHook, properties: { endpointUrl: "${url}/${s}" } }`).join('\n')}
`

function dataDir (t: Test): string {
  const dir = mkdtempSync(join(tmpdir(), 'eg-durable-'))
  t.teardown(() => { rmSync(dir, { recursive: true, force: true }) })
  return dir
}

async function start (yamlText: string, dir: string, extra: { fresh?: boolean, clock?: ManualClock } = {}): Promise<RunningEmulator> {
  return await startEmulator({ port: 0, config: config(yamlText), dataDir: dir, random: () => 0, ...extra })
}

t.test('a retry scheduled before a restart is attempted after it, with its attempt count; history survives', async (t) => {
  const receiver = await switchableReceiver(t)
  const dir = dataDir(t)
  // The first emulator's retries move only when the test says so (a clock starting now, so the events are fresh
  // after the restart): exactly two attempts each before the restart, whatever the machine's speed.
  const clock = new ManualClock(Date.now())
  const first = await start(yaml(receiver.url), dir, { clock })
  const publish = await request(`${first.url}/topics/orders/api/events`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify([egEvent({ id: 'e1' }), egEvent({ id: 'e2' })]) })
  t.equal(publish.statusCode, 200)
  await publish.body.dump()
  await first.waitForDeliveries((r) => r.outcome === 'Failed' && r.attempt === 1, 2)
  // To the first retry (10 s, scaled) and no further: the clock stays near real time, so the retries kept in the
  // journal come due right after the restart; the next one is scheduled only after this one fails.
  clock.advance(clock.nextDelay()!)
  await first.waitForDeliveries((r) => r.outcome === 'Failed' && r.attempt === 2, 2)
  await first.close()

  receiver.status.code = 200
  const second = await start(yaml(receiver.url), dir)
  t.teardown(async () => { await second.close() })
  const delivered = await second.waitForDeliveries((r) => r.outcome === 'Delivered', 2)
  t.same(delivered.map((r) => r.eventIds[0]).sort(), ['e1', 'e2'])
  t.same(delivered.map((r) => r.attempt), [3, 3], 'the attempt count carried over the restart')
  t.same(receiver.got.filter((g) => g.count === '2').map((g) => g.id).sort(), ['e1', 'e2'], 'aeg-delivery-count says two attempts came before')
  const history = await request(`${second.url}/admin/deliveries?status=Failed`)
  const failed = (await history.body.json() as { value: Array<{ eventIds: string[], attempt: number }> }).value
  t.equal(failed.filter((r) => r.attempt <= 2).length, 4, 'the Failed records from before the restart are listed')
})

t.test('runtime subscriptions come back; a subscription gone from the config drops its pending events with a reason', async (t) => {
  const receiver = await switchableReceiver(t)
  const dir = dataDir(t)
  const first = await start(yaml(receiver.url, ['hook', 'legacy']), dir)
  const put = await request(`${first.url}/admin/topics/orders/subscriptions/added`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ validation: 'skip', destination: { endpointType: 'WebHook', properties: { endpointUrl: `${receiver.url}/added` } } })
  })
  t.equal(put.statusCode, 201)
  await put.body.dump()
  first.publish('orders', [egEvent({ id: 'e1' })])
  await first.durable()
  await first.waitForDeliveries((r) => r.outcome === 'Failed', 3)
  await first.close()

  receiver.status.code = 200
  const second = await start(yaml(receiver.url, ['hook']), dir)
  t.teardown(async () => { await second.close() })
  t.ok(second.emulator.topic('orders')?.subscriptions.has('added'), 'the subscription created by PUT is back')
  const dropped = await second.waitForDeliveries((r) => r.outcome === 'Dropped' && r.subscription === 'legacy')
  t.match(dropped[0]?.reason, /subscription 'legacy' of 'orders' no longer exists after the restart \(removed from the config\)/)
  const delivered = await second.waitForDeliveries((r) => r.outcome === 'Delivered', 2)
  t.same(delivered.map((r) => r.subscription).sort(), ['added', 'hook'])
})

t.test('POST /admin/reset and --fresh start from an empty journal', async (t) => {
  const receiver = await switchableReceiver(t)
  const dir = dataDir(t)
  const first = await start(yaml(receiver.url), dir)
  first.publish('orders', [egEvent({ id: 'e1' })])
  await first.waitForDeliveries((r) => r.outcome === 'Failed')
  const reset = await request(`${first.url}/admin/reset`, { method: 'POST' })
  t.equal(reset.statusCode, 204)
  await reset.body.dump()
  first.publish('orders', [egEvent({ id: 'e2' })])
  await first.waitForDeliveries((r) => r.outcome === 'Failed' && r.eventIds[0] === 'e2')
  await first.close()

  receiver.status.code = 200
  const second = await start(yaml(receiver.url), dir)
  const delivered = await second.waitForDeliveries((r) => r.outcome === 'Delivered')
  t.same(delivered[0]?.eventIds, ['e2'], 'only what came after the reset is resumed')
  t.notOk(second.deliveries().some((r) => r.eventIds.includes('e1')), 'the history before the reset is gone')
  receiver.status.code = 500
  second.publish('orders', [egEvent({ id: 'e3' })])
  await second.waitForDeliveries((r) => r.outcome === 'Failed' && r.eventIds[0] === 'e3')
  await second.close()

  const third = await start(yaml(receiver.url), dir, { fresh: true })
  t.teardown(async () => { await third.close() })
  t.same(third.deliveries(), [], '--fresh: no history')
  t.equal(third.emulator.pendingRetries, 0, '--fresh: nothing pending')
  await t.rejects(startEmulator({ port: 0, config: config(yaml(receiver.url)), fresh: true }), { message: /--fresh discards the journal of a data dir, and none is set/ })
})

t.test('a journal of another version is refused at start, naming the file and both versions', async (t) => {
  const dir = dataDir(t)
  const { writeFileSync } = await import('node:fs')
  const header = Buffer.alloc(12)
  header.write('EGEMJRNL', 0, 'latin1')
  header.writeUInt32LE(9, 8)
  writeFileSync(join(dir, 'journal.egj'), header)
  await t.rejects(start(yaml('http://127.0.0.1:9'), dir), { message: `${join(dir, 'journal.egj')} is a journal of format version 9; this eventgrid-emulator reads version 1 only. Use the emulator version that wrote it, or start with --fresh to discard it (pending deliveries in it are then lost).` })
})

t.test('the dead-letter listing survives a restart', async (t) => {
  const receiver = await switchableReceiver(t)
  const dir = dataDir(t)
  const withDeadLetters = `
delivery: { timeScale: 0.01 }
topics:
  orders:
    subscriptions:
      hook:
        validation: skip
        retryPolicy: { maxDeliveryAttempts: 1 }
        deadLetterDestination: { endpointType: StorageBlob, properties: { blobContainerName: dead } }
        destination: { endpointType: WebHook, properties: { endpointUrl: "${receiver.url}/hook" } }
`
  const first = await start(withDeadLetters, dir)
  first.publish('orders', [egEvent({ id: 'doomed' })])
  await first.waitForDeliveries((r) => r.outcome === 'DeadLettered')
  await first.close()
  const second = await start(withDeadLetters, dir)
  t.teardown(async () => { await second.close() })
  const res = await request(`${second.url}/admin/dead-letters`)
  const listing = await res.body.json() as { value: Array<{ eventIds: string[], reason: string, path: string }> }
  t.same(listing.value.map((e) => [e.eventIds, e.reason]), [[['doomed'], 'MaxDeliveryAttemptsExceeded']])
  t.match(listing.value[0]?.path, /^dead\/HOOK\//)
})

t.test('domain publishing is durable too, and a runtime subscription on a new domain topic comes back with its topic', async (t) => {
  const receiver = await switchableReceiver(t)
  const dir = dataDir(t)
  const domainYaml = `
delivery: { timeScale: 0.01 }
domains:
  shop:
    subscriptions: {}
    topics: {}
`
  const first = await start(domainYaml, dir)
  const put = await first.app.inject({
    method: 'PUT',
    url: '/admin/domains/shop/topics/tenant-b/subscriptions/b-orders',
    payload: { validation: 'skip', retryPolicy: { maxDeliveryAttempts: 30 }, destination: { endpointType: 'WebHook', properties: { endpointUrl: `${receiver.url}/b` } } }
  })
  t.equal(put.statusCode, 201)
  const publish = await request(`${first.url}/domains/shop/api/events`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify([egEvent({ id: 'd1', topic: 'tenant-b' })]) })
  t.equal(publish.statusCode, 200)
  await publish.body.dump()
  await first.waitForDeliveries((r) => r.outcome === 'Failed')
  await first.close()

  receiver.status.code = 200
  const second = await start(domainYaml, dir)
  t.teardown(async () => { await second.close() })
  t.ok(second.emulator.scopeNamed('shop/tenant-b')?.subscriptions.has('b-orders'), 'the domain topic and its subscription are back')
  const delivered = await second.waitForDeliveries((r) => r.outcome === 'Delivered')
  t.same([delivered[0]?.topic, delivered[0]?.subscription, delivered[0]?.eventIds], ['shop/tenant-b', 'b-orders', ['d1']])
})
