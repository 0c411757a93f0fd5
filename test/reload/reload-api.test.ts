/**
 * `POST /admin/reload` (and RunningEmulator.reload): what a reload does to each kind of change — changed
 * subscriptions keep pending work when their destination stays, a new destination runs the handshake again,
 * topics and domains come and go — and the errors when there is nothing to reload.
 */
import { writeFile } from 'node:fs/promises'
import { createServer } from 'node:net'
import t from 'tap'
import { request } from 'undici'
import { serveSettingsFromArgs } from '../../src/cli/commands/serve.js'
import { egEvent, startTestEmulator } from '../helpers/build.js'
import { ManualClock } from '../helpers/manual-clock.js'
import { startReceiver } from '../helpers/receiver.js'
import { configFile, startFromFile as start } from '../helpers/reload.js'

const sub = (url: string, extra = ''): string => `{ destination: { endpointType: WebHook, properties: { endpointUrl: "${url}" } }${extra} }`

t.test('a changed subscription with the same destination keeps its pending retry and follows its new settings', async (t) => {
  const receiver = await startReceiver(t, { statuses: [500, 500] })
  const file = await configFile(t, `topics:\n  orders:\n    subscriptions:\n      hook: ${sub(`${receiver.url}/hook`, ', validation: skip')}\n`)
  const clock = new ManualClock()
  const eg = await start(t, file, { clock, random: () => 0 })
  eg.publish('orders', [egEvent({ id: 'e1' })])
  await eg.waitForDeliveries((r) => r.eventIds.includes('e1') && r.outcome === 'Failed')
  await writeFile(file, `topics:\n  orders:\n    subscriptions:\n      hook: ${sub(`${receiver.url}/hook`, ', validation: skip, retryPolicy: { maxDeliveryAttempts: 2 }')}\n`)
  const res = await eg.app.inject({ method: 'POST', url: '/admin/reload' })
  t.equal(res.statusCode, 200)
  t.same(res.json(), {
    file,
    summary: '~subscription orders/hook',
    changes: {
      topics: { added: [], removed: [], changed: [] },
      domains: { added: [], removed: [], changed: [] },
      subscriptions: { orders: [{ name: 'hook', change: 'changed' }] },
      needsRestart: []
    }
  })
  t.equal(eg.emulator.pendingRetries, 1, 'the pending retry survived')
  clock.advance(10_000)
  await eg.waitForDeliveries((r) => r.eventIds.includes('e1') && r.attempt === 2)
  t.match(eg.deliveries({ eventId: 'e1' }).map((r) => r.outcome), ['Failed', 'Failed', 'Dropped'], 'the new maxDeliveryAttempts (2) ended it')
})

t.test('a new destination replaces the subscription: pending work is dropped with a reason and the handshake runs again', async (t) => {
  const before = await startReceiver(t, { defaultStatus: 500 })
  const after = await startReceiver(t)
  const file = await configFile(t, `topics:\n  orders:\n    subscriptions:\n      hook: ${sub(`${before.url}/hook`)}\n`)
  const clock = new ManualClock()
  const eg = await start(t, file, { clock, random: () => 0 })
  eg.publish('orders', [egEvent({ id: 'e1' })])
  await eg.waitForDeliveries((r) => r.eventIds.includes('e1') && r.outcome === 'Failed')
  await writeFile(file, `topics:\n  orders:\n    subscriptions:\n      hook: ${sub(`${after.url}/hook`)}\n`)
  const result = await eg.reload()
  t.match(result, { ok: true, summary: '~subscription (new destination, handshake again) orders/hook' })
  t.match(eg.deliveries({ eventId: 'e1' }).at(-1), { outcome: 'Dropped', reason: 'subscription destination changed in the config file' })
  t.equal(eg.emulator.pendingRetries, 0)
  eg.publish('orders', [egEvent({ id: 'e2' })])
  await eg.waitForDeliveries((r) => r.eventIds.includes('e2') && r.outcome === 'Delivered')
  t.equal(after.received.filter((r) => r.headers['aeg-event-type'] === 'SubscriptionValidation').length, 1, 'the new endpoint got the handshake')
  t.equal(after.notifications().length, 1)
})

