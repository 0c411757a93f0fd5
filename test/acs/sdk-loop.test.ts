/**
 * The official ACS SDKs against the emulator over real sockets: they send, the emulator answers as ACS does,
 * and the delivery reports reach a subscribed webhook with the message ids of the send.
 */
import { EmailClient } from '@azure/communication-email'
import { SmsClient } from '@azure/communication-sms'
import createMessagesClient, { isUnexpected } from '@azure-rest/communication-messages'
import t from 'tap'
import { startTestEmulator } from '../helpers/build.js'
import { startReceiver } from '../helpers/receiver.js'

const SOURCE = '/subscriptions/11111111-2222-3333-4444-555555555555/resourceGroups/rg/providers/Microsoft.Communication/communicationServices/contoso-acs'
const KEY = Buffer.from('contoso-acs-test-key-0123456789ab').toString('base64')
const CHANNEL = 'be57b49d-5cd4-4f96-9a6b-4af41bc9fdfb'
// The package is CommonJS with exports.default: under ESM its default import is the whole module.
const MessagesClient = createMessagesClient.default
/** For plain http the SDKs need allowInsecureConnection. */
const INSECURE = { allowInsecureConnection: true }

function yaml (receiverUrl: string, outcomes = ''): string {
  return `
delivery: { timeScale: 0.001 }
acs:
  outcomes:${outcomes === '' ? ' []' : outcomes}
topics:
  acs:
    topicType: Microsoft.Communication.CommunicationServices
    source: ${SOURCE}
    acsAccessKey: ${KEY}
    subscriptions:
      reports:
        destination: { endpointType: WebHook, properties: { endpointUrl: "${receiverUrl}/reports" } }
        filter:
          includedEventTypes:
            - Microsoft.Communication.SMSDeliveryReportReceived
            - Microsoft.Communication.EmailDeliveryReportReceived
            - Microsoft.Communication.EmailEngagementTrackingReportReceived
            - Microsoft.Communication.AdvancedMessageDeliveryStatusUpdated
`
}

type Ev = { id: string, eventType: string, subject: string, topic: string, data: Record<string, any> }
const events = (bodies: Array<{ body: unknown }>): Ev[] => bodies.flatMap((r) => r.body as Ev[])

t.test('SmsClient.send: 202 per recipient, then SMSDeliveryReportReceived with the same messageId', async (t) => {
  const receiver = await startReceiver(t)
  const eg = await startTestEmulator(t, yaml(receiver.url))
  t.equal(eg.acsConnectionString('acs'), `endpoint=${eg.url}/;accesskey=${KEY}`)
  const sms = new SmsClient(eg.acsConnectionString('acs'), INSECURE)
  const results = await sms.send({ from: '+18005550100', to: ['+14255550123', '+14255550124'], message: 'Your code is 1234' }, { enableDeliveryReport: true, tag: 'otp' })
  t.equal(results.length, 2)
  for (const r of results) {
    t.equal(r.successful, true)
    t.equal(r.httpStatusCode, 202)
    t.match(r.messageId, /^Outgoing_\d{14}[0-9a-f]{32}$/)
  }
  const got = events(await receiver.waitFor(2))
  t.same(got.map((e) => e.data.messageId).sort(), results.map((r) => r.messageId).sort())
  const first = got.find((e) => e.data.to === '+14255550123')!
  t.equal(first.eventType, 'Microsoft.Communication.SMSDeliveryReportReceived')
  t.equal(first.topic, '/subscriptions/11111111-2222-3333-4444-555555555555/resourcegroups/rg/providers/microsoft.communication/communicationservices/contoso-acs')
  t.equal(first.subject, '/phonenumber/18005550100')
  t.match(first.data, { from: '+18005550100', deliveryStatus: 'Delivered', deliveryStatusDetails: 'No error.', tag: 'otp', deliveryAttempts: [{ segmentsSucceeded: 1, segmentsFailed: 0 }] })
  t.match(eg.outbox('acs'), [{ messageId: results[0]!.messageId, state: 'Reported' }, { messageId: results[1]!.messageId, state: 'Reported' }])
  t.throws(() => eg.acsConnectionString('nope'), { message: /Topic 'nope' is not configured/ })
})

