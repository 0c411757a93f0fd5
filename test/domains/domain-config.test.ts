/** `domains:` in the config file: defaults, and every problem reported at its `file:line:col`. */
import { readFile } from 'node:fs/promises'
import t from 'tap'
import { configCheck } from '../../src/cli/commands/config-check.js'
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

t.test('a domain gets empty subscription maps where the file has none', async (t) => {
  const config = parseConfig('domains:\n  shop:\n    topics:\n      tenant-a:\n      tenant-b: { subscriptions: }\n', 'c.yaml', {})
  t.same(config.domains, { shop: { subscriptions: {}, topics: { 'tenant-a': { subscriptions: {} }, 'tenant-b': { subscriptions: {} } } } })
  t.same(parseConfig('topics: {}\n', 'c.yaml', {}).domains, {}, 'no domains: an empty map')
})

t.test('a domain named like a topic is refused', async (t) => {
  t.same(problemsOf('topics:\n  shop: {}\ndomains:\n  shop: {}\n'), [
    "c.yaml:4:3 domains.shop: name 'shop' is also a topic; give the domain another name (the delivery log and dead letters tell topics and domains apart by name)"
  ])
})

t.test('resourceId must be a domain resource id; CustomEventSchema needs a mapping with a topic field', async (t) => {
  t.same(problemsOf('domains:\n  shop:\n    resourceId: /subscriptions/x/resourceGroups/rg/providers/Microsoft.EventGrid/topics/shop\n    inputSchema: CustomEventSchema\n'), [
    "c.yaml:3:5 domains.shop: missing required key 'inputSchemaMapping' (required when inputSchema is CustomEventSchema)",
    "c.yaml:3:17 domains.shop.resourceId: '/subscriptions/x/resourceGroups/rg/providers/Microsoft.EventGrid/topics/shop' is not a domain resource id: expected /subscriptions/SUB/resourceGroups/RG/providers/Microsoft.EventGrid/domains/NAME"
  ])
  t.same(problemsOf('domains:\n  shop:\n    inputSchema: CustomEventSchema\n    inputSchemaMapping:\n      inputSchemaMappingType: Json\n      properties:\n        eventType: { sourceField: kind }\n'), [
    "c.yaml:7:9 domains.shop.inputSchemaMapping.properties: missing 'topic: { sourceField: ... }': on a domain the mapped topic field names each event's domain topic"
  ])
  t.same(problemsOf('domains:\n  shop:\n    inputSchemaMapping: { inputSchemaMappingType: Json, properties: {} }\n'), [
    'c.yaml:3:25 domains.shop.inputSchemaMapping: inputSchemaMapping is only used with inputSchema: CustomEventSchema (this domain uses EventGridSchema)'
  ])
})

t.test('ports may not collide with topics, other domains or server.port', async (t) => {
  t.same(problemsOf('server: { port: 4000 }\ntopics:\n  orders: { port: 5000 }\ndomains:\n  shop: { port: 5000 }\n  mall: { port: 4000 }\n  fair: { port: 5001 }\n  expo: { port: 5001 }\n'), [
    "c.yaml:5:17 domains.shop.port: port 5000 is already used by topic 'orders'",
    "c.yaml:6:17 domains.mall.port: port 4000 is the emulator's own server.port",
    "c.yaml:8:17 domains.expo.port: port 5001 is already used by domain 'fair'"
  ])
})

t.test('names, types and subscriptions are checked like elsewhere', async (t) => {
  t.same(problemsOf('domains:\n  d1: {}\n  shop:\n    topics:\n      "a b": {}\n      ok-topic:\n        subscriptions:\n          s1:\n            destination: { endpointType: WebHook, properties: {} }\n    autoCreateTopicWithFirstSubscription: "yes"\n'), [
    "c.yaml:2:3 domains.d1: name 'd1' is not a valid domain name: use 3-50 letters, digits or hyphens",
    "c.yaml:5:7 domains.shop.topics.a b: name 'a b' is not a valid domain topic name: use 3-128 letters, digits, '-', '_' or '.', starting with a letter or digit",
    "c.yaml:8:11 domains.shop.topics.ok-topic.subscriptions.s1: name 's1' is not a valid subscription name: use 3-64 letters, digits or hyphens",
    "c.yaml:10:43 domains.shop.autoCreateTopicWithFirstSubscription: must be boolean, got 'yes'"
  ])
  const [p] = problemsOf('domains:\n  shop:\n    topics:\n      tenant-a:\n        subscriptions:\n          hook:\n            destination: { endpointType: WebHook, properties: {} }\n')
  t.match(p, /^c\.yaml:7:\d+ domains\.shop\.topics\.tenant-a\.subscriptions\.hook\.destination/, 'subscription semantics are checked with their path')
})

t.test('Azure limits: 50 domain-scope subscriptions, 500 per domain topic', async (t) => {
  const subs = (n: number, indent: string): string => Array.from({ length: n }, (_, i) => `${indent}s-${i}: { destination: { endpointType: WebHook, properties: { endpointUrl: /sink/x } } }`).join('\n')
  t.same(problemsOf(`domains:\n  shop:\n    subscriptions:\n${subs(51, '      ')}\n`), ['c.yaml:4:7 domains.shop.subscriptions: 51 domain-scope subscriptions; Event Grid allows at most 50 per domain'])
  t.same(problemsOf(`domains:\n  shop:\n    topics:\n      big:\n        subscriptions:\n${subs(501, '          ')}\n`), ['c.yaml:6:11 domains.shop.topics.big.subscriptions: 501 subscriptions; Event Grid allows at most 500 per domain topic'])
})

t.test('the commented domains example in config.example.yaml is valid once uncommented', async (t) => {
  const text = await readFile(new URL('../../config.example.yaml', import.meta.url), 'utf8')
  const block = text.slice(text.indexOf('# domains:'), text.indexOf('#\n# Hot reload'))
  const yaml = block.split('\n').map((l) => l.replace(/^# ?/, '')).join('\n')
  const config = parseConfig(yaml, 'config.example.yaml', {})
  t.same(Object.keys(config.domains!), ['saas'])
  t.same(Object.keys(config.domains!.saas!.topics), ['tenant-a'])
  t.same(config.domains!.saas!.keys, ['c2Fhcy1kZXYta2V5'])
})

t.test('the config example in docs/domains.md is valid', async (t) => {
  const text = await readFile(new URL('../../docs/domains.md', import.meta.url), 'utf8')
  const yaml = /```yaml\n([\s\S]*?)```/.exec(text)![1]!
  const config = parseConfig(yaml, 'docs/domains.md', {})
  t.same(Object.keys(config.domains!.saas!.topics), ['tenant-a'])
  t.equal(config.domains!.saas!.port, 4002)
})

t.test('config check counts domains and their subscriptions', async (t) => {
  const dir = t.testdir({ 'c.yaml': 'topics: {}\ndomains:\n  shop:\n    subscriptions:\n      audit: { destination: { endpointType: WebHook, properties: { endpointUrl: /sink/a } } }\n    topics:\n      tenant-a:\n        subscriptions:\n          a-sub: { destination: { endpointType: WebHook, properties: { endpointUrl: /sink/b } } }\n' })
  let out = ''
  const code = await configCheck([`${dir}/c.yaml`], { stdout: (s) => { out += s }, stderr: () => {}, env: {} })
  t.equal(code, 0)
  t.equal(out, `${dir}/c.yaml: OK (0 topics, 0 subscriptions, 1 domain with 2 subscriptions)\n`)
})
