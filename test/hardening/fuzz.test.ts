/**
 * Property-based fuzzing (fast-check, seeded and bounded: a few seconds here). Random and adversarial publish
 * bodies for all three input schemas, headers and query strings, then config and scenario files.
 * Each publish run asserts: no 5xx, every 4xx carries Event Grid's error body, and afterwards the accounting
 * identity holds — per subscription, accepted = delivered + dead-lettered + dropped-with-reason + not-matched.
 *
 * Longer run: `FUZZ_RUNS=2000 FUZZ_SEED=7 node --import tsx test/hardening/fuzz.test.ts` (any seed; a failure prints the seed and path to replay).
 */
import fc from 'fast-check'
import t from 'tap'
import { ConfigError, parseConfig } from '../../src/config/load-config.js'
import { parseScenario } from '../../src/scenarios/load-scenario.js'
import { startTestEmulator } from '../helpers/build.js'

const RUNS = Number(process.env.FUZZ_RUNS ?? 60)
const SEED = Number(process.env.FUZZ_SEED ?? 20261130)
// A long run (FUZZ_RUNS set) takes minutes: lift tap's per-file timeout for it.
if (process.env.FUZZ_RUNS !== undefined) t.setTimeout(0)

const YAML = `
delivery: { timeScale: 0.0001 }
topics:
  grid:
    subscriptions:
      all:
        validation: skip
        destination: { endpointType: WebHook, properties: { endpointUrl: /sink/grid-all } }
      picky:
        validation: skip
        destination: { endpointType: WebHook, properties: { endpointUrl: /sink/grid-picky } }
        filter: { includedEventTypes: [Picked], advancedFilters: [{ operatorType: StringContains, key: data.word, values: [a] }] }
  clouds:
    inputSchema: CloudEventSchemaV1_0
    subscriptions:
      all:
        validation: skip
        destination: { endpointType: WebHook, properties: { endpointUrl: /sink/clouds-all } }
  custom:
    inputSchema: CustomEventSchema
    inputSchemaMapping:
      inputSchemaMappingType: Json
      properties:
        id: { sourceField: myId }
        eventType: { sourceField: kind, defaultValue: Default.Type }
        subject: { defaultValue: s }
    subscriptions:
      all:
        validation: skip
        retryPolicy: { maxDeliveryAttempts: 2 }
        destination: { endpointType: WebHook, properties: { endpointUrl: /sink/custom-all } }
`

/** Values an attacker might put anywhere: odd scalars, huge numbers, control characters, deep nesting. */
const nasty = fc.oneof(
  fc.jsonValue({ maxDepth: 4 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.constantFrom('', ' ', '\u0000', '\r\n', '__proto__', 'constructor', '2024-02-30T00:00:00Z', '9999-12-31T23:59:59Z', 'NaN', '1e400'),
  fc.double(),
  fc.constant(null)
)

/** Mostly a valid value, sometimes a nasty one: enough events get through to exercise the engine too. */
const field = <T>(valid: fc.Arbitrary<T>): fc.Arbitrary<unknown> => fc.oneof({ weight: 30, arbitrary: valid }, { weight: 1, arbitrary: nasty })

const eventGridEvent = fc.record({
  id: field(fc.uuid()),
  subject: field(fc.constantFrom('/a', '/b/c', '')),
  eventType: field(fc.constantFrom('Picked', 'Other')),
  eventTime: field(fc.oneof(fc.constant('2024-05-01T12:00:00Z'), fc.date({ noInvalidDate: true, min: new Date(0), max: new Date(4e12) }).map((d) => d.toISOString()))),
  dataVersion: field(fc.constant('1.0')),
  data: field(fc.record({ word: fc.constantFrom('a', 'b', 'cat') }))
}, { requiredKeys: ['id', 'subject', 'eventType', 'eventTime'] })

const cloudEvent = fc.record({
  specversion: field(fc.constant('1.0')),
  id: field(fc.uuid()),
  source: field(fc.constant('/src')),
  type: field(fc.constantFrom('Picked', 'Other')),
  time: field(fc.constant('2024-05-01T12:00:00Z')),
  data: nasty
}, { requiredKeys: ['specversion', 'id', 'source', 'type'] }).chain((e) => fc.oneof(
  { weight: 9, arbitrary: fc.constant(e as Record<string, unknown>) },
  { weight: 1, arbitrary: fc.base64String().map((b) => ({ ...e, data_base64: b })) }))

const customEvent = fc.record({ myId: field(fc.uuid()), kind: field(fc.constantFrom('Picked', 'Other')), payload: nasty }, { requiredKeys: ['myId'] })

/** A body as text: a valid shape, any JSON, a deep nest, or broken text. */
const body = (event: fc.Arbitrary<unknown>): fc.Arbitrary<string> => fc.oneof(
  { weight: 12, arbitrary: fc.array(event, { minLength: 1, maxLength: 4 }).map((a) => JSON.stringify(a)) },
  { weight: 2, arbitrary: event.map((e) => JSON.stringify(e)) },
  { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 5 }).map((v) => JSON.stringify(v)) },
  { weight: 1, arbitrary: fc.integer({ min: 50, max: 20_000 }).map((d) => '['.repeat(d) + ']'.repeat(d)) },
  { weight: 1, arbitrary: fc.string({ maxLength: 60 }) }
)

