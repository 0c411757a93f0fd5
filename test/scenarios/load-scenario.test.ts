/** Scenario files: every problem at once as file:line:col, with did-you-mean; shorthands normalized. */
import t from 'tap'
import { ConfigError } from '../../src/index.js'
import { parseScenario } from '../../src/scenarios/load-scenario.js'
import { scenarioRun } from './run-cli.js'

function problemsOf (yaml: string, env: Record<string, string> = {}): string[] {
  try {
    parseScenario(yaml, 'bad.yaml', env)
  } catch (err) {
    if (err instanceof ConfigError) return err.message.split('\n')
    throw err
  }
  throw new Error('expected the scenario to be rejected')
}

const BAD = `name: bad
topics:
  acs:
    subscriptions:
      bot:
        destination: { endpointType: WebHook, properties: { endpointUrl: /sink/bot } }
        filtr: {}
steps:
  - id: sms
    emit: { type: sms-recieved, data: { message: STOP } }
  - expct: { subscription: bot }
  - expect:
      subscription: bot
      data:
        message: { regx: STOP }
      within: 2 sec
      coutn: 1
  - emit: sms-received
    wait: 1s
  - set: { mid: "\${steps.smss.data.messageId}" }
  - expectDeadLetter: { reason: MaxDeliveryAttemptExceeded }
  - emit: { sequence: sms-convo }
  - expect: { sink: a, url: http://x, subject: [1] }
`

t.test('a bad file gets every problem at once, each at file:line:col', async (t) => {
  t.same(problemsOf(BAD), [
    'bad.yaml:7:9 topics.acs.subscriptions.bot.filtr: unknown key \'filtr\'. Did you mean \'filter\'? Allowed keys: destination, filter, eventDeliverySchema, retryPolicy, deadLetterDestination, labels, expirationTimeUtc, validation.',
    'bad.yaml:10:19 steps[0].emit.type: \'sms-recieved\' is not an ACS event type or alias. Did you mean \'sms-received\'? See \'eventgrid-emulator events\'.',
    'bad.yaml:11:5 steps[1].expct: unknown step \'expct\'. Did you mean \'expect\'? A step is one of: emit, publish, expect, expectNoDelivery, expectDeadLetter, expectAttempts, expectSent, wait, set, sink, receive, acknowledge, reject, release (with an optional id and name).',
    'bad.yaml:15:18 steps[2].expect.data.message: bad matcher: unknown key \'regx\'. Did you mean \'regex\'? A matcher is a value (exact match), { regex: \'…\' } (optionally with flags: i) or { exists: true|false }.',
    'bad.yaml:16:15 steps[2].expect.within: "2 sec" is not a duration: write 250ms, 2s, 1.5m, 1h or a number of milliseconds',
    'bad.yaml:17:7 steps[2].expect.coutn: unknown key \'coutn\'. Did you mean \'count\'? Allowed keys: subscription, topic, sink, url, eventType, subject, eventId, data, event, status, within, count.',
    'bad.yaml:18:5 steps[3]: a step needs exactly one of emit, publish, expect, expectNoDelivery, expectDeadLetter, expectAttempts, expectSent, wait, set, sink, receive, acknowledge, reject, release; found emit, wait',
    'bad.yaml:20:17 steps[4].set.mid: ${steps.smss.data.messageId}: no earlier step has id \'smss\'. Did you mean \'sms\'?',
    'bad.yaml:21:33 steps[5].expectDeadLetter.reason: \'MaxDeliveryAttemptExceeded\' is not a dead-letter reason. Did you mean \'MaxDeliveryAttemptsExceeded\'? Reasons: MaxDeliveryAttemptsExceeded, TimeToLiveExceeded, UndeliverableDueToHttpBadRequest, UndeliverableDueToClientError, Rejected, MaxDeliveryCountExceeded, UndeliverableDueToNonRetriableError (or use { regex: … }).',
    'bad.yaml:22:23 steps[6].emit.sequence: \'sms-convo\' is not an ACS sequence. Sequences: sms-conversation, call-lifecycle, chat-conversation, email-send, whatsapp-conversation, router-job-lifecycle.',
    'bad.yaml:23:13 steps[7].expect: say where to look with exactly one of subscription, sink or url; found sink, url',
    'bad.yaml:23:48 steps[7].expect.subject: a matcher cannot be a list; match one element with a dotted key like data.items.0. A matcher is a value (exact match), { regex: \'…\' } (optionally with flags: i) or { exists: true|false }.'
  ])
})

