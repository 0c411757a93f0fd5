import t from 'tap'
import { configCheck } from '../../src/cli/commands/config-check.js'
import { ConfigError, loadConfigFile, parseConfig } from '../../src/config/load-config.js'

function problemsOf (yaml: string, env: Record<string, string> = {}): string[] {
  try {
    parseConfig(yaml, 'c.yaml', env)
  } catch (err) {
    if (err instanceof ConfigError) return err.problems.map((p) => `${p.file}:${p.line}:${p.col} ${p.message}`)
    throw err
  }
  return []
}

t.test('a valid config gets defaults and expands ${VAR} and ${VAR:-default}', async (t) => {
  const config = parseConfig(`
server:
  port: \${PORT:-4100}
topics:
  orders:
    keys: ["\${ORDERS_KEY}", "\${SECOND:-fallback}"]
    subscriptions:
      hook:
        destination: { endpointType: WebHook, properties: { endpointUrl: "http://127.0.0.1:\${HOOK_PORT}/api" } }
`, 'c.yaml', { ORDERS_KEY: 'k1', HOOK_PORT: '7071' })
  t.equal(config.server.port, 4100, 'an unquoted ${VAR:-4100} becomes a number')
  t.equal(config.server.host, '127.0.0.1')
  t.equal(config.delivery.timeScale, 1)
  t.equal(config.acs.profile, 'current')
  t.same(config.topics.orders!.keys, ['k1', 'fallback'])
  t.equal(config.topics.orders!.subscriptions.hook!.destination.properties.endpointUrl, 'http://127.0.0.1:7071/api')
})

t.test('an unset variable without default is reported at its position', async (t) => {
  t.same(problemsOf('topics:\n  orders:\n    keys: ["${NOPE}"]\n'), [
    "c.yaml:3:12 environment variable 'NOPE' is not set and has no default (write ${NOPE:-default})"
  ])
})

t.test('unknown keys are rejected at the key, with a did-you-mean hint', async (t) => {
  const problems = problemsOf('server:\n  prot: 4000\ndelivery:\n  timescale: 2\n')
  t.equal(problems.length, 2, 'all problems at once')
  t.match(problems[0], /^c\.yaml:2:3 server\.prot: unknown key 'prot'\. Did you mean 'port'\?/)
  t.match(problems[1], /^c\.yaml:4:3 delivery\.timescale: unknown key 'timescale'\. Did you mean 'timeScale'\?/)
})

t.test('a bad enum value names the allowed values and suggests one', async (t) => {
  const [p] = problemsOf('topics:\n  orders:\n    inputSchema: CloudEventSchema\n')
  t.match(p, /^c\.yaml:3:18 topics\.orders\.inputSchema: 'CloudEventSchema' is not allowed\. Did you mean 'CloudEventSchemaV1_0'\? Allowed values: EventGridSchema, CloudEventSchemaV1_0, CustomEventSchema\./)
})

t.test('type errors and ranges name the value', async (t) => {
  const problems = problemsOf('server: { port: "abc" }\ndelivery: { timeScale: -1 }\n')
  t.match(problems[0], /c\.yaml:1:17 server\.port: must be integer, got 'abc'/)
  t.match(problems[1], /c\.yaml:2:24 delivery\.timeScale: number -1 must be > 0/)
})

t.test('YAML syntax errors carry line and column', async (t) => {
  const [p] = problemsOf('topics:\n  orders: [\n')
  t.match(p, /^c\.yaml:\d+:\d+ /)
})