const anyContentType = fc.oneof(
  fc.constantFrom('application/json', 'application/json; charset=utf-8', 'application/cloudevents+json', 'application/cloudevents-batch+json', 'text/plain', 'application/xml'),
  fc.string({ maxLength: 30 }).map((s) => s.replace(/[^\t\x20-\x7e]/g, ''))
)

/** Mostly the right media type for the topic, so most cases reach the schema checks and the engine. */
const contentType = (...right: string[]): fc.Arbitrary<string> => fc.oneof({ weight: 8, arbitrary: fc.constantFrom(...right) }, { weight: 2, arbitrary: anyContentType })

const query = fc.oneof(
  fc.constant(''),
  fc.constant('?api-version=2018-01-01'),
  fc.dictionary(fc.string({ maxLength: 8 }), fc.string({ maxLength: 12 }), { maxKeys: 3 }).map((q) => `?${new URLSearchParams(q).toString()}`)
)

const extraHeaders = fc.dictionary(
  fc.constantFrom('aeg-sas-key', 'aeg-sas-token', 'authorization', 'ce-id', 'ce-type', 'ce-source', 'ce-specversion', 'x-random'),
  fc.string({ maxLength: 40 }).map((s) => s.replace(/[^\t\x20-\x7e]/g, '')),
  { maxKeys: 3 }
)

interface AzureError { error?: { code?: unknown, message?: unknown, details?: Array<{ code?: unknown, message?: unknown }> } }

function countEvents (text: string): number {
  const parsed = JSON.parse(text) as unknown
  return Array.isArray(parsed) ? parsed.length : 1
}

t.test('publish fuzz: no 5xx, Azure error bodies on every 4xx, and the accounting identity afterwards', async (t) => {
  const eg = await startTestEmulator(t, YAML)
  const accepted: Record<string, number> = { grid: 0, clouds: 0, custom: 0 }
  const statuses = new Map<number, number>()
  const cases = fc.oneof(
    fc.record({ topic: fc.constant('grid'), body: body(eventGridEvent), contentType: contentType('application/json'), query, headers: extraHeaders }),
    fc.record({ topic: fc.constant('clouds'), body: body(cloudEvent), contentType: contentType('application/cloudevents+json', 'application/cloudevents-batch+json; charset=utf-8'), query, headers: extraHeaders }),
    fc.record({ topic: fc.constant('custom'), body: body(customEvent), contentType: contentType('application/json; charset=utf-8'), query, headers: extraHeaders })
  )
  await fc.assert(fc.asyncProperty(cases, async (c) => {
    const res = await eg.app.inject({ method: 'POST', url: `/topics/${c.topic}/api/events${c.query}`, payload: c.body, headers: { ...c.headers, 'content-type': c.contentType } })
    statuses.set(res.statusCode, (statuses.get(res.statusCode) ?? 0) + 1)
    if (process.env.FUZZ_DEBUG !== undefined && res.statusCode === 400) console.error(c.topic, res.json().error.message.slice(0, 150))
    if (res.statusCode >= 500) throw new Error(`${res.statusCode} for ${c.body.slice(0, 200)}: ${res.body}`)
    if (res.statusCode === 200) {
      if (process.env.FUZZ_DEBUG !== undefined) {
        const g = globalThis as { bodies?: Map<string, string> }
        g.bodies ??= new Map()
        for (const e of [JSON.parse(c.body) as unknown].flat()) g.bodies.set(String((e as { id?: unknown, myId?: unknown }).id ?? (e as { myId?: unknown }).myId), c.body.slice(0, 400))
      }
      // Binary-mode CloudEvents carry one event whatever the body is.
      accepted[c.topic]! += c.topic === 'clouds' && !/cloudevents/i.test(c.contentType) && /json/i.test(c.contentType) ? 1 : countEvents(c.body)
      return
    }
    const err = res.json() as AzureError
    if (typeof err.error?.code !== 'string' || typeof err.error.message !== 'string' || err.error.message === '' ||
      typeof err.error.details?.[0]?.code !== 'string') throw new Error(`${res.statusCode} without Event Grid's error body: ${res.body}`)
  }), { seed: SEED, numRuns: RUNS, endOnFailure: true })
  t.comment(`statuses: ${JSON.stringify(Object.fromEntries(statuses))}; accepted: ${JSON.stringify(accepted)}`)

  // Wait until every accepted event has a final outcome (retries run at time scale 0.0001).
  for (const topic of Object.keys(accepted)) {
    const runtime = eg.emulator.topic(topic)!
    const deadline = Date.now() + 20_000
    while (eg.emulator.backlog(runtime) > 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20))
    t.equal(eg.emulator.backlog(runtime), 0, `${topic}: no event left without an outcome`)
    if (process.env.FUZZ_DEBUG !== undefined && eg.emulator.backlog(runtime) > 0) {
      for (const sub of runtime.subscriptions.values()) console.error(topic, sub.name, { backlog: sub.backlog, ready: sub.ready.length, inFlight: sub.inFlight, state: sub.state, retries: eg.emulator.pendingRetries })
      const last = new Map<string, string>()
      for (const r of eg.deliveries({ topic })) for (const id of r.eventIds) last.set(`${r.subscription}/${id}`, `${r.outcome} ${r.reason ?? ''} ${r.status ?? ''} ${r.error ?? ''}`)
      const counts = new Map<string, number>()
      for (const v of last.values()) counts.set(v.slice(0, 120), (counts.get(v.slice(0, 120)) ?? 0) + 1)
      console.error(counts)
      const finals = new Set<string>()
      for (const r of eg.deliveries({ topic })) if (['Delivered', 'DeadLettered', 'Dropped', 'NotMatched'].includes(r.outcome)) for (const id of r.eventIds) finals.add(`${r.subscription}/${id}`)
      const open = [...last.entries()].filter(([k]) => !finals.has(k)).slice(0, 5)
      console.error('OPEN', open, (globalThis as { bodies?: Map<string, string> }).bodies?.get(open[0]?.[0].split('/').slice(1).join('/') ?? ''))
    }
  }
  for (const [topic, subs] of Object.entries({ grid: ['all', 'picky'], clouds: ['all'], custom: ['all'] })) {
    for (const sub of subs) {
      const final = eg.deliveries({ topic, subscription: sub }).filter((r) => ['Delivered', 'DeadLettered', 'Dropped', 'NotMatched'].includes(r.outcome))
      const count = final.reduce((n, r) => n + r.eventIds.length, 0)
      t.equal(count, accepted[topic], `${topic}/${sub}: accepted ${accepted[topic]} = delivered + dead-lettered + dropped + not matched`)
      t.ok(final.filter((r) => r.outcome === 'Dropped').every((r) => typeof r.reason === 'string' && r.reason !== ''), 'every drop has a reason')
    }
  }
})

