/**
 * buildSimulatedEvents: the /topics/{topic}/simulate body — one item or an array; events and sequences;
 * every problem of every item reported at once with its path in the body.
 */
import t from 'tap'
import { buildSimulatedEvents, type AcsInputError } from '../../src/domain/acs/index.js'
import { problemsOf, TEST_ACS_TOPIC, testContext } from '../helpers/acs.js'

const build = (body: unknown, options: Parameters<typeof buildSimulatedEvents>[1] = {}) => buildSimulatedEvents(body, options, testContext())

const EXAMPLE = '{ "eventType": "sms-received", "data": { "message": "hi" } } or { "sequence": "sms-conversation" }'

t.test('one object → one event, with overrides and envelope fields', async (t) => {
  const [e, ...rest] = build({ eventType: 'sms-received', data: { message: 'hi' }, id: 'id-1', subject: '/phonenumber/1', eventTime: '2026-01-01T00:00:00Z' })
  t.equal(rest.length, 0)
  t.equal(e!.eventType, 'Microsoft.Communication.SMSReceived')
  t.equal((e!.data as Record<string, unknown>).message, 'hi')
  t.equal(e!.id, 'id-1')
  t.equal(e!.subject, '/phonenumber/1')
  t.equal(e!.eventTime, '2026-01-01T00:00:00Z')
  t.equal(e!.topic, TEST_ACS_TOPIC)
})

t.test('an array mixes events and sequences, in order', async (t) => {
  const events = build([
    { eventType: 'Microsoft.Communication.IncomingCall' },
    { sequence: 'sms-conversation', data: { message: 'yes' } },
    { eventType: 'email-delivery-report' }
  ])
  t.same(events.map((e) => e.eventType.split('.').pop()), ['IncomingCall', 'SMSReceived', 'SMSDeliveryReportReceived', 'EmailDeliveryReportReceived'])
  t.equal((events[1]!.data as Record<string, unknown>).message, 'yes')
})

t.test('options: allowUnknown and profile apply to every item', async (t) => {
  const [e] = build([{ eventType: 'sms-received', data: { extra: 1 } }], { allowUnknown: true })
  t.equal((e!.data as Record<string, unknown>).extra, 1)
  const legacy = build([{ eventType: 'sms-received' }, { sequence: 'chat-conversation' }], { profile: '2020-preview' })
  t.ok('MessageId' in (legacy[0]!.data as object))
  t.equal(legacy.length, 5)
  t.same(problemsOf(() => build({ eventType: 'sms-received' }, { profile: 'nope' as never })), [{
    path: ['profile'], message: "Unknown ACS profile 'nope'. Use 'current' or '2020-preview'."
  }])
})

t.test('body shape errors', async (t) => {
  t.same(problemsOf(() => build('sms-received')), [{ path: [], message: `The simulate body must be an object or an array of objects, like ${EXAMPLE}; got string "sms-received".` }])
  t.same(problemsOf(() => build(null)), [{ path: [], message: `The simulate body must be an object or an array of objects, like ${EXAMPLE}; got null.` }])
  t.same(problemsOf(() => build([])), [{ path: [], message: `The simulate body is an empty array: give at least one item, like ${EXAMPLE}.` }])
  t.same(problemsOf(() => build({})), [{ path: [], message: `Missing 'eventType' (an ACS event type or alias such as 'sms-received') or 'sequence'. Example: ${EXAMPLE}.` }])
})

t.test('every problem of every item, each with its path', async (t) => {
  const problems = problemsOf(() => build([
    { eventType: 'sms-received' },
    { evenType: 'sms-received' },
    { eventType: 'sms-recieved' },
    { eventType: 'sms-received', data: { mesage: 'x', segmentCount: 'two' } },
    { sequence: 'sms-conversation', subject: 'x' },
    { eventType: 'sms-received', sequence: 'sms-conversation' },
    { eventType: 42 },
    { eventType: 'sms-received', dta: {} },
    7,
    { sequence: 'nope' },
    { eventType: 'call-started', eventTime: 'yesterday' }
  ]))
  t.same(problems, [
    { path: [1, 'evenType'], message: "Missing 'eventType' (an ACS event type or alias such as 'sms-received') or 'sequence'. Unknown property 'evenType'. Did you mean 'eventType'?" },
    { path: [2, 'eventType'], message: "Unknown ACS event type 'sms-recieved'. Did you mean 'sms-received'? Run 'eventgrid-emulator events' to list them." },
    { path: [3, 'data', 'mesage'], message: "Microsoft.Communication.SMSReceived has no field 'data.mesage'. Did you mean 'message'?" },
    { path: [3, 'data', 'segmentCount'], message: 'Microsoft.Communication.SMSReceived: \'data.segmentCount\' must be an integer, got string "two".' },
    { path: [4, 'subject'], message: "Unknown property 'subject' in a simulate item: a sequence generates several events, so 'subject' cannot be set; use single { \"eventType\": … } items instead." },
    { path: [5], message: "Give either 'eventType' or 'sequence', not both." },
    { path: [6, 'eventType'], message: "'eventType' must be a non-empty string, got number 42." },
    { path: [7, 'dta'], message: "Unknown property 'dta' in a simulate item: allowed: 'eventType', 'data', 'subject', 'id', 'eventTime'. Did you mean 'data'?" },
    { path: [8], message: `Each simulate item must be an object like ${EXAMPLE}; got number 7.` },
    { path: [9, 'sequence'], message: "Unknown ACS sequence 'nope'. Known sequences: sms-conversation, call-lifecycle, chat-conversation, email-send, whatsapp-conversation, router-job-lifecycle." },
    { path: [10, 'eventTime'], message: "'eventTime' must be an ISO 8601 date-time such as 2025-06-12T17:15:05.1234567Z, got 'yesterday'." }
  ])
  const err = (() => { try { build([{ eventType: 'x' }, { eventType: 'y' }]) } catch (e) { return e as AcsInputError } })()!
  t.equal(err.message.split('\n').length, 2, 'the error message lists every problem, one per line')
})

t.test('a single object reports paths without an index', async (t) => {
  t.same(problemsOf(() => build({ eventType: 'sms-received', data: { mesage: 'x' } })).map((p) => p.path), [['data', 'mesage']])
  t.same(problemsOf(() => build({ sequence: 'sms-conversation', data: { bogus: 1 } })).map((p) => p.path), [['data', 'bogus']])
})
