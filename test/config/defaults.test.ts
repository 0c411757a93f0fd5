/**
 * Defaults are declared once, in the JSON Schema (`default`), and filled in by apply-defaults.ts; the docs table
 * states each one.
 */
import { readFileSync } from 'node:fs'
import t from 'tap'
import { applyDefaults } from '../../src/config/apply-defaults.js'
import { parseConfig } from '../../src/config/load-config.js'
import { configSchema } from '../../src/config/schema.js'

interface Node { default?: unknown, properties?: Record<string, Node> }

/** Every scalar default of the config schema's fixed keys, by dotted path. */
function scalarDefaults (node: Node, path: string[] = []): Array<[string, unknown]> {
  const own: Array<[string, unknown]> = node.default !== undefined && (node.default === null || typeof node.default !== 'object') ? [[path.join('.'), node.default]] : []
  return [...own, ...Object.entries(node.properties ?? {}).flatMap(([k, v]) => scalarDefaults(v, [...path, k]))]
}

t.test('a config that sets nothing gets every default of the schema', async (t) => {
  const config = parseConfig('topics: {}', 'c.yaml', {})
  t.same(config.server, { host: '127.0.0.1', port: 4000 })
  t.same(config.delivery, { timeScale: 1, deadLetterDir: './dead-letters', azureFunctionsHostUrl: 'http://127.0.0.1:7071' })
  t.same(config.acs, { profile: 'current', outcomes: [] })
  t.same(config.domains, {})
  t.same(config.namespaces, {})
  t.equal(config.limits, undefined, 'limits keep their own table (config/limits.ts), resolved where they are used')
})

t.test('null maps become empty maps; set values are kept; defaults are fresh copies', async (t) => {
  const config = parseConfig([
    'server: { port: 5000 }',
    'topics:',
    '  a-topic:',
    '    subscriptions:',
    'domains:',
    '  a-domain:',
    '    topics:',
    '      topic-1:',
    'namespaces:',
    '  ns1:',
    '    topics:',
    '      orders:'
  ].join('\n'), 'c.yaml', {})
  t.same(config.server, { port: 5000, host: '127.0.0.1' })
  t.same(config.topics['a-topic']?.subscriptions, {})
  t.same(config.domains?.['a-domain'], { topics: { 'topic-1': { subscriptions: {} } }, subscriptions: {} })
  t.same(config.namespaces?.ns1, { topics: { orders: { eventSubscriptions: {} } } })
  const again = applyDefaults(configSchema, {}) as { topics: object }
  t.not(again.topics, (applyDefaults(configSchema, {}) as { topics: object }).topics, 'each document gets its own default objects')
})

t.test('docs/configuration.md states every default the schema declares', async (t) => {
  const docs = readFileSync(new URL('../../docs/configuration.md', import.meta.url), 'utf8')
  const defaults = scalarDefaults(configSchema as unknown as Node)
  t.ok(defaults.length >= 6, 'found the server, delivery and acs defaults')
  for (const [path, value] of defaults) {
    const row = docs.split('\n').find((line) => line.startsWith(`| \`${path}\` |`))
    t.ok(row?.split('|')[2]?.includes(`\`${String(value)}\``), `${path}: default \`${String(value)}\` in its table row`)
  }
})

t.test('the built-in default config: its data is its YAML, and parseDefaultConfig gives what parsing the YAML gives', async (t) => {
  const { DEFAULT_CONFIG_DATA, DEFAULT_CONFIG_NAME, DEFAULT_CONFIG_YAML } = await import('../../src/config/default-config.js')
  const { parseDefaultConfig } = await import('../../src/config/load-config.js')
  const { parse } = await import('yaml')
  t.same(DEFAULT_CONFIG_DATA, parse(DEFAULT_CONFIG_YAML), 'DEFAULT_CONFIG_DATA is DEFAULT_CONFIG_YAML as data')
  const now = new Date('2026-01-01T00:00:00Z')
  const env = { PORT: '1234' }
  t.strictSame(parseDefaultConfig(env, now), parseConfig(DEFAULT_CONFIG_YAML, DEFAULT_CONFIG_NAME, env, now))
  t.not(parseDefaultConfig(env, now).topics, parseDefaultConfig(env, now).topics, 'each call gets a config of its own')
})

t.test('parseConfigData: data with a problem is parsed from its YAML text, for file:line:col errors', async (t) => {
  const { ConfigError, parseConfigData } = await import('../../src/config/load-config.js')
  const text = 'topics:\n  events:\n    inputSchema: NoSuchSchema\n'
  t.throws(() => parseConfigData({ topics: { events: { inputSchema: 'NoSuchSchema' } } }, text, 'built-in', {}), ConfigError)
  t.throws(() => parseConfigData({ topics: { events: { inputSchema: 'NoSuchSchema' } } }, text, 'built-in', {}), /^built-in:3:18 topics\.events\.inputSchema: /)
  const semantic = 'topics:\n  events:\n    source: /x\n'
  t.throws(() => parseConfigData({ topics: { events: { source: '/x' } } }, semantic, 'built-in', {}), /built-in:3:13 topics\.events\.source: 'source' is only for system topics/)
})

t.test('builtInConfig, what a start without --config uses unchecked, is the checked default config for any env and time', async (t) => {
  const { DEFAULT_CONFIG_DATA, builtInConfig } = await import('../../src/config/default-config.js')
  const { parseDefaultConfig } = await import('../../src/config/load-config.js')
  const { validateConfigShape } = await import('../../src/config/validators.js')
  const { resolveConfig } = await import('../../src/config/resolve-config.js')
  const data = structuredClone(DEFAULT_CONFIG_DATA)
  t.ok(validateConfigShape(data), 'DEFAULT_CONFIG_DATA passes the config schema')
  // The check's inputs that depend on the environment or the time: `${VAR}` (none in the data, which is not
  // expanded) and expirationTimeUtc (none): so one comparison per kind of input stands for all.
  for (const env of [{}, { PORT: '1234', LOG_LEVEL: 'debug' }, process.env]) {
    for (const now of [new Date(0), new Date('2026-01-01T00:00:00Z'), new Date('9999-12-31T23:59:59Z')]) {
      t.strictSame(builtInConfig(), parseDefaultConfig(env, now), `same as the full check, now ${now.toISOString()}`)
    }
  }
  const a = builtInConfig()
  a.topics.events!.subscriptions['events-to-sink']!.destination.properties.endpointUrl = '/sink/changed'
  t.equal(builtInConfig().topics.events!.subscriptions['events-to-sink']!.destination.properties.endpointUrl, '/sink/default', 'each call gets a config of its own')
  t.strictSame(DEFAULT_CONFIG_DATA, data, 'DEFAULT_CONFIG_DATA itself is left as it was')
  t.strictSame(await resolveConfig({ env: {} }), await resolveConfig({ config: parseDefaultConfig({}), env: {} }), 'resolveConfig without a config starts from it')
})
