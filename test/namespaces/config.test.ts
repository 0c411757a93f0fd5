/** `namespaces:` in the config file: defaults, and every problem reported at its `file:line:col`. */
import t from 'tap'
import { ConfigError, parseConfig } from '../../src/config/load-config.js'

function problemsOf (yaml: string): string[] {
  try {
    parseConfig(yaml, 'c.yaml', {})
  } catch (err) {
    if (err instanceof ConfigError) return err.problems.map((p) => `${p.file}:${p.line}:${p.col} ${p.message}`)
    throw err
  }
  return []
}

t.test('a valid namespace config loads; empty blocks become empty maps', async (t) => {
  const config = parseConfig(`
namespaces:
  orders-ns:
    keys: [a2V5]
    port: 4100
    topics:
      orders:
        eventRetentionInDays: 7
        eventSubscriptions:
          worker:
            deliveryConfiguration:
              deliveryMode: Queue
              queue: { receiveLockDurationInSeconds: 300, maxDeliveryCount: 5, eventTimeToLive: P7D }
            eventDeliverySchema: CloudEventSchemaV1_0
            filtersConfiguration:
              includedEventTypes: [A, B]
              filters: [{ operatorType: StringIn, key: subject, values: [x] }]
      empty:
`, 'c.yaml', {})
  t.equal(config.namespaces!['orders-ns']!.port, 4100)
  t.same(config.namespaces!['orders-ns']!.topics.empty, { eventSubscriptions: {} })
  t.same(parseConfig('server: { port: 4000 }', 'c.yaml', {}).namespaces, {})
})

t.test('shape problems: limits, enums, unknown keys, names', async (t) => {
  const problems = problemsOf(`
namespaces:
  orders-ns:
    topics:
      orders:
        eventRetentionInDays: 8
        eventSubscriptions:
          worker:
            deliveryConfiguration:
              deliveryMode: Pull
              queue: { receiveLockDurationInSeconds: 30, maxDeliveryCount: 11 }
          w2:
            deliveryConfiguration: { deliveryMode: Queue, queue: { lockDuration: 60 } }
`)
  t.same(problems, [
    'c.yaml:6:31 namespaces.orders-ns.topics.orders.eventRetentionInDays: number 8 must be <= 7',
    "c.yaml:10:29 namespaces.orders-ns.topics.orders.eventSubscriptions.worker.deliveryConfiguration.deliveryMode: 'Pull' is not allowed. Did you mean 'Push'? Allowed values: Queue, Push.",
    'c.yaml:11:54 namespaces.orders-ns.topics.orders.eventSubscriptions.worker.deliveryConfiguration.queue.receiveLockDurationInSeconds: number 30 must be >= 60',
    'c.yaml:11:76 namespaces.orders-ns.topics.orders.eventSubscriptions.worker.deliveryConfiguration.queue.maxDeliveryCount: number 11 must be <= 10',
    "c.yaml:12:11 namespaces.orders-ns.topics.orders.eventSubscriptions.w2: name 'w2' is not a valid name",
    "c.yaml:13:68 namespaces.orders-ns.topics.orders.eventSubscriptions.w2.deliveryConfiguration.queue.lockDuration: unknown key 'lockDuration'. Allowed keys: receiveLockDurationInSeconds, maxDeliveryCount, eventTimeToLive, deadLetterDestinationWithResourceIdentity."
  ])
})

