/**
 * The natural start order — emulator first, app second — with the shipped config.example.yaml: the webhook is not
 * listening when the emulator validates it; once it starts, every subscription ends Succeeded and nothing is dropped.
 */
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import t from 'tap'
import { listenLateReceiver } from '../helpers/late-receiver.js'
import { parseConfig } from '../../src/config/load-config.js'
import { startEmulator } from '../../src/index.js'
import { withFreePort } from '../helpers/free-port.js'

t.test('serve config.example.yaml before its receiver, then start it: all Succeeded, no event dropped', async (t) => {
  const got: string[] = []
  const dataDir = t.testdir()
  let before: { state?: string, early: unknown } = { early: undefined }
  // A port nobody listens on yet; if another process takes it before the receiver binds it, start over on another
  // (with a data dir of its own, so the first attempt's journal is not resumed).
  const eg = await withFreePort(async (port) => {
    // The example's receiver URL, moved to a free port: everything else is the file as shipped.
    const yaml = (await readFile(new URL('../../config.example.yaml', import.meta.url), 'utf8')).replaceAll('http://127.0.0.1:7071/api/sms', `http://127.0.0.1:${port}/api/sms`)
    const eg = await startEmulator({ port: 0, timeScale: 0.01, dataDir: join(dataDir, String(port)), config: parseConfig(yaml, 'config.example.yaml', {}) })
    t.teardown(eg.close)
    while (!/ECONNREFUSED/.test(eg.emulator.topic('acs')?.subscriptions.get('sms-bot')?.stateReason ?? '')) await new Promise((resolve) => setTimeout(resolve, 5))
    before = { state: eg.emulator.topic('acs')?.subscriptions.get('sms-bot')?.state, early: undefined }
    eg.simulate('acs', { eventType: 'Microsoft.Communication.SMSReceived', id: 'early', subject: '/phonenumber/14255550100', data: { message: 'help me' } })
    before.early = eg.deliveries({ eventId: 'early', subscription: 'sms-bot' })

    await listenLateReceiver(t, port, '/api/sms', got, async () => { await eg.close() })
    return eg
  })
  t.equal(before.state, 'Creating', 'the unreachable webhook keeps its subscription Creating')
  t.match(before.early, [{ outcome: 'Waiting' }])
  await eg.waitForDeliveries((r) => r.eventIds.includes('early') && r.outcome === 'Delivered', 1, 10_000)
  t.same(got, ['early'], 'the event that waited is delivered once')
  for (const topic of eg.emulator.topics.values()) {
    for (const sub of topic.subscriptions.values()) t.equal(sub.state, 'Succeeded', `${topic.name}/${sub.name} Succeeded`)
  }
  t.same(eg.deliveries({ status: 'Dropped' }), [], 'no event dropped')
})
