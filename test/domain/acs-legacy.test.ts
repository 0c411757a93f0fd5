/**
 * The 2020-preview profile against the 2020 preview docs (data/acs-2020-preview-samples.json, taken from the 2020 event-handling doc):
 * same data keys (PascalCase SMS, MRI-only chat, ChatMember* events), same subject and id shapes.
 */
import { readFileSync } from 'node:fs'
import { randomUUID } from 'node:crypto'
import t from 'tap'
import { generateAcsEvent, generateAcsSequence, type GenerateContext } from '../../src/domain/acs/index.js'
import { problemsOf } from '../helpers/acs.js'

interface SeedEvent { id: string; subject: string; eventType: string; data: Record<string, unknown> }

/** The JSON samples of the 2020 doc, kept in the repository (see data/README.md). */
function seedEvents (): SeedEvent[] {
  return JSON.parse(readFileSync(new URL('../../data/acs-2020-preview-samples.json', import.meta.url), 'utf8')) as SeedEvent[]
}

const ctx: GenerateContext = {
  topic: '/subscriptions/3f2b1c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d/resourcegroups/rg/providers/microsoft.communication/communicationservices/acs',
  now: () => new Date(),
  newGuid: () => randomUUID()
}
const legacy = (type: string, data?: Record<string, unknown>) =>
  generateAcsEvent(type, { profile: '2020-preview', ...(data === undefined ? {} : { data }) }, ctx)

/** Key structure of a value: objects → sorted keys with their shapes, arrays → shape of the first item. */
function shape (v: unknown): unknown {
  if (Array.isArray(v)) return v.length === 0 ? [] : [shape(v[0])]
  if (typeof v === 'object' && v !== null) {
    return Object.fromEntries(Object.entries(v).sort(([a], [b]) => a.localeCompare(b)).map(([k, x]) => [k, shape(x)]))
  }
  return typeof v
}

const seeds = seedEvents()

t.test('the seed doc has the ten 2020 event types', async (t) => {
  t.equal(seeds.length, 10)
})

for (const seed of seeds) {
  t.test(`2020-preview ${seed.eventType} has the documented shape`, async (t) => {
    const e = legacy(seed.eventType)
    t.same(shape(e.data), shape(seed.data), 'same data keys and value types as the 2020 doc')
    const prefix = seed.subject.split('/').slice(0, seed.subject.startsWith('/') ? 2 : 1).join('/')
    t.ok(e.subject.startsWith(prefix), `subject starts like the doc's (${prefix})`)
    t.equal(e.subject.split('/').length, seed.subject.split('/').length, 'same number of subject segments')
    if (seed.eventType.includes('SMS')) {
      t.equal(e.id, (e.data as Record<string, unknown>).MessageId, 'SMS id is the MessageId')
      t.match(e.id, /^(Incoming|Outgoing)_\d{14}[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/, 'id shaped like the doc')
    }
  })
}

t.test('2020 SMS number formatting follows the doc samples', async (t) => {
  const received = legacy('sms-received').data as Record<string, string>
  t.match(received.From, /^1\d{10}$/, 'From without +')
  t.match(received.To, /^1\d{10}$/, 'To without +')
  const report = legacy('sms-delivery-report').data as Record<string, string>
  t.match(report.From, /^1\d{10}$/, 'delivery report From without +')
  t.match(report.To, /^\+1\d{10}$/, 'delivery report To with +')
})

t.test('2020 overrides use the 2020 field names', async (t) => {
  const e = legacy('sms-received', { Message: 'hello 2020', To: '+18885550100' })
  const data = e.data as Record<string, string>
  t.equal(data.Message, 'hello 2020')
  t.equal(data.To, '+18885550100', 'a user-given value is kept verbatim')
  t.equal(e.subject, '/phonenumber/18885550100', 'the subject follows')
  const report = legacy('sms-delivery-report', { DeliveryAttempts: [{ Timestamp: '2020-09-18T00:22:14.9315918Z', SegmentsSucceeded: 1, SegmentsFailed: 0 }] })
  t.same((report.data as Record<string, unknown>).DeliveryAttempts, [{ Timestamp: '2020-09-18T00:22:14.9315918Z', SegmentsSucceeded: 1, SegmentsFailed: 0 }])
  const chat = legacy('chat-message-received', { senderId: '8:acs:r_me' })
  t.match(chat.subject, /\/sender\/8:acs:r_me\/recipient\//)
  t.same(problemsOf(() => legacy('sms-received', { message: 'x' })), [{
    path: ['data', 'message'],
    message: "Microsoft.Communication.SMSReceived has no field 'data.message'. Did you mean 'Message'?"
  }])
  t.same(problemsOf(() => legacy('chat-message-received', { senderCommunicationIdentifier: {} })).map((p) => p.path), [['data', 'senderCommunicationIdentifier']],
    'identifier objects did not exist in 2020')
})

t.test('types that did not exist in 2020 are an error naming the profile', async (t) => {
  t.same(problemsOf(() => legacy('call-started')), [{
    path: ['eventType'],
    message: "Microsoft.Communication.CallStarted did not exist in profile '2020-preview' (first seen: 2021-10 (docs); SDK types 2025). Types in '2020-preview': sms-received, sms-delivery-report, chat-message-received, chat-message-edited, chat-message-deleted, chat-thread-created-with-user, chat-thread-with-user-deleted, chat-thread-properties-updated-per-user, chat-member-added-to-thread-with-user, chat-member-removed-from-thread-with-user."
  }])
  t.match(problemsOf(() => generateAcsSequence('call-lifecycle', { profile: '2020-preview' }, ctx))[0]?.message,
    /^Sequence 'call-lifecycle': Microsoft\.Communication\.IncomingCall did not exist in profile '2020-preview'/)
  t.same(problemsOf(() => generateAcsEvent('sms-received', { profile: '2019' as never }, ctx)), [{
    path: ['profile'], message: "Unknown ACS profile '2019'. Use 'current' or '2020-preview'."
  }])
})

t.test('2020 sequences keep their links in 2020 names', async (t) => {
  const [received, report] = generateAcsSequence('sms-conversation', { profile: '2020-preview', data: { From: '+15550001111' } }, ctx)
  const r = received!.data as Record<string, string>
  const d = report!.data as Record<string, string>
  t.equal(r.From, '+15550001111')
  t.equal(d.To, '+15550001111', 'the reply goes back to the sender')
  t.equal(d.From, r.To, 'from the ACS number (both printed without +)')
  const chat = generateAcsSequence('chat-conversation', { profile: '2020-preview' }, ctx)
  t.equal(new Set(chat.map((e) => (e.data as Record<string, unknown>).threadId)).size, 1)
  t.ok(chat.every((e) => !('senderCommunicationIdentifier' in (e.data as object))))
})

t.test('the current profile is camelCase', async (t) => {
  const data = generateAcsEvent('sms-received', {}, ctx).data as Record<string, unknown>
  t.same(Object.keys(data), ['messageId', 'from', 'to', 'message', 'receivedTimestamp', 'segmentCount'])
})
