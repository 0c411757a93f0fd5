/** The pure parts: recipient patterns, delays, SMS segments, and the report plan for each channel and outcome. */
import t from 'tap'
import { outcomeFor, parseDelay, reportSteps, type SentMessage } from '../../src/domain/acs-messaging/index.js'
import { globMatches } from '../../src/domain/acs-messaging/outcomes.js'
import { smsSegments } from '../../src/domain/acs-messaging/reports.js'

t.test('recipient patterns: * and ? only, case-insensitive, anchored; regex characters are literal', async (t) => {
  t.ok(globMatches('+1425555*', '+14255550123'))
  t.notOk(globMatches('+1425555*', '+442555501'), 'the + is literal, not a regex quantifier')
  t.ok(globMatches('*@Bounce.example.org', 'bob@bounce.EXAMPLE.org'))
  t.ok(globMatches('+1425555012?', '+14255550123'))
  t.notOk(globMatches('+1425555012?', '+142555501234'))
  t.notOk(globMatches('a.b', 'axb'), 'a dot is a dot')
})

t.test('delays: ms, s, m or a number of milliseconds', async (t) => {
  t.same([parseDelay('250ms'), parseDelay('2s'), parseDelay('1.5m'), parseDelay(40), parseDelay('soon'), parseDelay(-1), parseDelay('1h')], [250, 2000, 90_000, 40, undefined, undefined, undefined])
})

t.test('SMS segments: 160 characters fit one, longer texts 153 per segment', async (t) => {
  t.same([smsSegments(''), smsSegments('x'.repeat(160)), smsSegments('x'.repeat(161)), smsSegments('x'.repeat(306)), smsSegments('x'.repeat(307))], [1, 1, 2, 2, 3])
})

const sms: SentMessage = { channel: 'sms', messageId: 'Outgoing_1', from: '+18005550100', to: '+14255550123', message: 'x'.repeat(200), enableDeliveryReport: true, request: {} }

t.test('the first matching rule wins; the channel narrows it; the default is Delivered after 1 s (WhatsApp: Read)', async (t) => {
  const rules = [{ to: '*', channel: 'email' as const, status: 'Bounced' }, { to: '+1425*', status: 'Failed', delay: '3s' }, { to: '*', status: 'Delivered' }]
  t.same(outcomeFor('sms', '+14255550123', rules), { status: 'Failed', details: 'Message failed to deliver: the carrier rejected it.', delayMs: 3000, engagement: [], rule: 1 })
  t.same(outcomeFor('email', 'a@b.org', rules), { status: 'Bounced', details: 'The recipient address does not exist (550 5.1.1 user unknown).', delayMs: 1000, engagement: [], rule: 0 })
  t.same(outcomeFor('whatsapp', '+4930', []), { status: 'Read', details: '', delayMs: 1000, engagement: [] })
})

t.test('report plans: a failed long SMS counts every segment as failed; no report without enableDeliveryReport', async (t) => {
  const [step] = reportSteps(sms, { status: 'Failed', details: 'x', delayMs: 5, engagement: [] })
  const data = step!.data(new Date('2026-03-01T12:00:05Z'), new Date('2026-03-01T12:00:00Z'))
  t.same(data.deliveryAttempts, [{ timestamp: '2026-03-01T12:00:00.000Z', segmentsSucceeded: 0, segmentsFailed: 2 }])
  t.equal(data.receivedTimestamp, '2026-03-01T12:00:05.000Z')
  t.equal(data.tag, null, 'null removes the optional tag the catalog sample carries')
  t.same(reportSteps({ ...sms, enableDeliveryReport: false }, { status: 'Delivered', details: '', delayMs: 0, engagement: [] }), [])
  const wa = reportSteps({ ...sms, channel: 'whatsapp' }, { status: 'Delivered', details: '', delayMs: 100, engagement: [] })
  t.same(wa.map((s) => [s.status, s.afterMs]), [['Sent', 100], ['Delivered', 1100]])
})
