/**
 * generateAcsEvent: type resolution and aliases, deep-merge overrides, subject/id derived from the final
 * data, consistency of linked fields, every input error with its message, determinism, acsTopicId.
 */
import t from 'tap'
import {
  AcsInputError, acsTopicId, generateAcsEvent, listAcsEventTypes, listAcsSequences, resolveAcsEventType,
  type GenerateOptions
} from '../../src/domain/acs/index.js'
import { problemsOf, TEST_NOW, testContext } from '../helpers/acs.js'

type Data = Record<string, any>
const gen = (type: string, options: GenerateOptions = {}) => {
  const e = generateAcsEvent(type, options, testContext())
  return { ...e, data: e.data as Data }
}

t.test('aliases: every type has a unique one, the documented ones exist', async (t) => {
  const types = listAcsEventTypes()
  t.equal(types.length, 56)
  const aliases = types.flatMap((i) => i.aliases)
  t.equal(aliases.length, 56, 'one alias per type')
  t.equal(new Set(aliases).size, aliases.length, 'aliases are unique')
  for (const a of aliases) t.match(a, /^[a-z0-9]+(-[a-z0-9]+)*$/, `${a} is kebab-case`)
  const expected: Record<string, string> = {
    'sms-received': 'SMSReceived',
    'sms-delivery-report': 'SMSDeliveryReportReceived',
    'chat-message-received': 'ChatMessageReceived',
    'chat-message-edited': 'ChatMessageEdited',
    'chat-message-received-in-thread': 'ChatMessageReceivedInThread',
    'incoming-call': 'IncomingCall',
    'call-started': 'CallStarted',
    'call-ended': 'CallEnded',
    'email-delivery-report': 'EmailDeliveryReportReceived',
    'email-engagement-report': 'EmailEngagementTrackingReportReceived',
    'router-job-received': 'RouterJobReceived',
    'recording-file-status-updated': 'RecordingFileStatusUpdated'
  }
  for (const [alias, type] of Object.entries(expected)) {
    t.equal(resolveAcsEventType(alias)?.eventType, `Microsoft.Communication.${type}`, alias)
  }
  const sequenceNames = listAcsSequences().map((s) => s.name)
  t.same(sequenceNames.filter((n) => aliases.includes(n)), [], 'sequence names never shadow an alias')
  const retired = types.filter((i) => i.retired).map((i) => i.eventType)
  t.same(retired, ['Microsoft.Communication.ChatMemberAddedToThreadWithUser', 'Microsoft.Communication.ChatMemberRemovedFromThreadWithUser'])
})

t.test('resolve: full name (any case), bare name, alias; unknown → undefined', async (t) => {
  t.equal(resolveAcsEventType('microsoft.communication.smsreceived')?.eventType, 'Microsoft.Communication.SMSReceived')
  t.equal(resolveAcsEventType('SMSReceived')?.eventType, 'Microsoft.Communication.SMSReceived')
  t.equal(resolveAcsEventType('  sms-received ')?.eventType, 'Microsoft.Communication.SMSReceived')
  t.equal(resolveAcsEventType('sms-recieved'), undefined)
  t.same(resolveAcsEventType('chat-member-added-to-thread-with-user'), {
    eventType: 'Microsoft.Communication.ChatMemberAddedToThreadWithUser',
    aliases: ['chat-member-added-to-thread-with-user'],
    category: 'chat',
    status: 'retired (2020 preview only; replaced by ChatParticipantAddedToThreadWithUser)',
    retired: true,
    description: resolveAcsEventType('Microsoft.Communication.ChatMemberAddedToThreadWithUser')!.description
  })
})