t.test('subscription rules: missing destination, bad URL, schema combination, retry range', async (t) => {
  const problems = problemsOf(`
topics:
  clouds:
    inputSchema: CloudEventSchemaV1_0
    subscriptions:
      eg-out:
        destination: { endpointType: WebHook, properties: { endpointUrl: "ftp://x" } }
        eventDeliverySchema: EventGridSchema
      no-dest:
        filter: {}
      retries:
        destination: { endpointType: WebHook, properties: { endpointUrl: /sink/a } }
        retryPolicy: { maxDeliveryAttempts: 31 }
`)
  t.ok(problems.some((p) => /topics\.clouds\.subscriptions\.no-dest: missing required key 'destination'/.test(p)), problems.join('\n'))
  t.ok(problems.some((p) => /retryPolicy\.maxDeliveryAttempts: number 31 must be <= 30/.test(p)), problems.join('\n'))
})

t.test('semantic rules are reported once the shape is valid', async (t) => {
  const problems = problemsOf(`
topics:
  clouds:
    inputSchema: CloudEventSchemaV1_0
    subscriptions:
      eg-out:
        destination: { endpointType: WebHook, properties: { endpointUrl: "ftp://x" } }
        eventDeliverySchema: EventGridSchema
  custom:
    inputSchema: CustomEventSchema
    subscriptions: {}
  acs:
    topicType: Microsoft.Communication.CommunicationServices
    inputSchema: EventGridSchema
    subscriptions: {}
`)
  t.match(problems.join('\n'), /c\.yaml:7:\d+ .*endpointUrl: 'ftp:\/\/x' is not an http\(s\) URL/)
  t.match(problems.join('\n'), /c\.yaml:8:30 .*eventDeliverySchema: 'EventGridSchema' cannot be delivered from a topic whose inputSchema is 'CloudEventSchemaV1_0'.*Allowed: CloudEventSchemaV1_0/)
  t.match(problems.join('\n'), /topics\.custom: missing required key 'inputSchemaMapping'/)
  t.match(problems.join('\n'), /topics\.acs: missing required key 'source'/)
  t.match(problems.join('\n'), /topics\.acs\.inputSchema: 'inputSchema' is not allowed on a system topic/)
})

t.test('invalid topic and subscription names', async (t) => {
  const problems = problemsOf('topics:\n  a_b:\n    subscriptions:\n      x: { destination: { endpointType: WebHook, properties: { endpointUrl: /sink/a } } }\n')
  t.match(problems.join('\n'), /c\.yaml:2:3 topics\.a_b: name 'a_b' is not a valid topic name/)
})

t.test('filters are validated with the subscription path', async (t) => {
  const problems = problemsOf(`
topics:
  orders:
    subscriptions:
      hook:
        destination: { endpointType: WebHook, properties: { endpointUrl: /sink/a } }
        filter:
          advancedFilters:
            - { operatorType: NumberBetween, key: data.n, values: [1] }
`)
  t.match(problems.join('\n'), /c\.yaml:9:\d+ topics\.orders\.subscriptions\.hook\.filter\.advancedFilters\[0\]/)
})

t.test('delivery attribute rules: reserved prefix, static without value, too long', async (t) => {
  const problems = problemsOf(`
topics:
  orders:
    subscriptions:
      hook:
        destination:
          endpointType: WebHook
          properties:
            endpointUrl: /sink/a
            deliveryAttributeMappings:
              - { name: aeg-custom, type: Static, properties: { value: x } }
              - { name: X-Static, type: Static, properties: {} }
              - { name: X-Dyn, type: Dynamic, properties: {} }
              - { name: X-Long, type: Static, properties: { value: "${'y'.repeat(5000)}" } }
`)
  const all = problems.join('\n')
  t.match(all, /deliveryAttributeMappings\[0\]\.name: header 'aeg-custom' uses the reserved prefix 'aeg-'/)
  t.match(all, /deliveryAttributeMappings\[1\]\.properties: a Static mapping needs 'value'/)
  t.match(all, /deliveryAttributeMappings\[2\]\.properties: a Dynamic mapping needs 'sourceField'/)
  t.match(all, /deliveryAttributeMappings\[3\]\.properties\.value: value is 5000 bytes; a header value may be at most 4096 bytes/)
})