t.test('bad matchers, aliases and references', async (t) => {
  const cases: Array<[string, RegExp]> = [
    ['expect: { sink: a, data: { x: { regex: "(" } } }', /3:35 steps\[0\]\.expect\.data\.x: bad matcher: invalid regex \/\(\/: .*Unterminated group/],
    ['expect: { sink: a, data: { x: { exists: yes } } }', /steps\[0\]\.expect\.data\.x: bad matcher: exists must be true or false, got 'yes'/],
    ['expect: { sink: a, data: { x: { regex: a, exists: true } } }', /bad matcher: \{ exists \} takes no other keys/],
    ['emit: sms-recieved', /3:11 steps\[0\]\.emit: 'sms-recieved' is not an ACS event type, alias or sequence\. Did you mean 'sms-received'\?/],
    ['emit: { type: sms-received, sequence: call-lifecycle }', /give either 'type' .* or 'sequence', not both/],
    ['emit: { sequence: call-lifecycle, subject: x }', /steps\[0\]\.emit\.subject: a sequence generates several events/],
    ['set: { a: "${vars.b}" }', /\$\{vars\.b\}: no earlier set step defines 'b'/],
    ['set: { a: "${foo.b}" }', /\$\{foo\.b\}: references start with steps\.<id>/],
    ['wait: soon', /steps\[0\]\.wait: "soon" is not a duration/],
    ['publish: { topic: orders }', /give either 'events' \(a list\) or 'event' \(one\), not neither/],
    ['expect: { sink: a, topic: acs }', /steps\[0\]\.expect\.topic: 'topic' narrows a 'subscription'/],
    ['sink: { name: a, statuses: [500, 700] }', /steps\[0\]\.sink\.statuses\[1\]: number 700 must be <= 599/]
  ]
  for (const [step, expected] of cases) t.match(problemsOf(`name: x\nsteps:\n  - ${step}\n`).join('\n'), expected, step)
})

t.test('${VAR} comes from the environment; unset without default is a problem', async (t) => {
  const yaml = 'name: x\nsteps:\n  - expect: { url: "${RECEIVER_URL}/api" }\n'
  t.same(problemsOf(yaml), ['bad.yaml:3:20 environment variable \'RECEIVER_URL\' is not set and has no default (write ${RECEIVER_URL:-default})'])
  const scenario = parseScenario(yaml, 'ok.yaml', { RECEIVER_URL: 'http://127.0.0.1:9' })
  t.match(scenario.steps[0], { kind: 'expect', to: { url: 'http://127.0.0.1:9/api' } })
})

t.test('a valid file is normalized: shorthands, aliases, durations, positions', async (t) => {
  const s = parseScenario(`name: ok
sinks: { flaky: [500, 200] }
steps:
  - id: a
    emit: sms-received
  - emit: call-lifecycle
  - emit: { type: chat-message-received, count: 2, eventId: x, topic: acs }
  - expect: { subscription: bot, eventType: sms-received, status: 200, within: 1.5s, count: 2 }
  - expectNoDelivery: { sink: s, data: { message: { regex: stop, flags: i } } }
  - wait: 10s
  - publish: { topic: orders, event: { eventType: A, subject: b, data: "\${steps.a.data}" } }
`, 'ok.yaml', {})
  t.same(s.sinks, { flaky: [500, 200] })
  t.match(s.steps, [
    { index: 1, id: 'a', kind: 'emit', items: [{ eventType: 'sms-received' }], at: { file: 'ok.yaml', line: 4, col: 5 } },
    { kind: 'emit', items: [{ sequence: 'call-lifecycle' }] },
    { kind: 'emit', topic: 'acs', items: [{ eventType: 'chat-message-received', id: 'x' }, { eventType: 'chat-message-received', id: 'x' }] },
    { kind: 'expect', to: { subscription: 'bot' }, match: { eventType: 'Microsoft.Communication.SMSReceived' }, status: 200, withinMs: 1500, count: 2 },
    { kind: 'expectNoDelivery', to: { sink: 's' }, forMs: 1000 },
    { kind: 'wait', ms: 10_000 },
    { kind: 'publish', topic: 'orders', events: [{ eventType: 'A', data: '${steps.a.data}' }] }
  ])
})

t.test('scenario run prints load problems, still runs the other files, and exits 1', async (t) => {
  const dir = t.testdir({
    'bad.yaml': 'name: bad\nsteps:\n  - expct: {}\n',
    'good.yaml': 'name: good\nsteps:\n  - wait: 1ms\n'
  })
  const { code, out } = await scenarioRun([`${dir}/bad.yaml`, `${dir}/good.yaml`])
  t.equal(code, 1)
  t.match(out, /FAIL {2}.*bad\.yaml.*\n {2}.*bad\.yaml:3:5 steps\[0\]\.expct: unknown step 'expct'\. Did you mean 'expect'\?/)
  t.match(out, /PASS {2}good/)
  t.match(out, /2 scenarios: 1 passed, 1 failed/)
})
