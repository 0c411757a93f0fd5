/** Config and scenario-file rules of the ACS data plane, each problem as file:line:col with what is allowed. */
import t from 'tap'
import { ConfigError, parseConfig } from '../../src/config/load-config.js'
import { parseScenario } from '../../src/scenarios/load-scenario.js'

function problems (fn: () => unknown): string[] {
  try {
    fn()
  } catch (err) {
    if (err instanceof ConfigError) return err.problems.map((p) => `${p.file}:${p.line}:${p.col} ${p.message}`)
    throw err
  }
  return []
}

const ACS = (name: string, extra = ''): string => `
  ${name}:
    topicType: Microsoft.Communication.CommunicationServices
    source: /subscriptions/0/resourceGroups/rg/providers/Microsoft.Communication/communicationServices/${name}${extra}`

t.test('acsAccessKey and acsSenders: base64, unique per topic, system topics only', async (t) => {
  t.same(problems(() => parseConfig(`topics:${ACS('one', '\n    acsAccessKey: "not base64!"')}${ACS('two', '\n    acsAccessKey: a2V5LW9uZQ==')}${ACS('three', '\n    acsAccessKey: a2V5LW9uZQ==')}
  orders:
    acsAccessKey: a2V5LW9uZQ==
    acsSenders: ["+18005550100"]
`, 'c.yaml', {})), [
    'c.yaml:5:19 topics.one.acsAccessKey: acsAccessKey must be base64 (ACS keys are, and the SDKs base64-decode them to sign), got \'not base64!\'',
    'c.yaml:13:19 topics.three.acsAccessKey: acsAccessKey is the same as topic \'two\'\'s; each ACS topic needs its own key, because the key that signed a request selects the topic',
    'c.yaml:15:19 topics.orders.acsAccessKey: \'acsAccessKey\' is only for ACS system topics (add topicType: Microsoft.Communication.CommunicationServices)',
    'c.yaml:16:17 topics.orders.acsSenders: \'acsSenders\' is only for ACS system topics (add topicType: Microsoft.Communication.CommunicationServices)'
  ])
  const ok = parseConfig(`topics:${ACS('one')}${ACS('two', '\n    acsSenders: ["+18005550100"]')}`, 'c.yaml', {})
  t.same(ok.acs.outcomes, [], 'no rules: the documented default applies')
  t.same(ok.topics.two!.acsSenders, ['+18005550100'])
})

t.test('acs.outcomes: shape and meaning of each rule', async (t) => {
  t.same(problems(() => parseConfig(`
acs:
  outcomes:
    - { to: "+1425555*", channel: sms, status: Bounced }
    - { to: "*@x.org", channel: email, status: Bounced, delay: soon }
    - { to: "*", status: Read }
    - { to: "*", channel: sms, status: Delivered, engagement: [view] }
    - { to: "*", channel: fax, status: Delivered }
    - { status: Delivered }
`, 'c.yaml', {})), [
    'c.yaml:8:27 acs.outcomes[4].channel: \'fax\' is not allowed. Allowed values: sms, email, whatsapp.',
    'c.yaml:9:7 acs.outcomes[5]: missing required key \'to\''
  ], 'shape problems first (the rules are checked once the shape is right)')
  t.same(problems(() => parseConfig(`
acs:
  outcomes:
    - { to: "+1425555*", channel: sms, status: Bounced }
    - { to: "*@x.org", channel: email, status: Bounced, delay: soon }
    - { to: "*", status: Read }
    - { to: "*", channel: sms, status: Delivered, engagement: [view] }
`, 'c.yaml', {})), [
    'c.yaml:4:48 acs.outcomes[0].status: status \'Bounced\' is not valid for channel sms; allowed: Delivered, Failed',
    'c.yaml:5:64 acs.outcomes[1].delay: delay "soon" is not a duration; use e.g. 500ms, 2s, 1m or a number of milliseconds',
    'c.yaml:6:26 acs.outcomes[2].status: status \'Read\' is not valid for a rule without channel (it applies to sms, email and whatsapp); allowed: Delivered, Failed',
    'c.yaml:7:63 acs.outcomes[3].engagement: engagement events exist for email only: add \'channel: email\' to this rule'
  ])
})

t.test('scenario files: acsOutcomes rules and expectSent matchers are checked like the config', async (t) => {
  t.same(problems(() => parseScenario(`name: x
acsOutcomes:
  - { to: "+1*", channel: whatsapp, status: Bounced }
steps:
  - expectSent: { channel: sms, to: { regex: "(" }, within: forever }
  - expectSent: { channel: pigeon }
  - expectSent: { recipient: "+1" }
`, 's.yaml', {})), [
    's.yaml:3:45 acsOutcomes[0].status: status \'Bounced\' is not valid for channel whatsapp; allowed: Read, Delivered, Sent, Failed',
    's.yaml:5:37 steps[0].expectSent.to: bad matcher: invalid regex /(/: Invalid regular expression: /(/: Unterminated group',
    's.yaml:5:61 steps[0].expectSent.within: "forever" is not a duration: write 250ms, 2s, 1.5m, 1h or a number of milliseconds',
    's.yaml:6:28 steps[1].expectSent.channel: \'pigeon\' is not allowed. Allowed values: sms, email, whatsapp.',
    's.yaml:7:19 steps[2].expectSent.recipient: unknown key \'recipient\'. Allowed keys: topic, channel, messageId, from, to, message, subject, tag, kind, status, state, within, count.'
  ])
  const s = parseScenario(`name: x
acsOutcomes: [{ to: "+1*", channel: sms, status: Failed }]
steps:
  - id: sent
    expectSent: { channel: sms, to: "+14255550123", message: { regex: hi }, status: Failed, count: 2, within: 1s }
`, 's.yaml', {})
  t.same(s.acsOutcomes, [{ to: '+1*', channel: 'sms', status: 'Failed' }])
  t.match(s.steps[0], { kind: 'expectSent', channel: 'sms', match: { to: '+14255550123', message: { regex: 'hi' }, status: 'Failed' }, count: 2, withinMs: 1000 })
})