t.test('topics and domains are added and removed; runtime-created subscriptions stay', async (t) => {
  const file = await configFile(t, `topics:\n  orders:\n    subscriptions:\n      keep: ${sub('/sink/keep')}\n  old-topic: {}\n`)
  const eg = await start(t, file)
  t.equal((await eg.app.inject({ method: 'PUT', url: '/admin/topics/orders/subscriptions/at-runtime', payload: { destination: { endpointType: 'WebHook', properties: { endpointUrl: '/sink/rt' } } } })).statusCode, 201)
  await writeFile(file, `topics:\n  orders:\n    subscriptions:\n      keep: ${sub('/sink/keep')}\n  new-topic:\n    subscriptions:\n      fresh: ${sub('/sink/fresh')}\ndomains:\n  shop:\n    topics:\n      tenant-a:\n        subscriptions:\n          a-sub: ${sub('/sink/shop-a')}\n`)
  const result = await eg.reload()
  t.match(result, { ok: true, summary: '+topic new-topic; -topic old-topic; +domain shop' })
  t.same([...eg.emulator.topics.keys()], ['orders', 'new-topic'])
  t.same([...eg.emulator.topic('orders')!.subscriptions.keys()], ['keep', 'at-runtime'])
  const gone = await eg.app.inject({ method: 'POST', url: '/topics/old-topic/api/events', payload: [egEvent()] })
  t.equal(gone.statusCode, 404)
  eg.publish('new-topic', [egEvent({ id: 'n1' })])
  eg.publishToDomain('shop', [egEvent({ id: 'd1', topic: 'tenant-a' })])
  await eg.waitForDeliveries((r) => (r.eventIds.includes('n1') || r.eventIds.includes('d1')) && r.outcome === 'Delivered', 2)
  t.equal(eg.sink('fresh').filter((r) => r.headers['aeg-event-type'] === 'Notification').length, 1)
  t.equal(eg.sink('shop-a').filter((r) => r.headers['aeg-event-type'] === 'Notification').length, 1)

  await writeFile(file, `topics:\n  orders:\n    subscriptions:\n      keep: ${sub('/sink/keep')}\n  new-topic:\n    subscriptions:\n      fresh: ${sub('/sink/fresh')}\ndomains:\n  shop:\n    subscriptions:\n      audit: ${sub('/sink/audit')}\n`)
  const second = await eg.reload()
  t.match(second, { ok: true, summary: '+subscription shop/audit; -subscription shop/tenant-a/a-sub' })
  t.same([...eg.emulator.domain('shop')!.topics.keys()], [], 'the domain topic the file dropped went with its last subscription')
  t.match(await eg.reload(), { ok: true, summary: 'no changes' })
})

t.test('server and delivery changes are reported as needing a restart', async (t) => {
  const file = await configFile(t, 'delivery: { timeScale: 1 }\ntopics: {}\n')
  const eg = await start(t, file)
  await writeFile(file, 'delivery: { timeScale: 0.5 }\ntopics: {}\n')
  t.match(await eg.reload(), { ok: true, summary: 'not applied until restart: delivery' })
  t.equal(eg.emulator.config.delivery.timeScale, 1)
})

t.test('limits, namespaces and acs are built at start: a change to them is reported as needing a restart', async (t) => {
  const file = await configFile(t, 'topics: {}\n')
  const eg = await start(t, file)
  await writeFile(file, 'topics: {}\nlimits: { maxPendingEventsPerTopic: 5 }\nacs: { outcomes: [{ to: "*", status: Failed }] }\nnamespaces:\n  shop:\n    topics: { orders: { eventSubscriptions: {} } }\n')
  t.match(await eg.reload(), { ok: true, summary: 'not applied until restart: limits, namespaces, acs' })
})