t.test('semantic problems: mode blocks, TTL, endpoint, filters, ports', async (t) => {
  const problems = problemsOf(`
server: { port: 4000 }
topics:
  events:
    port: 4100
namespaces:
  ns-one:
    port: 4100
    topics:
      orders:
        eventSubscriptions:
          worker:
            deliveryConfiguration:
              deliveryMode: Queue
              queue: { eventTimeToLive: P2D }
              push: { destination: { endpointType: WebHook, properties: { endpointUrl: http://x } } }
          ttl-short:
            deliveryConfiguration: { deliveryMode: Queue, queue: { eventTimeToLive: PT30S } }
          ttl-bad:
            deliveryConfiguration: { deliveryMode: Queue, queue: { eventTimeToLive: 1 day } }
          no-push:
            deliveryConfiguration: { deliveryMode: Push }
          bad-url:
            deliveryConfiguration:
              deliveryMode: Push
              push: { destination: { endpointType: WebHook, properties: { endpointUrl: "ftp://x" } } }
          bad-filter:
            deliveryConfiguration: { deliveryMode: Queue }
            filtersConfiguration:
              filters: [{ operatorType: NumberGreaterThan, key: data.n, value: ten }]
  ns-two:
    port: 4000
`)
  t.same(problems, [
    "c.yaml:8:11 namespaces.ns-one.port: port 4100 is already used by topic 'events'",
    "c.yaml:15:41 namespaces.ns-one.topics.orders.eventSubscriptions.worker.deliveryConfiguration.queue.eventTimeToLive: 'P2D' is longer than the topic's eventRetentionInDays (1 day); raise eventRetentionInDays (at most 7) or shorten the TTL",
    "c.yaml:16:21 namespaces.ns-one.topics.orders.eventSubscriptions.worker.deliveryConfiguration.push: 'push' does not apply to deliveryMode Queue; use 'queue' (or set deliveryMode: Push)",
    "c.yaml:18:85 namespaces.ns-one.topics.orders.eventSubscriptions.ttl-short.deliveryConfiguration.queue.eventTimeToLive: 'PT30S' is shorter than the minimum of 1 minute (PT1M)",
    "c.yaml:20:85 namespaces.ns-one.topics.orders.eventSubscriptions.ttl-bad.deliveryConfiguration.queue.eventTimeToLive: '1 day' is not an ISO 8601 duration of days/hours/minutes/seconds, like P1D, PT10M or P1DT12H",
    "c.yaml:22:36 namespaces.ns-one.topics.orders.eventSubscriptions.no-push.deliveryConfiguration: missing required key 'push' (deliveryMode Push needs push.destination with an endpointUrl)",
    "c.yaml:26:88 namespaces.ns-one.topics.orders.eventSubscriptions.bad-url.deliveryConfiguration.push.destination.properties.endpointUrl: 'ftp://x' is not an http(s) URL or a path on this emulator (like /sink/demo)",
    'c.yaml:30:80 namespaces.ns-one.topics.orders.eventSubscriptions.bad-filter.filtersConfiguration.filters[0].value: NumberGreaterThan needs a number, got the string "ten"',
    "c.yaml:32:11 namespaces.ns-two.port: port 4000 is already used by the emulator's own server.port"
  ])
})

t.test('the built-in default config has a namespace with a pull subscription', async (t) => {
  const { DEFAULT_CONFIG_YAML } = await import('../../src/config/default-config.js')
  const config = parseConfig(DEFAULT_CONFIG_YAML, 'default', {})
  t.same(config.namespaces!.local!.topics.events!.eventSubscriptions['default-queue']!.deliveryConfiguration, { deliveryMode: 'Queue' })
})

t.test('config.example.yaml declares a namespace with a pull and a push subscription', async (t) => {
  const { loadConfigFile } = await import('../../src/config/load-config.js')
  const config = await loadConfigFile(new URL('../../config.example.yaml', import.meta.url).pathname, {})
  const subs = config.namespaces!.shop!.topics.orders!.eventSubscriptions
  t.same(Object.entries(subs).map(([n, s]) => [n, s.deliveryConfiguration.deliveryMode]), [['worker', 'Queue'], ['audit', 'Push']])
})

t.test('config check counts namespaces', async (t) => {
  const { configCheck } = await import('../../src/cli/commands/config-check.js')
  let out = ''
  const code = await configCheck([new URL('../../config.example.yaml', import.meta.url).pathname], { stdout: (s) => { out += s }, stderr: (s) => { out += s }, env: {} })
  t.equal(code, 0, out)
  t.match(out, /OK \(3 topics, 3 subscriptions\) and 1 namespace \(1 topic, 2 event subscriptions\)\n$/)
})
