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