t.test('defaults: consistent ids, subject and id from data, deterministic with the context', async (t) => {
  const sms = gen('sms-received')
  t.equal(sms.id, sms.data.messageId, 'SMS event id is data.messageId')
  t.match(sms.data.messageId, /^Incoming_\d{14}[0-9a-f]{32}$/)
  t.match(sms.data.from, /^\+1\d{10}$/)
  t.equal(sms.subject, `/phonenumber/${sms.data.to.slice(1)}`, 'subject is the ACS number (to) without +')
  t.equal(sms.eventTime.slice(0, 23), '2026-03-01T12:00:00.000', 'eventTime is ctx.now()')
  t.ok(Date.parse(sms.data.receivedTimestamp) < Date.parse(TEST_NOW), 'received before the event was published')
  t.same(gen('sms-received'), sms, 'same context → same event')

  const chat = gen('chat-message-received')
  const sender = chat.data.senderCommunicationIdentifier.rawId
  t.equal(chat.data.senderId, sender)
  t.equal(chat.data.senderCommunicationIdentifier.communicationUser.id, sender)
  t.equal(chat.subject, `thread/${chat.data.threadId}/sender/${sender}/recipient/${chat.data.recipientId}`)
  t.match(sender, /^8:acs:[0-9a-f-]{36}_[0-9a-f-]{36}$/)
  t.equal(sender.slice(6, 42), chat.data.recipientId.slice(6, 42), 'one ACS resource GUID for all users of the topic')
  t.equal(chat.data.messageId, String(chat.data.version), 'chat messageId is the compose time in ms, like version')
  t.equal(Date.parse(chat.data.composeTime), chat.data.version)
})

t.test('overrides: deep merge, arrays and scalars replace, null removes', async (t) => {
  const job = gen('router-job-received', { data: { labels: { tier: 'gold', region: null }, priority: 9 } })
  t.same(job.data.labels, { language: 'en', tier: 'gold' }, 'objects merge; null removes a dictionary key')
  t.equal(job.data.priority, 9)

  const attempts = [{ timestamp: '2026-03-01T11:59:00Z', segmentsSucceeded: 0, segmentsFailed: 1 }]
  const dr = gen('sms-delivery-report', { data: { deliveryStatus: 'Failed', deliveryAttempts: attempts } })
  t.same(dr.data.deliveryAttempts, attempts, 'arrays replace')
  t.equal(dr.data.deliveryStatus, 'Failed')

  const ended = gen('call-ended', { data: { endedBy: null, reason: { phrase: 'Dropped' } } })
  t.notOk('endedBy' in ended.data, 'null removes an optional field')
  t.same(ended.data.reason, { code: 0, subCode: 0, phrase: 'Dropped' }, 'nested objects merge')
})

t.test('overrides: subject and id follow the overridden data', async (t) => {
  const sms = gen('sms-received', { data: { to: '+18885550100', messageId: 'Incoming_custom' } })
  t.equal(sms.subject, '/phonenumber/18885550100')
  t.equal(sms.id, 'Incoming_custom')
  const dr = gen('sms-delivery-report', { data: { from: '+18885550100' } })
  t.equal(dr.subject, '/phonenumber/18885550100', 'delivery reports are filed under the sending ACS number')

  const chat = gen('chat-message-received', { data: { senderCommunicationIdentifier: { rawId: '8:acs:custom_user' }, threadId: '19:t@thread.v2' } })
  t.equal(chat.data.senderCommunicationIdentifier.rawId, '8:acs:custom_user')
  t.equal(chat.data.senderCommunicationIdentifier.communicationUser.id, '8:acs:custom_user', 'the identifier stays consistent')
  t.equal(chat.data.senderId, '8:acs:custom_user', 'so does the legacy MRI string')
  t.match(chat.subject, /^thread\/19:t@thread\.v2\/sender\/8:acs:custom_user\/recipient\/8:acs:/)

  const call = gen('incoming-call', { data: { from: { rawId: '4:+15551234567', phoneNumber: { value: '+15551234567' } } } })
  t.match(call.subject, /^\/caller\/4:\+15551234567\/recipient\/4:\+1800555\d{4}$/)
  const onlyValue = gen('incoming-call', { data: { from: { phoneNumber: { value: '+15557654321' } } } })
  t.equal(onlyValue.data.from.rawId, '4:+15557654321', 'a phone number override also moves the raw id that embeds it')
  t.equal(onlyValue.subject.split('/')[2], '4:+15557654321')

  t.equal(gen('advanced-message-delivery-status-updated', { data: { status: 'Read' } }).subject.split('/').at(-1), 'Read')
  t.equal(gen('router-worker-offer-issued', { data: { workerId: 'w1' } }).subject.split('/')[1], 'w1')
})