t.test('EmailClient.beginSend: the poller reaches Succeeded and EmailDeliveryReportReceived carries the operation id', async (t) => {
  const receiver = await startReceiver(t)
  const eg = await startTestEmulator(t, yaml(receiver.url))
  const email = new EmailClient(`endpoint=${eg.url}/;accesskey=${KEY}`, INSECURE)
  const poller = await email.beginSend({
    senderAddress: 'DoNotReply@notify.contoso.com',
    content: { subject: 'Welcome', plainText: 'Hello', html: '<a href="https://contoso.com/start">start</a>' },
    recipients: { to: [{ address: 'bob@example.org' }], cc: [{ address: 'carol@example.org' }] }
  }, { updateIntervalInMs: 10 })
  const result = await poller.pollUntilDone()
  t.equal(result.status, 'Succeeded')
  const got = events(await receiver.waitFor(2))
  t.same(got.map((e) => e.data.recipient).sort(), ['bob@example.org', 'carol@example.org'])
  for (const e of got) {
    t.equal(e.eventType, 'Microsoft.Communication.EmailDeliveryReportReceived')
    t.equal(e.data.messageId, result.id)
    t.equal(e.subject, `sender/DoNotReply@notify.contoso.com/message/${result.id}`)
    t.match(e.data, { sender: 'DoNotReply@notify.contoso.com', status: 'Delivered', deliveryStatusDetails: { statusMessage: 'No error.' } })
  }
})

t.test('Advanced Messaging: a template send is reported Sent, Delivered, then Read for its receipt id', async (t) => {
  const receiver = await startReceiver(t)
  const eg = await startTestEmulator(t, yaml(receiver.url))
  const client = MessagesClient(`endpoint=${eg.url}/;accesskey=${KEY}`, INSECURE)
  const res = await client.path('/messages/notifications:send').post({
    body: { channelRegistrationId: CHANNEL, to: ['+14255550123'], kind: 'template', template: { name: 'appointment_reminder', language: 'en_US' } }
  })
  if (isUnexpected(res)) throw new Error(JSON.stringify(res.body))
  t.equal(res.status, '202')
  const receipt = res.body.receipts[0]!
  t.equal(receipt.to, '+14255550123')
  const got = events(await receiver.waitFor(3))
  // Published in this order, a (scaled) second apart; Event Grid does not promise arrival order, so compare as a set.
  t.same(got.map((e) => e.data.status).sort(), ['Delivered', 'Read', 'Sent'])
  t.same(eg.outbox('acs')[0]!.events.map((e) => e.status), ['Sent', 'Delivered', 'Read'], 'the outbox lists them in publish order')
  for (const e of got) {
    t.equal(e.eventType, 'Microsoft.Communication.AdvancedMessageDeliveryStatusUpdated')
    t.match(e.data, { messageId: receipt.messageId, from: CHANNEL, to: '14255550123', channelType: 'whatsapp' })
    t.notOk('error' in e.data)
  }
  t.equal(got.find((e) => e.data.status === 'Sent')!.subject, `advancedMessage/${receipt.messageId}/status/Sent`)
  const text = await client.path('/messages/notifications:send').post({ body: { channelRegistrationId: CHANNEL, to: ['+14255550124'], kind: 'text', content: 'hi' } })
  t.equal(text.status, '202')
})

const FAILURES = `
    - { to: "+1425555*", channel: sms, status: Failed, details: "Carrier error: number unreachable (4004)" }
    - { to: "*@bounce.example.org", channel: email, status: Bounced }
    - { to: "+1999*", channel: whatsapp, status: Failed, details: "Recipient is not a WhatsApp user" }
    - { to: "*@engaged.example.org", channel: email, status: Delivered, engagement: [view, click] }`

