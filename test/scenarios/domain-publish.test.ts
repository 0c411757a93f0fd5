/** A scenario's `publish` step to an event domain, in-process and against a running emulator. */
import t from 'tap'
import { parseScenario } from '../../src/scenarios/load-scenario.js'
import { runScenario } from '../../src/scenarios/run-scenario.js'
import { localTargets } from '../../src/scenarios/target-local.js'
import { remoteTargets } from '../../src/scenarios/target-remote.js'
import { startTestEmulator } from '../helpers/build.js'
import { configFile } from '../helpers/reload.js'

const CONFIG = `
domains:
  shop:
    keys: [bG9jYWwtZGV2LWtleQ==]
    subscriptions:
      audit:
        destination: { endpointType: WebHook, properties: { endpointUrl: /sink/audit } }
    topics:
      tenant-a:
        subscriptions:
          a-orders:
            destination: { endpointType: WebHook, properties: { endpointUrl: /sink/a } }
`
const SCENARIO = `name: domain
steps:
  - publish: { domain: shop, key: bG9jYWwtZGV2LWtleQ==, events: [{ topic: tenant-a, eventType: Shop.Order, subject: o/1 }, { topic: tenant-b, eventType: Shop.Order, subject: o/2 }] }
  - expect: { subscription: a-orders, subject: o/1, within: 2s }
  - expect: { subscription: audit, count: 2, within: 2s }
  - expectNoDelivery: { subscription: a-orders, subject: o/2, for: 100ms }
`

t.test('in-process: publish to a domain from the config', async (t) => {
  const file = await configFile(t, CONFIG)
  const r = await runScenario(parseScenario(SCENARIO, 's.yaml', {}), await localTargets({ config: file, timeScale: 0.001, env: {} }))
  t.same(r.steps.map((s) => [s.title, s.status]), [
    ["publish 2 events to domain 'shop'", 'passed'],
    ["expect a delivery to subscription 'a-orders' within 2s", 'passed'],
    ["expect 2 deliveries to subscription 'audit' within 2s", 'passed'],
    ["expect no delivery to subscription 'a-orders' for 100ms", 'passed']
  ])
})

t.test('remote: publish to a domain over HTTP with its key', async (t) => {
  const eg = await startTestEmulator(t, CONFIG)
  const r = await runScenario(parseScenario(SCENARIO, 's.yaml', {}), remoteTargets(eg.url))
  t.ok(r.passed, JSON.stringify(r.steps.map((s) => s.message)))
})

t.test('a publish step names a topic or a domain, not both or neither', async (t) => {
  t.throws(() => parseScenario('name: x\nsteps:\n  - publish: { event: { eventType: A } }\n', 's.yaml', {}), { message: /s\.yaml:3:14 steps\[0\]\.publish: give either 'topic' or 'domain' \(an event domain of the config; each event names its domain topic\), not neither/ })
  t.throws(() => parseScenario('name: x\nsteps:\n  - publish: { topic: a, domain: b, event: { eventType: A } }\n', 's.yaml', {}), { message: /give either 'topic' or 'domain' .*, not both/ })
})
