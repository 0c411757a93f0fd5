/**
 * Hostile or mistaken configuration and CLI input: header mappings that would corrupt requests, YAML alias
 * bombs, durations beyond the timer range, catastrophic regexes, prototype paths in `emit --set`, endpoints
 * that loop back into the emulator, impossible calendar dates.
 */
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import t from 'tap'
import { runCli } from '../../src/cli/main.js'
import { buildItem } from '../../src/cli/commands/emit.js'
import { ConfigError, parseConfig } from '../../src/config/load-config.js'
import { parseScenario } from '../../src/scenarios/load-scenario.js'
import { compileMatcher, testMatcher } from '../../src/scenarios/matchers.js'
import { RegexBudgetExceeded } from '../../src/scenarios/regex-budget.js'
import { buildTestApp, egEvent } from '../helpers/build.js'

function configProblems (yaml: string): string[] {
  try {
    parseConfig(yaml, 'c.yaml', {})
  } catch (err) {
    if (err instanceof ConfigError) return err.message.split('\n')
    throw err
  }
  throw new Error('expected the config to be rejected')
}

const withMappings = (mappings: string): string => `
topics:
  orders:
    subscriptions:
      hook:
        destination:
          endpointType: WebHook
          properties:
            endpointUrl: /sink/x
            deliveryAttributeMappings:
${mappings}
`