t.test('overrides: explicit subject, id and eventTime win', async (t) => {
  const e = gen('sms-received', { subject: '/phonenumber/1', id: 'my-id', eventTime: '2024-05-06T07:08:09Z', data: { to: '+18885550100' } })
  t.equal(e.subject, '/phonenumber/1')
  t.equal(e.id, 'my-id')
  t.equal(e.data.messageId.slice(0, 23), 'Incoming_20240506070807', 'the data moves to the given eventTime too')
  t.equal(e.eventTime, '2024-05-06T07:08:09Z')
  t.equal(e.data.receivedTimestamp.slice(0, 16), '2024-05-06T07:08')
})

t.test('overrides: unknown fields and allowUnknown', async (t) => {
  t.same(problemsOf(() => gen('sms-received', { data: { mesage: 'hi' } })), [{
    path: ['data', 'mesage'],
    message: "Microsoft.Communication.SMSReceived has no field 'data.mesage'. Did you mean 'message'?"
  }])
  t.same(problemsOf(() => gen('sms-delivery-report', { data: { deliveryAttempts: [{ timestam: '2026-01-01T00:00:00Z' }] } })), [{
    path: ['data', 'deliveryAttempts', 0, 'timestam'],
    message: "Microsoft.Communication.SMSDeliveryReportReceived has no field 'data.deliveryAttempts[0].timestam'. Did you mean 'timestamp'?"
  }])
  t.same(problemsOf(() => gen('sms-received', { data: { MessageId: 'x', zzzz: 1 } })).map((p) => p.message), [
    "Microsoft.Communication.SMSReceived has no field 'data.MessageId'. Did you mean 'messageId'?",
    "Microsoft.Communication.SMSReceived has no field 'data.zzzz'."
  ])
  const loose = gen('sms-received', { allowUnknown: true, data: { mesage: 'hi', segmentCount: 3 } })
  t.equal(loose.data.mesage, 'hi', 'allowUnknown passes unknown fields through')
  t.equal(loose.data.segmentCount, 3)
  t.equal(gen('sms-delivery-report', { allowUnknown: true, data: { deliveryStatus: 'Expired' } }).data.deliveryStatus, 'Expired',
    'allowUnknown also lets other values of an (open) enum through')
})