t.test('configured outcomes: a carrier failure, an address bounce, a failed WhatsApp message, engagement events', async (t) => {
  const receiver = await startReceiver(t)
  const eg = await startTestEmulator(t, yaml(receiver.url, FAILURES))
  const conn = `endpoint=${eg.url}/;accesskey=${KEY}`
  const [failed] = await new SmsClient(conn, INSECURE).send({ from: '+18005550100', to: ['+14255550199'], message: 'hi' }, { enableDeliveryReport: true })
  t.equal(failed!.successful, true, 'the send itself is accepted; the failure comes as the report')
  const email = new EmailClient(conn, INSECURE)
  const bounce = await (await email.beginSend({ senderAddress: 'DoNotReply@notify.contoso.com', content: { subject: 's', plainText: 'p' }, recipients: { to: [{ address: 'nobody@bounce.example.org' }] } }, { updateIntervalInMs: 10 })).pollUntilDone()
  const engaged = await (await email.beginSend({ senderAddress: 'DoNotReply@notify.contoso.com', content: { subject: 's', html: '<a href="https://contoso.com/x">x</a>' }, recipients: { to: [{ address: 'amy@engaged.example.org' }] } }, { updateIntervalInMs: 10 })).pollUntilDone()
  const wa = await MessagesClient(conn, INSECURE).path('/messages/notifications:send').post({ body: { channelRegistrationId: CHANNEL, to: ['+19995550100'], kind: 'text', content: 'hi' } })
  if (isUnexpected(wa)) throw new Error(JSON.stringify(wa.body))
  const got = events(await receiver.waitFor(6))
  const sms = got.find((e) => e.eventType.endsWith('SMSDeliveryReportReceived'))!
  t.match(sms.data, { messageId: failed!.messageId, deliveryStatus: 'Failed', deliveryStatusDetails: 'Carrier error: number unreachable (4004)', deliveryAttempts: [{ segmentsSucceeded: 0, segmentsFailed: 1 }] })
  t.notOk('tag' in sms.data, 'no tag was sent, so the report has none')
  const bounced = got.find((e) => e.data.messageId === bounce.id)!
  t.match(bounced.data, { status: 'Bounced', recipient: 'nobody@bounce.example.org', deliveryStatusDetails: { statusMessage: /does not exist/ } })
  const engagement = got.filter((e) => e.eventType.endsWith('EmailEngagementTrackingReportReceived'))
  t.same(engagement.map((e) => [e.data.messageId, e.data.engagementType, e.data.engagementContext]).sort(), [[engaged.id, 'click', 'https://contoso.com/x'], [engaged.id, 'view', '']])
  const waFailed = got.find((e) => e.eventType.endsWith('AdvancedMessageDeliveryStatusUpdated'))!
  t.match(waFailed.data, { messageId: wa.body.receipts[0]!.messageId, status: 'Failed', error: { channelMessage: 'Recipient is not a WhatsApp user' } })
  t.equal(got.filter((e) => e.eventType.endsWith('AdvancedMessageDeliveryStatusUpdated')).length, 1, 'a failed WhatsApp message gets one Failed update, not Sent first')

  const outbox = await (await fetch(`${eg.url}/admin/acs/acs/outbox?channel=sms`)).json() as { value: Array<Record<string, any>> }
  t.equal(outbox.value.length, 1)
  t.match(outbox.value[0], { channel: 'sms', messageId: failed!.messageId, from: '+18005550100', to: '+14255550199', message: 'hi', state: 'Reported', outcome: { status: 'Failed', rule: 0 }, events: [{ id: sms.id, eventType: sms.eventType, status: 'Failed' }] })
})

t.test('a wrong access key is refused with 401 by every client, and nothing is sent', async (t) => {
  const receiver = await startReceiver(t)
  const eg = await startTestEmulator(t, yaml(receiver.url))
  const wrong = `endpoint=${eg.url}/;accesskey=${Buffer.from('not-the-key').toString('base64')}`
  const smsErr = await new SmsClient(wrong, INSECURE).send({ from: '+18005550100', to: ['+14255550123'], message: 'hi' }).catch((e: unknown) => e) as { statusCode?: number, code?: string, message: string }
  t.equal(smsErr.statusCode, 401)
  t.match(smsErr.message, /Denied by the resource provider/)
  const emailErr = await new EmailClient(wrong, INSECURE).beginSend({ senderAddress: 'a@contoso.com', content: { subject: 's', plainText: 'p' }, recipients: { to: [{ address: 'b@example.org' }] } }).catch((e: unknown) => e) as { statusCode?: number, code?: string }
  t.equal(emailErr.statusCode, 401)
  t.equal(emailErr.code, 'Denied')
  const wa = await MessagesClient(wrong, INSECURE).path('/messages/notifications:send').post({ body: { channelRegistrationId: CHANNEL, to: ['+14255550123'], kind: 'text', content: 'hi' } })
  t.equal(wa.status, '401')
  t.match(wa.body, { error: { code: 'Denied', message: /Denied by the resource provider/ } })
  const outbox = await (await fetch(`${eg.url}/admin/acs/acs/outbox`)).json() as { value: unknown[] }
  t.same(outbox.value, [])
})

t.test('without allowInsecureConnection the SDKs refuse a plain-http endpoint before sending', async (t) => {
  const eg = await startTestEmulator(t, yaml('http://127.0.0.1:9'))
  const err = await new SmsClient(`endpoint=${eg.url}/;accesskey=${KEY}`).send({ from: '+18005550100', to: ['+14255550123'], message: 'hi' }).catch((e: unknown) => e) as Error
  t.match(err.message, /allowInsecureConnection|insecure|https/i)
})
