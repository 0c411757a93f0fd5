/**
 * Sequences: order, increasing event times ending "now", ids shared across the events, overrides
 * distributed to the first event having the field and carried into the later ones, errors.
 */
import t from 'tap'
import { generateAcsSequence, listAcsSequences } from '../../src/domain/acs/index.js'
import type { EventGridEvent } from '../../src/domain/events.js'
import { problemsOf, testContext } from '../helpers/acs.js'

type Data = Record<string, any>
const data = (e: EventGridEvent | undefined): Data => e!.data as Data
const seq = (name: string, d?: Record<string, unknown>) => generateAcsSequence(name, d === undefined ? {} : { data: d }, testContext())

t.test('every sequence: listed types in order, times strictly increasing, last one at now', async (t) => {
  const sequences = listAcsSequences()
  t.same(sequences.map((s) => s.name), ['sms-conversation', 'call-lifecycle', 'chat-conversation', 'email-send', 'whatsapp-conversation', 'router-job-lifecycle'])
  for (const s of sequences) {
    const events = seq(s.name)
    t.same(events.map((e) => e.eventType), s.eventTypes, `${s.name}: types in order`)
    const times = events.map((e) => Date.parse(e.eventTime))
    t.ok(times.every((tm, i) => i === 0 || tm > times[i - 1]!), `${s.name}: event times increase`)
    t.equal(events.at(-1)!.eventTime.slice(0, 23), '2026-03-01T12:00:00.000', `${s.name}: ends now`)
    t.equal(new Set(events.map((e) => e.id)).size, events.length, `${s.name}: distinct event ids`)
    t.same(seq(s.name), events, `${s.name}: deterministic with the context`)
  }
})

t.test('sms-conversation: the reply goes from the ACS number back to the sender', async (t) => {
  const [received, report] = seq('sms-conversation')
  t.equal(data(report).from, data(received).to)
  t.equal(data(report).to, data(received).from)
  t.equal(report!.subject, received!.subject, 'both filed under the ACS number')
  t.equal(report!.id, data(report).messageId)
  t.not(data(report).messageId, data(received).messageId)
  t.match(data(report).messageId, /^Outgoing_/)
})

t.test('call-lifecycle: serverCallId and correlationId shared, recording subject points at the call', async (t) => {
  const events = seq('call-lifecycle')
  const [incoming, started, added, ended, recording] = events
  const serverCallId = data(incoming).serverCallId as string
  const correlationId = data(incoming).correlationId as string
  for (const e of [started, added, ended]) {
    t.equal(data(e).serverCallId, serverCallId, `${e!.eventType} serverCallId`)
    t.equal(data(e).correlationId, correlationId, `${e!.eventType} correlationId`)
    t.ok(e!.subject.startsWith(`call/${serverCallId}`), `${e!.eventType} subject`)
  }
  t.ok(recording!.subject.startsWith(`/recording/call/${correlationId}/serverCallId/${serverCallId}/recordingId/`))
  t.equal(data(started).startedBy.communicationIdentifier.rawId, data(ended).startedBy.communicationIdentifier.rawId)
  t.ok(Date.parse(data(recording).recordingStartTime) > Date.parse(started!.eventTime), 'recording started after the call')
})

t.test('chat-conversation: one thread, one message, same sender and recipient', async (t) => {
  const [created, received, edited, deleted] = seq('chat-conversation')
  for (const e of [received, edited, deleted]) {
    t.equal(data(e).threadId, data(created).threadId)
    t.equal(data(e).recipientId, data(created).recipientId)
    t.equal(data(e).senderId, data(created).createdBy)
  }
  t.equal(data(edited).messageId, data(received).messageId)
  t.equal(data(deleted).messageId, data(received).messageId)
  t.equal(data(edited).composeTime, data(received).composeTime)
  t.ok(data(edited).version > data(received).version, 'version grows with the edit')
  t.equal(edited!.subject, received!.subject)
})