t.test('overrides: type errors name the expected type', async (t) => {
  const problems = problemsOf(() => gen('sms-received', {
    data: { message: 42, segmentCount: '2', receivedTimestamp: 'yesterday', to: null }
  }))
  t.same(problems, [
    { path: ['data', 'message'], message: "Microsoft.Communication.SMSReceived: 'data.message' must be a string, got number 42." },
    { path: ['data', 'segmentCount'], message: 'Microsoft.Communication.SMSReceived: \'data.segmentCount\' must be an integer, got string "2".' },
    { path: ['data', 'receivedTimestamp'], message: 'Microsoft.Communication.SMSReceived: \'data.receivedTimestamp\' must be an ISO 8601 date-time string (e.g. 2025-06-12T17:15:03.4412345Z), got string "yesterday".' },
    { path: ['data', 'to'], message: "Microsoft.Communication.SMSReceived: 'data.to' is required and cannot be null." }
  ])
  t.same(problemsOf(() => gen('sms-delivery-report', { data: { deliveryStatus: 'delivered' } })), [{
    path: ['data', 'deliveryStatus'],
    message: "Microsoft.Communication.SMSDeliveryReportReceived: 'data.deliveryStatus' must be one of 'Delivered', 'Failed', got 'delivered'. Did you mean 'Delivered'? (Pass allowUnknown to send other values.)"
  }])
  t.same(problemsOf(() => gen('router-job-received', { data: { labels: { tier: 1 }, requestedWorkerSelectors: {} } })).map((p) => p.message), [
    'Microsoft.Communication.RouterJobReceived: \'data.labels.tier\' must be a string (data.labels maps names to strings), got number 1.',
    'Microsoft.Communication.RouterJobReceived: \'data.requestedWorkerSelectors\' must be an array, got object {}.'
  ])
  t.same(problemsOf(() => gen('chat-message-received', { data: { senderCommunicationIdentifier: 'x' } }))[0]?.message,
    "Microsoft.Communication.ChatMessageReceived: 'data.senderCommunicationIdentifier' must be an object, got string \"x\".")
})

t.test('bad event types and envelope options', async (t) => {
  t.same(problemsOf(() => gen('sms-recieved')), [{
    path: ['eventType'],
    message: "Unknown ACS event type 'sms-recieved'. Did you mean 'sms-received'? Run 'eventgrid-emulator events' to list them."
  }])
  t.equal(problemsOf(() => gen('Microsoft.Communication.SMSRecieved'))[0]?.message,
    "Unknown ACS event type 'Microsoft.Communication.SMSRecieved'. Did you mean 'Microsoft.Communication.SMSReceived'? Run 'eventgrid-emulator events' to list them.")
  t.equal(problemsOf(() => gen('totally-unknown'))[0]?.message,
    "Unknown ACS event type 'totally-unknown'. Run 'eventgrid-emulator events' to list them.")
  t.equal(problemsOf(() => gen('call-lifecycle'))[0]?.message,
    "Unknown ACS event type 'call-lifecycle'. 'call-lifecycle' is a sequence: use { \"sequence\": \"call-lifecycle\" } (or generateAcsSequence). Run 'eventgrid-emulator events' to list them.")
  t.same(problemsOf(() => gen('sms-received', { eventTime: 'now', subject: '' as string, data: [] as unknown as Data })), [
    { path: ['subject'], message: "'subject' must be a non-empty string, got string \"\"." },
    { path: ['eventTime'], message: "'eventTime' must be an ISO 8601 date-time such as 2025-06-12T17:15:05.1234567Z, got 'now'." },
    { path: ['data'], message: "'data' must be an object of field overrides, got array []." }
  ])
  const err = (() => { try { gen('sms-recieved') } catch (e) { return e } })()
  t.ok(err instanceof AcsInputError)
  t.equal((err as Error).name, 'AcsInputError')
  t.match((err as Error).message, /Did you mean 'sms-received'/)
})

t.test('acsTopicId lower-cases the fixed segments only', async (t) => {
  t.equal(
    acsTopicId('/subscriptions/ABC-123/resourceGroups/My-RG/providers/Microsoft.Communication/communicationServices/My-Acs'),
    '/subscriptions/ABC-123/resourcegroups/My-RG/providers/microsoft.communication/communicationservices/My-Acs'
  )
  t.equal(
    acsTopicId('/SUBSCRIPTIONS/x/RESOURCEGROUPS/y/PROVIDERS/MICROSOFT.COMMUNICATION/COMMUNICATIONSERVICES/z/'),
    '/subscriptions/x/resourcegroups/y/providers/microsoft.communication/communicationservices/z'
  )
  t.equal(acsTopicId('/subscriptions/x/resourceGroups/y/providers/Microsoft.EventGrid/topics/t'),
    '/subscriptions/x/resourceGroups/y/providers/Microsoft.EventGrid/topics/t', 'not an ACS resource id: unchanged')
})