const yamlScalar = fc.oneof(fc.constantFrom('1', '-1', '0', 'true', 'null', '~', '""', "'x'", '*a', '&a x', '!!binary x', '${X}', '${X:-d}', '[', '{', '}', '- x', ':'), fc.string({ maxLength: 12 }).map((s) => JSON.stringify(s)))
const yamlKey = fc.constantFrom('server', 'delivery', 'topics', 'limits', 'acs', 'host', 'port', 'timeScale', 'subscriptions', 'destination', 'endpointType', 'properties', 'endpointUrl', 'filter',
  'inputSchema', 'keys', 'sink', 'maxSinks', 'steps', 'emit', 'expect', 'wait', 'within', 'regex', 'name', 'deliveryAttributeMappings', 'type', 'value', 'orders', 'hook', '<<')
/** Random YAML documents of nested maps and lists built from the keys both file kinds use. */
const yamlDoc: fc.Arbitrary<string> = fc.letrec<{ node: string }>((tie) => ({
  node: fc.oneof({ depthSize: 'small', withCrossShrink: true },
    yamlScalar,
    fc.array(fc.tuple(yamlKey, tie('node')), { maxLength: 4 }).map((kv) => `{ ${kv.map(([k, v]) => `${k}: ${v}`).join(', ')} }`),
    fc.array(tie('node'), { maxLength: 3 }).map((items) => `[${items.join(', ')}]`))
})).node.chain((root) => fc.constantFrom(root, `a: &a ${root}\nb: [*a, *a]\n`, root.replace(/\{ /g, '{\n  ')))

function onlyConfigErrors (parse: () => unknown): void {
  try { parse() } catch (err) {
    if (err instanceof ConfigError) {
      for (const p of err.problems) if (!Number.isInteger(p.line) || p.message === '') throw new Error(`problem without a position or message: ${JSON.stringify(p)}`)
      return
    }
    throw err
  }
}

t.test('config and scenario file fuzz: every document loads or gives file:line:col problems, never another error', async (t) => {
  fc.assert(fc.property(yamlDoc, (doc) => {
    onlyConfigErrors(() => parseConfig(doc, 'fuzz.yaml', { X: 'x' }))
    onlyConfigErrors(() => parseScenario(doc, 'fuzz.yaml', { X: 'x' }))
  }), { seed: SEED, numRuns: RUNS * 5 })
  t.pass('no unexpected exception')
})