t.test('email-send, whatsapp-conversation and router-job-lifecycle share their ids', async (t) => {
  const [delivered, engaged] = seq('email-send')
  t.equal(data(engaged).messageId, data(delivered).messageId)
  t.equal(engaged!.subject, delivered!.subject)

  const [inbound, status] = seq('whatsapp-conversation')
  t.equal(data(status).to, data(inbound).from)
  t.equal(data(status).from, data(inbound).to)

  const job = seq('router-job-lifecycle')
  const jobId = data(job[0]).jobId
  for (const e of job) t.equal(data(e).jobId, jobId, `${e.eventType} jobId`)
  t.equal(data(job[4]).offerId, data(job[3]).offerId, 'the accepted offer is the issued one')
  t.equal(data(job[5]).assignmentId, data(job[4]).assignmentId)
  t.equal(data(job[6]).assignmentId, data(job[4]).assignmentId)
  t.equal(data(job[6]).workerId, data(job[3]).workerId)
})

t.test('sequence data: each key goes to the first event with that field and carries over', async (t) => {
  const [received, report] = seq('sms-conversation', { from: '+15550001111', deliveryStatus: 'Failed', message: 'STOP' })
  t.equal(data(received).from, '+15550001111')
  t.equal(data(received).message, 'STOP')
  t.equal(data(report).to, '+15550001111', 'the reply goes to the overridden sender')
  t.equal(data(report).deliveryStatus, 'Failed')

  const call = seq('call-lifecycle', { serverCallId: 'my-server-call', correlationId: 'my-correlation' })
  for (const e of call.slice(0, 4)) t.equal(data(e).serverCallId, 'my-server-call')
  t.ok(call[4]!.subject.startsWith('/recording/call/my-correlation/serverCallId/my-server-call/'))

  const chat = seq('chat-conversation', { threadId: '19:mine@thread.v2', messageBody: 'Hello' })
  t.same(chat.map((e) => data(e).threadId), Array(4).fill('19:mine@thread.v2'))
  t.equal(data(chat[1]).messageBody, 'Hello')
  t.ok(chat.every((e) => e.subject.startsWith('thread/19:mine@thread.v2/')))

  const email = seq('email-send', { recipient: 'carol@example.net' })
  t.equal(data(email[1]).recipient, 'carol@example.net')
})

t.test('sequence errors', async (t) => {
  t.same(problemsOf(() => seq('sms-conversaton')), [{
    path: ['sequence'],
    message: "Unknown ACS sequence 'sms-conversaton'. Did you mean 'sms-conversation'? Known sequences: sms-conversation, call-lifecycle, chat-conversation, email-send, whatsapp-conversation, router-job-lifecycle."
  }])
  t.match(problemsOf(() => seq('router-job'))[0]?.message, /Did you mean 'router-job-lifecycle'\?/, 'an unambiguous prefix is suggested')
  t.notMatch(problemsOf(() => seq('zzz'))[0]?.message, /Did you mean/)
  t.match(problemsOf(() => seq('sms-received'))[0]?.message, /'sms-received' is an event type: use \{ "eventType": "sms-received" \}/)
  t.same(problemsOf(() => seq('sms-conversation', { mesage: 'x' })), [{
    path: ['data', 'mesage'],
    message: "Sequence 'sms-conversation' has no field 'data.mesage' in any of its events (sms-received, sms-delivery-report). Did you mean 'message'?"
  }])
  t.same(problemsOf(() => seq('sms-conversation', { segmentCount: 'two' })), [{
    path: ['data', 'segmentCount'],
    message: 'Microsoft.Communication.SMSReceived: \'data.segmentCount\' must be an integer, got string "two".'
  }])
  t.same(problemsOf(() => generateAcsSequence('sms-conversation', { data: 'x' as never }, testContext())), [{
    path: ['data'], message: "'data' must be an object of field overrides, got string \"x\"."
  }])
})