t.test('header mappings: names must be tokens, values free of control characters, reserved names refused (file:line:col)', async (t) => {
  const problems = configProblems(withMappings(`
              - { name: "Bad Name", type: Static, properties: { value: v } }
              - { name: X-Crlf, type: Static, properties: { value: "a\\r\\nInjected: 1" } }
              - { name: Host, type: Static, properties: { value: evil.example } }
              - { name: Content-Type, type: Static, properties: { value: text/plain } }
              - { name: transfer-encoding, type: Static, properties: { value: chunked } }
              - { name: Content-Length, type: Static, properties: { value: "1" } }
              - { name: aeg-event-type, type: Static, properties: { value: x } }
              - { name: X-Fine, type: Static, properties: { value: "ok value\\twith tab" } }`))
  t.equal(problems.length, 7)
  t.match(problems[0], /^c\.yaml:12:25 topics\.orders\.subscriptions\.hook\.destination\.properties\.deliveryAttributeMappings\[0\]\.name: header name "Bad Name" is not an HTTP token/)
  t.match(problems[1], /^c\.yaml:13:\d+ .*deliveryAttributeMappings\[1\]\.properties\.value: value "a\\r\\nInjected: 1" contains characters a header value cannot hold \(control characters such as CR, LF or NUL/)
  t.match(problems[2], /deliveryAttributeMappings\[2\]\.name: header 'Host' is set by Event Grid itself or controls the HTTP exchange, so it cannot be mapped\. Reserved: host, content-type, content-length, transfer-encoding/)
  t.match(problems[3], /\[3\]\.name: header 'Content-Type' is set by Event Grid itself/)
  t.match(problems[4], /\[4\]\.name: header 'transfer-encoding' is set by Event Grid itself/)
  t.match(problems[5], /\[5\]\.name: header 'Content-Length' is set by Event Grid itself/)
  t.match(problems[6], /\[6\]\.name: header 'aeg-event-type' uses the reserved prefix 'aeg-'/)
})

t.test('header mappings over PUT: 400 naming the mapping', async (t) => {
  const { app } = await buildTestApp(t, 'topics: { orders: { subscriptions: {} } }')
  const res = await app.inject({
    method: 'PUT',
    url: '/admin/topics/orders/subscriptions/hook',
    payload: { destination: { endpointType: 'WebHook', properties: { endpointUrl: '/sink/x', deliveryAttributeMappings: [{ name: 'X-Ok', type: 'Static', properties: { value: 'line1\nline2' } }] } } }
  })
  t.equal(res.statusCode, 400)
  t.equal((res.json() as { error: { message: string } }).error.message, "Invalid subscription 'hook':\ndestination.properties.deliveryAttributeMappings[0].properties.value: value \"line1\\nline2\" contains characters a header value cannot hold (control characters such as CR, LF or NUL, or characters beyond Latin-1)")
})

t.test('a dynamic mapping whose event value holds CR/LF adds no header, so the delivery still goes out', async (t) => {
  const { attributeHeaders } = await import('../../src/domain/delivery-rules/outbound.js')
  const mappings = [{ name: 'X-Dyn', type: 'Dynamic' as const, properties: { sourceField: 'data.v' } }]
  t.same(attributeHeaders(mappings, { data: { v: 'a\r\nb' } }), {})
  t.same(attributeHeaders(mappings, { data: { v: 'plain' } }), { 'X-Dyn': 'plain' })
})

t.test('a dataVersion that cannot be a header value is delivered with an empty aeg-data-version (found by the fuzz suite; was retried until TTL)', async (t) => {
  const { buildOutbound } = await import('../../src/domain/delivery-rules/outbound.js')
  const { acceptEventGridEvents } = await import('../../src/domain/publish/event-grid.js')
  const { DEFAULT_LIMITS } = await import('../../src/domain/publish/rejection.js')
  const [event] = acceptEventGridEvents([egEvent({ dataVersion: 'v\r\n2' })], { topicId: '/t', publishTime: '2024-05-01T12:00:00Z', limits: DEFAULT_LIMITS })
  const out = buildOutbound([event!], { subscriptionName: 's', deliverySchema: 'EventGridSchema', batching: false, attributeMappings: [] }, 0)
  t.equal(out.headers['aeg-data-version'], '')
  t.match(JSON.parse(out.body), [{ dataVersion: 'v\r\n2' }], 'the body keeps the value')
})

t.test('an endpoint path that is the emulator\'s own publish or admin route is refused', async (t) => {
  const problems = configProblems(`
topics:
  orders:
    subscriptions:
      loop:
        destination: { endpointType: WebHook, properties: { endpointUrl: /topics/orders/api/events } }
      admin:
        destination: { endpointType: WebHook, properties: { endpointUrl: /admin/reset } }
`)
  t.equal(problems.length, 2)
  t.match(problems[0], /^c\.yaml:6:\d+ .*loop\.destination\.properties\.endpointUrl: '\/topics\/orders\/api\/events' is one of the emulator's own publish or admin routes: delivering there would feed every event back in as a new one \(a loop\)\. Use \/sink\/NAME or your own webhook$/)
  t.match(problems[1], /admin\.destination\.properties\.endpointUrl: '\/admin\/reset' is one of the emulator's own/)
})

t.test('a YAML alias bomb is a file:line:col problem, not a stack trace; config check exits 1', async (t) => {
  const bomb = ['a: &a [x, x, x, x, x, x, x, x, x]', ...Array.from({ length: 8 }, (_, i) => `${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} [*${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}]`)].join('\n') + '\n'
  const problems = configProblems(bomb)
  t.equal(problems.length, 1)
  t.match(problems[0], /^c\.yaml:2:\d+ the document cannot be loaded: .*alias/i)
  const dir = mkdtempSync(join(tmpdir(), 'bomb-'))
  const file = join(dir, 'bomb.yaml')
  writeFileSync(file, bomb)
  const out = { stdout: '', stderr: '' }
  const io = { stdout: (s: string) => { out.stdout += s }, stderr: (s: string) => { out.stderr += s }, env: {} }
  t.equal(await runCli(['config', 'check', file], io), 1)
  t.match(out.stdout + out.stderr, new RegExp(`${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:2:\\d+ the document cannot be loaded`))
  t.notMatch(out.stdout + out.stderr, /\n\s+at /, 'no stack trace')
  const scenarioOut = { text: '' }
  const sio = { stdout: (s: string) => { scenarioOut.text += s }, stderr: (s: string) => { scenarioOut.text += s }, env: {} }
  t.equal(await runCli(['scenario', 'run', file], sio), 1)
  t.match(scenarioOut.text, /:2:\d+ the document cannot be loaded/)
  t.notMatch(scenarioOut.text, /\n\s+at /, 'no stack trace')
  const serveOut = { text: '' }
  const vio = { stdout: (s: string) => { serveOut.text += s }, stderr: (s: string) => { serveOut.text += s }, env: {} }
  t.equal(await runCli(['serve', '--config', file, '--port', '0'], vio), 1)
  t.match(serveOut.text, /bomb\.yaml:2:\d+ the document cannot be loaded/, 'serve names the position too')
})

t.test('a wait beyond the timer range is refused with its size; a long in-range wait is kept', async (t) => {
  const scenario = (wait: string): string => `name: w\nsteps:\n  - wait: ${wait}\n`
  t.throws(() => parseScenario(scenario('999999h'), 's.yaml', {}), { message: /^s\.yaml:3:\d+ .*"999999h" is 3599996400000 ms, longer than the longest wait a timer can hold \(2147483647 ms, about 24\.8 days\)/ })
  t.doesNotThrow(() => parseScenario(scenario('24h'), 's.yaml', {}))
})

t.test('a catastrophic regex matcher fails with a message naming it instead of blocking', async (t) => {
  const m = compileMatcher({ regex: '^(a+)+$' })
  t.throws(() => testMatcher(m, `${'a'.repeat(40)}!`), RegexBudgetExceeded)
  t.throws(() => testMatcher(m, `${'a'.repeat(40)}!`), { message: /^regex \/\^\(a\+\)\+\$\/ took longer than 100 ms on a 41-character value \(catastrophic backtracking\)/ })
  t.equal(testMatcher(m, 'aaaa'), true, 'ordinary input still matches')
  t.equal(testMatcher(compileMatcher({ regex: 'STOP', flags: 'i' }), 'please stop'), true)
})

t.test('emit --set refuses __proto__, constructor and prototype path segments', async (t) => {
  for (const path of ['data.__proto__.polluted', 'data.constructor.prototype.polluted', 'data.x.prototype']) {
    await t.rejects(buildItem('sms-received', { set: [`${path}=1`] }), { message: `--set ${path}=1: '${path.split('.').find((s) => ['__proto__', 'constructor', 'prototype'].includes(s))}' cannot be a path segment (it would change every object, not a field of the event)` })
  }
  t.equal(({} as Record<string, unknown>).polluted, undefined, 'Object.prototype untouched')
  t.same((await buildItem('sms-received', { set: ['data.toString.x=1'] })).data, { toString: { x: '1' } }, 'an inherited name is a plain field')
})

t.test('impossible calendar dates are refused like Azure; real ones (leap day) accepted', async (t) => {
  const { app } = await buildTestApp(t, 'topics: { orders: { subscriptions: {} } }')
  for (const eventTime of ['2024-02-30T00:00:00Z', '2023-02-29T00:00:00Z', '2024-04-31T10:00:00Z', '2024-05-01T24:00:00Z', '2024-05-01T12:60:00Z']) {
    const res = await app.inject({ method: 'POST', url: '/topics/orders/api/events', payload: [egEvent({ eventTime })] })
    t.equal(res.statusCode, 400, eventTime)
    t.match(res.json(), { error: { code: 'BadRequest', message: new RegExp(`eventTime must be an ISO-8601 date-time such as 2024-05-01T12:00:00Z, got "${eventTime}"`) } })
  }
  const leap = await app.inject({ method: 'POST', url: '/topics/orders/api/events', payload: [egEvent({ eventTime: '2024-02-29T23:59:59.999+14:00' })] })
  t.equal(leap.statusCode, 200)
})

t.test('a scenario whose topics is a list is a file:line:col problem (found by the fuzz suite; was a TypeError)', async (t) => {
  t.throws(() => parseScenario('{ topics: ["", ~, {  }] }', 'f.yaml', {}), { name: 'ConfigError', message: /f\.yaml:1:11 topics: must be object, got an array/ })
})
