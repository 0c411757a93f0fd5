/**
 * The natural start order — emulator first, app second — with the shipped config.example.yaml: the webhook is not
 * listening when the emulator validates it; once it starts, every subscription ends Succeeded and nothing is dropped.
 */
import { readFile } from 'node:fs/promises'
import { createServer } from 'node:net'
import Fastify from 'fastify'
import t from 'tap'
import { parseConfig } from '../../src/config/load-config.js'
import { startEmulator } from '../../src/index.js'

t.test('serve config.example.yaml before its receiver, then start it: all Succeeded, no event dropped', async (t) => {
  const probe = createServer()
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve))
  const port = (probe.address() as { port: number }).port
  await new Promise<void>((resolve) => probe.close(() => { resolve() }))
  // The example's receiver URL, moved to a free port: everything else is the file as shipped.
  const yaml = (await readFile(new URL('../../config.example.yaml', import.meta.url), 'utf8')).replaceAll('http://127.0.0.1:7071/api/sms', `http://127.0.0.1:${port}/api/sms`)
  const eg = await startEmulator({ port: 0, timeScale: 0.01, dataDir: t.testdir(), config: parseConfig(yaml, 'config.example.yaml', {}) })
  t.teardown(eg.close)
  const state = (): string | undefined => eg.emulator.topic('acs')?.subscriptions.get('sms-bot')?.state
  while (!/ECONNREFUSED/.test(eg.emulator.topic('acs')?.subscriptions.get('sms-bot')?.stateReason ?? '')) await new Promise((resolve) => setTimeout(resolve, 5))
  t.equal(state(), 'Creating', 'the unreachable webhook keeps its subscription Creating')
  eg.simulate('acs', { eventType: 'Microsoft.Communication.SMSReceived', id: 'early', subject: '/phonenumber/14255550100', data: { message: 'help me' } })
  t.match(eg.deliveries({ eventId: 'early', subscription: 'sms-bot' }), [{ outcome: 'Waiting' }])

  const app = Fastify()
  const got: string[] = []
  app.post('/api/sms', async (req) => {
    const [e] = req.body as Array<{ id: string, data: { validationCode?: string } }>
    if (req.headers['aeg-event-type'] === 'SubscriptionValidation') return { validationResponse: e!.data.validationCode }
    got.push(e!.id)
    return ''
  })
  await app.listen({ host: '127.0.0.1', port })
  t.teardown(async () => { await app.close() })
  await eg.waitForDeliveries((r) => r.eventIds.includes('early') && r.outcome === 'Delivered', 1, 10_000)
  t.same(got, ['early'], 'the event that waited is delivered once')
  for (const topic of eg.emulator.topics.values()) {
    for (const sub of topic.subscriptions.values()) t.equal(sub.state, 'Succeeded', `${topic.name}/${sub.name} Succeeded`)
  }
  t.same(eg.deliveries({ status: 'Dropped' }), [], 'no event dropped')
})