t.test('without a config file there is nothing to reload: 409, and watch is refused', async (t) => {
  const eg = await startTestEmulator(t, 'topics: {}\n')
  const res = await eg.app.inject({ method: 'POST', url: '/admin/reload' })
  t.equal(res.statusCode, 409)
  t.same(res.json(), { error: { code: 'Conflict', message: 'This emulator was not started from a config file (--config FILE or EVENTGRID_EMULATOR_CONFIG), so there is nothing to reload.', details: [{ code: 'ReloadUnavailable', message: 'This emulator was not started from a config file (--config FILE or EVENTGRID_EMULATOR_CONFIG), so there is nothing to reload.' }] } })
  await t.rejects(eg.reload(), { message: 'this emulator was not started from a config file, so there is nothing to reload' })
  await t.rejects(startTestEmulator(t, 'topics: {}\n', { watch: true }), { message: 'watching needs a config file: give --config FILE (or EVENTGRID_EMULATOR_CONFIG)' })
})

t.test('serve --watch and EVENTGRID_EMULATOR_WATCH', async (t) => {
  t.equal(serveSettingsFromArgs(['--config', 'c.yaml', '--watch'], {}).options.watch, true)
  t.equal(serveSettingsFromArgs([], { EVENTGRID_EMULATOR_CONFIG: 'c.yaml', EVENTGRID_EMULATOR_WATCH: '1' }).options.watch, true)
  t.equal(serveSettingsFromArgs(['--config', 'c.yaml'], { EVENTGRID_EMULATOR_WATCH: '' }).options.watch, undefined, 'an empty variable counts as unset')
  t.equal(serveSettingsFromArgs(['--config', 'c.yaml'], { EVENTGRID_EMULATOR_WATCH: 'false' }).options.watch, undefined)
  t.throws(() => serveSettingsFromArgs(['--config', 'c.yaml'], { EVENTGRID_EMULATOR_WATCH: 'yes' }), { message: "EVENTGRID_EMULATOR_WATCH must be 1 or true (watch the config file) or 0 or false, got 'yes'." })
  t.throws(() => serveSettingsFromArgs(['--watch'], {}), { message: '--watch (EVENTGRID_EMULATOR_WATCH) watches the config file: give --config FILE (or EVENTGRID_EMULATOR_CONFIG) too.' })
})

t.test('a changed domain keeps its subscriptions and runtime domain topics; its own port follows the file', async (t) => {
  const freePort = async (): Promise<number> => await new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => { const { port } = server.address() as { port: number }; server.close(() => { resolve(port) }) })
  })
  const [p1, p2] = [await freePort(), await freePort()]
  const domain = (keys: string, port: number): string => `domains:\n  shop:\n    keys: [${keys}]\n    port: ${port}\n    subscriptions:\n      audit: ${sub('/sink/audit')}\n`
  const file = await configFile(t, domain('a2V5LW9uZQ==', p1))
  const eg = await start(t, file)
  t.equal((await eg.app.inject({ method: 'PUT', url: '/admin/domains/shop/topics/rt-topic/subscriptions/rt-sub', payload: { destination: { endpointType: 'WebHook', properties: { endpointUrl: '/sink/rt' } } } })).statusCode, 201)
  const audit = eg.emulator.domain('shop')!.scope.subscriptions.get('audit')
  await writeFile(file, domain('a2V5LXR3bw==', p2))
  t.match(await eg.reload(), { ok: true, summary: '~domain shop' })
  const shop = eg.emulator.domain('shop')!
  t.equal(shop.scope.subscriptions.get('audit'), audit, 'the same live subscription')
  t.same([...shop.topics.keys()], ['rt-topic'], 'the runtime-created domain topic stayed')
  const post = async (port: number, key: string): Promise<number> => {
    const res = await request(`http://127.0.0.1:${port}/api/events`, { method: 'POST', headers: { 'content-type': 'application/json', 'aeg-sas-key': key }, body: JSON.stringify([egEvent({ topic: 'rt-topic' })]) }).catch(() => undefined)
    await res?.body.dump()
    return res?.statusCode ?? 0
  }
  t.equal(await post(p2, 'a2V5LW9uZQ=='), 401, 'the old key no longer works, on the new port')
  t.equal(await post(p2, 'a2V5LXR3bw=='), 200, 'the new key does')
  t.equal(await post(p1, 'a2V5LXR3bw=='), 0, 'the old port is closed')
})
