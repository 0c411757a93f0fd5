/**
 * The config validators load lazily for the CLI (src/config/load-validators.ts), but the library entry hands them
 * over at import: a core built with composeEmulator checks a runtime subscription synchronously, as documented in
 * docs/node-api.md, without startEmulator having loaded them.
 */
import t from 'tap'
import { composeEmulator, parseConfig } from '../../src/index.js'

t.test('composeEmulator(...).putSubscription checks a body without startEmulator', async (t) => {
  const core = composeEmulator(parseConfig('topics:\n  orders: {}\n', 'test.yaml', {}))
  t.teardown(async () => { await core.close(0) })
  const topic = core.topic('orders')!
  const bad = core.putSubscription(topic, 'bad', { destination: { endpointType: 'WebHook', properties: {} } })
  t.equal(bad.ok, false)
  t.match(bad.ok ? [] : bad.problems, [/endpointUrl/])
  const good = core.putSubscription(topic, 'good', { destination: { endpointType: 'WebHook', properties: { endpointUrl: 'http://127.0.0.1:9/hook' } } })
  t.equal(good.ok, true, good.ok ? '' : good.problems.join('; '))
})
