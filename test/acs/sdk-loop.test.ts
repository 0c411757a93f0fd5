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
const MessagesClient = ((createMessagesClient as unknown as { default?: typeof createMessagesClient }).default ?? createMessagesClient)
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
  const sms = new SmsClient(`endpoint=${eg.url}/;accesskey=${KEY}`, INSECURE)
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
  t.same(got.map((e) => e.data.status), ['Sent', 'Delivered', 'Read'])
  for (const e of got) {
    t.equal(e.eventType, 'Microsoft.Communication.AdvancedMessageDeliveryStatusUpdated')
    t.match(e.data, { messageId: receipt.messageId, from: CHANNEL, to: '14255550123', channelType: 'whatsapp' })
    t.notOk('error' in e.data)
  }
  t.equal(got[0]!.subject, `advancedMessage/${receipt.messageId}/status/Sent`)
  const text = await client.path('/messages/notifications:send').post({ body: { channelRegistrationId: CHANNEL, to: ['+14255550124'], kind: 'text', content: 'hi' } })
  t.equal(text.status, '202')
})
