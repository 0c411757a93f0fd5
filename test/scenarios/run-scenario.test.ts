/** The runner against the in-process target: each step kind, captures, and how failures are explained. */
import t from 'tap'
import { parseScenario } from '../../src/scenarios/load-scenario.js'
import { runScenario, type ScenarioResult } from '../../src/scenarios/run-scenario.js'
import { localTargets } from '../../src/scenarios/target-local.js'

async function run (yaml: string, timeScale = 0.001): Promise<ScenarioResult> {
  const open = await localTargets({ timeScale, env: {} })
  return await runScenario(parseScenario(yaml, 's.yaml', {}), open)
}

const SINK_SUB = `
topics:
  events:
    subscriptions:
      to-sink:
        destination: { endpointType: WebHook, properties: { endpointUrl: /sink/out } }
`

t.test('publish fills id and eventTime; captures and set feed later steps; url destinations', async (t) => {
  const r = await run(`name: publish${SINK_SUB}
steps:
  - id: order
    publish: { topic: events, event: { eventType: Contoso.Orders.Created, subject: orders/7, data: { orderId: 7 } } }
  - set: { orderId: "\${steps.order.data.orderId}", label: "order \${steps.order.data.orderId}" }
  - id: got
    expect: { url: /sink/out, eventId: "\${steps.order.id}", data: { orderId: "\${vars.orderId}" }, within: 2s }
  - expect: { sink: out, subject: orders/7, event: { eventTime: { exists: true }, id: "\${steps.got.id}" } }
  - publish: { topic: events, events: [{ eventType: Label, subject: "\${vars.label}" }] }
  - expect: { subscription: to-sink, subject: order 7, within: 2s }
`)
  t.same(r.steps.map((s) => [s.title, s.status, s.message]), [
    ["publish 1 event to 'events'", 'passed', undefined],
    ['set orderId, label', 'passed', undefined],
    ['expect a delivery to URL /sink/out within 2s', 'passed', undefined],
    ["expect a delivery to sink 'out' within 5s", 'passed', undefined],
    ["publish 1 event to 'events'", 'passed', undefined],
    ["expect a delivery to subscription 'to-sink' within 2s", 'passed', undefined]
  ])
  t.ok(r.passed)
})

t.test('expectNoDelivery fails on the first matching delivery, showing it', async (t) => {
  const r = await run(`name: quiet${SINK_SUB}
steps:
  - publish: { topic: events, event: { eventType: A, subject: s } }
  - expectNoDelivery: { subscription: to-sink, eventType: A, for: 30s }
`)
  const step = r.steps[1]!
  t.equal(step.status, 'failed')
  // A period far longer than the delivery takes, so "less than the period" says only that it did not wait it out.
  t.ok(step.durationMs < 30_000, 'it does not wait for the whole period')
  t.match(step, { message: "1 unexpected delivery to subscription 'to-sink'", expected: ["no delivery to subscription 'to-sink' for 30s of an event where", "  eventType = 'A'"] })
  t.match(step.actual, [/^event .* to 'to-sink' attempt 1, status 200 \(Delivered\)$/])
  t.equal(step.log![0], "delivery log ('to-sink'):")
  t.match(step.log!.join('\n'), /to-sink {2}Delivered {2}attempt 1 {2}status 200/)
})

t.test('expectAttempts waits for the retries to settle; says when they have not', async (t) => {
  const yaml = (within: string): string => `name: attempts${SINK_SUB}
sinks: { out: [500, 500] }
steps:
  - publish: { topic: events, event: { eventType: A, subject: s } }
  - expectAttempts: { subscription: to-sink, count: 3, within: ${within} }
`
  // A generous bound: the step returns as soon as the retries settle (in milliseconds at time scale 0.001).
  t.ok((await run(yaml('30s'))).passed, 'time scale 0.001: three attempts, settled long before the bound')
  // Time scale 1: the first retry is 10 s away, so 2 s sees exactly the first attempt, still retrying.
  const slow = await run(yaml('2s'), 1)
  t.match(slow.steps[1], { status: 'failed', message: "expected 3 delivery attempts to subscription 'to-sink', got 1 (still retrying after 2s)" })
  t.match(slow.steps[1]!.log!.join('\n'), /Failed {2}attempt 1 {2}status 500 .* retry at/)
})

t.test('what cannot be found or run is said plainly, and later steps are skipped', async (t) => {
  const unknown = await run(`name: unknown${SINK_SUB}
steps:
  - expect: { subscription: to-snk }
  - wait: 1ms
`)
  t.match(unknown.steps, [
    { status: 'failed', message: "there is no subscription 'to-snk'. Did you mean 'to-sink'?", actual: ["topic 'acs': acs-to-sink → /sink/default", "topic 'events': events-to-sink → /sink/default, to-sink → /sink/out"] },
    { status: 'skipped', title: 'wait 1ms (×0.001 = 0ms)' }
  ])

  const badData = await run('name: bad data\nsteps:\n  - emit: { type: sms-received, data: { mesage: hi } }\n')
  t.match(badData.steps[0]!.message, /^\[0\]\.data\.mesage: .*Did you mean 'message'\?/)

  const badRef = await run('name: bad ref\nsteps:\n  - id: a\n    emit: sms-received\n  - set: { x: "${steps.a.data.nope}" }\n')
  t.match(badRef.steps[1]!.message, /\$\{steps\.a\.data\.nope\} is not set: 'nope' is not in steps\.a\.data \(it has: messageId, from, to, message/)
})