t.test('loadConfigFile: unreadable file', async (t) => {
  await t.rejects(loadConfigFile('/nonexistent/config.yaml'), { name: 'ConfigError', message: /cannot read config file/ })
})

t.test('config check exits 0 for a valid file and 1 with file:line:col for a bad one', async (t) => {
  const dir = t.testdir({
    'good.yaml': 'topics:\n  orders:\n    subscriptions: {}\n',
    'bad.yaml': 'topics:\n  orders:\n    subscriptons: {}\n'
  })
  let out = ''
  let err = ''
  const io = { stdout: (s: string) => { out += s }, stderr: (s: string) => { err += s }, env: {} }
  t.equal(await configCheck([`${dir}/good.yaml`], io), 0)
  t.match(out, /good\.yaml: OK \(1 topic, 0 subscriptions\)/)
  t.equal(await configCheck([`${dir}/bad.yaml`], io), 1)
  t.match(err, new RegExp(`${dir}/bad\\.yaml:3:5 topics\\.orders\\.subscriptons: unknown key 'subscriptons'\\. Did you mean 'subscriptions'\\?`))
  t.match(err, /1 problem found/)
  t.equal(await configCheck([], io), 2)
})

t.test('every problem at once: shape errors do not hide the semantic rules of sound topics and subscriptions', async (t) => {
  const problems = problemsOf(`server: { port: 4000 }
topics:
  acs:
    topicType: Microsoft.Communication.CommunicationServices
    subscriptions:
      s1:
        destination: { endpointType: WebHook, properties: { endpointUrl: "http://x" } }
        filter: { includedEventTypes: [Bogus] }
  orders:
    keys: 5
    subscriptons: {}
`)
  t.same(problems, [
    "c.yaml:4:5 topics.acs: missing required key 'source' (the resource id of the Microsoft.Communication.CommunicationServices resource)",
    "c.yaml:6:7 topics.acs.subscriptions.s1: name 's1' is not a valid subscription name: use 3-64 letters, digits or hyphens",
    "c.yaml:8:40 topics.acs.subscriptions.s1.filter.includedEventTypes[0]: unknown event type 'Bogus' for this topic. Use one of the topic's event types or 'All'",
    'c.yaml:10:11 topics.orders.keys: must be array, got number 5',
    "c.yaml:11:5 topics.orders.subscriptons: unknown key 'subscriptons'. Did you mean 'subscriptions'? Allowed keys: topicType, source, resourceId, inputSchema, inputSchemaMapping, keys, port, acsAccessKey, acsSenders, subscriptions."
  ])
})

t.test('${VAR} inside a flow map: quoted works (typed by the schema), unquoted says how to fix it in one problem', async (t) => {
  const config = parseConfig(`server: { host: 127.0.0.1, port: "\${PORT}" }
delivery: { timeScale: "\${SCALE:-0.5}" }
topics:
  orders: { keys: ["\${KEY}"], subscriptions: {} }
`, 'c.yaml', { PORT: '4106', KEY: '12345' })
  t.equal(config.server.port, 4106, 'a quoted "${PORT}" becomes the integer the schema asks for')
  t.equal(config.delivery.timeScale, 0.5)
  t.same(config.topics.orders!.keys, ['12345'], 'a quoted numeric key stays the string the schema asks for')
  t.same(problemsOf('server: { port: "${PORT}" }\n', { PORT: 'abc' }), ["c.yaml:1:17 server.port: must be integer, got 'abc'"], 'a value that is not a number is still refused')
  const unquoted = problemsOf('server: { host: 127.0.0.1, port: ${PORT} }\ntopics:\n  orders: { keys: [${KEY}] }\n', { PORT: '4106' })
  t.equal(unquoted.length, 1, 'one problem, not a cascade')
  t.match(unquoted[0], /^c\.yaml:1:\d+ .*A \$\{VAR\} inside \{ … \} or \[ … \] must be quoted: write "\$\{VAR\}".*further syntax errors follow from this one/)
})
