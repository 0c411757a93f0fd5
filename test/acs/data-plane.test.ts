/**
 * The ACS data plane over HTTP (inject): signature checks, request validation with ACS's error bodies, which
 * topic a key selects, and the outbox. Report timing uses the manual clock, so nothing here sleeps.
 */
import t, { type Test } from 'tap'
import { createUndiciTransport } from '../../src/adapters/undici-transport.js'
import { composeEmulator } from '../../src/compose.js'
import type { Emulator } from '../../src/emulator.js'
import { defaultAcsAccessKey } from '../../src/domain/acs-messaging/index.js'
import { buildApp } from '../../src/server/build-app.js'
import { acsHeaders } from '../helpers/acs-sign.js'
import { config } from '../helpers/build.js'
import { ManualClock } from '../helpers/manual-clock.js'

const SOURCE = (name: string): string => `/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.Communication/communicationServices/${name}`
const KEY = Buffer.from('key-of-the-first-acs-resource').toString('base64')
const HOST = '127.0.0.1:4000'
const YAML = `
delivery: { timeScale: 0.5 }
acs:
  outcomes:
    - { to: "+1425555*", channel: sms, status: Failed, details: "Carrier error", delay: 10s }
topics:
  acs:
    topicType: Microsoft.Communication.CommunicationServices
    source: ${SOURCE('first')}
    acsAccessKey: ${KEY}
    acsSenders: ["+18005550100", "@notify.contoso.com", "be57b49d-5cd4-4f96-9a6b-4af41bc9fdfb"]
    subscriptions:
      received-only:
        destination: { endpointType: WebHook, properties: { endpointUrl: /sink/received } }
        filter: { includedEventTypes: [Microsoft.Communication.SMSReceived] }
  second:
    topicType: Microsoft.Communication.CommunicationServices
    source: ${SOURCE('second')}
  orders: {}
`

async function setup (t: Test, clock = new ManualClock()): Promise<{ app: ReturnType<typeof buildApp>, emulator: Emulator, clock: ManualClock, call: (method: 'GET' | 'POST', url: string, body?: unknown, key?: string, extra?: Record<string, string>) => Promise<{ status: number, json: any, headers: Record<string, unknown> }> }> {
  const emulator = composeEmulator(config(YAML), { clock, transport: createUndiciTransport() })
  const app = buildApp(emulator)
  await app.ready()
  t.teardown(async () => { await app.close(); await emulator.close(0) })
  const call = async (method: 'GET' | 'POST', url: string, body?: unknown, key = KEY, extra: Record<string, string> = {}): Promise<{ status: number, json: any, headers: Record<string, unknown> }> => {
    const text = body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body)
    const res = await app.inject({ method, url, headers: { ...acsHeaders({ method, url, host: HOST, body: text, key, date: new Date(clock.now()) }), ...extra }, ...(text !== undefined ? { payload: text } : {}) })
    return { status: res.statusCode, json: res.body === '' ? undefined : res.json(), headers: res.headers }
  }
  return { app, emulator, clock, call }
}

const SMS = { from: '+18005550100', smsRecipients: [{ to: '+14255550123' }], message: 'hi', smsSendOptions: { enableDeliveryReport: true } }
const SMS_URL = '/sms?api-version=2021-03-07'

t.test('signature problems are refused with 401 and ACS\'s Denied body', async (t) => {
  const { app, call, clock } = await setup(t)
  const unsigned = await app.inject({ method: 'POST', url: SMS_URL, headers: { 'content-type': 'application/json' }, payload: JSON.stringify(SMS) })
  t.equal(unsigned.statusCode, 401)
  t.same(unsigned.json(), { error: { code: 'Denied', message: 'Missing Authorization header: sign the request with HMAC-SHA256 (use the connection string endpoint=…;accesskey=… with an ACS SDK).' } })
  t.equal(unsigned.headers['x-ms-error-code'], 'Denied')

  const wrongKey = await call('POST', SMS_URL, SMS, Buffer.from('wrong').toString('base64'))
  t.equal(wrongKey.status, 401)
  t.match(wrongKey.json.error, { code: 'Denied', message: /^Denied by the resource provider: the signature matches no ACS topic's access key/ })

  const headers = acsHeaders({ method: 'POST', url: SMS_URL, host: HOST, body: JSON.stringify(SMS), key: KEY, date: new Date(clock.now()) })
  const tampered = await app.inject({ method: 'POST', url: SMS_URL, headers, payload: JSON.stringify({ ...SMS, message: 'changed' }) })
  t.equal(tampered.statusCode, 401)
  t.same(tampered.json(), { error: { code: 'Denied', message: 'Request \'x-ms-content-sha256\' differs from generated content hash.' } })

  const stale = await app.inject({ method: 'POST', url: SMS_URL, headers: acsHeaders({ method: 'POST', url: SMS_URL, host: HOST, body: JSON.stringify(SMS), key: KEY, date: new Date(clock.now() - 16 * 60_000) }), payload: JSON.stringify(SMS) })
  t.equal(stale.statusCode, 401)
  t.match(stale.json().error.message, /^The x-ms-date header '.*' is more than 15 minutes away from the server time/)

  const otherHost = await app.inject({ method: 'POST', url: SMS_URL, headers: { ...headers, host: 'localhost:4000' }, payload: JSON.stringify(SMS) })
  t.equal(otherHost.statusCode, 401, 'the host header is signed')

  const badScheme = await app.inject({ method: 'POST', url: SMS_URL, headers: { ...headers, authorization: 'Bearer abc' }, payload: JSON.stringify(SMS) })
  t.match(badScheme.json().error.message, /^Authorization header is not 'HMAC-SHA256 SignedHeaders=x-ms-date;host;x-ms-content-sha256&Signature=…' \(got 'Bearer abc'\)/)
})

t.test('the key that signed the request selects the ACS topic; the default key is derived from the topic name', async (t) => {
  const { call, emulator } = await setup(t)
  const res = await call('POST', SMS_URL, SMS, defaultAcsAccessKey('second'))
  t.equal(res.status, 202)
  t.equal(emulator.acs.list('second').length, 1)
  t.equal(emulator.acs.list('acs').length, 0)
  t.equal(emulator.acs.connectionString('second', 'http://127.0.0.1:4000'), `endpoint=http://127.0.0.1:4000/;accesskey=${defaultAcsAccessKey('second')}`)
})

t.test('api-version is required and must look like a date', async (t) => {
  const { call } = await setup(t)
  const missing = await call('POST', '/sms', SMS)
  t.equal(missing.status, 400)
  t.same(missing.json, { error: { code: 'MissingApiVersionParameter', message: 'The api-version query parameter (?api-version) is required for all requests.' } })
  const bad = await call('POST', '/sms?api-version=latest', SMS)
  t.same(bad.json, { error: { code: 'InvalidApiVersionParameter', message: 'The api-version \'latest\' is invalid: use a date like 2021-03-07 (optionally with -preview).' } })
})

t.test('SMS: bad requests get 400 naming the field; a malformed recipient fails only that recipient', async (t) => {
  const { call } = await setup(t)
  const cases: Array<[unknown, number, Record<string, string>]> = [
    [[1], 400, { code: 'BadRequest', message: 'The request body must be a JSON object { from, smsRecipients, message, smsSendOptions }, got [1].' }],
    [{ ...SMS, from: undefined }, 400, { code: 'BadRequest', message: '\'from\' is required: the sending phone number in E.164 format (like +18005550100), got nothing.', target: 'from' }],
    [{ ...SMS, from: '+1-800-555' }, 400, { code: 'BadRequest', message: '\'from\' "+1-800-555" is not a phone number in E.164 format (+ and up to 15 digits), a short code (5-6 digits) or an alphanumeric sender ID (up to 11 letters/digits).', target: 'from' }],
    [{ ...SMS, from: '+18005550199' }, 401, { code: 'Unauthorized', message: '\'from\' "+18005550199" is not a number of this Communication Services resource; its numbers (acsSenders): +18005550100, @notify.contoso.com, be57b49d-5cd4-4f96-9a6b-4af41bc9fdfb.', target: 'from' }],
    [{ ...SMS, message: 'x'.repeat(2049) }, 400, { code: 'BadRequest', message: '\'message\' is 2049 characters long; the maximum is 2048.', target: 'message' }],
    [{ ...SMS, smsRecipients: [] }, 400, { code: 'BadRequest', message: '\'smsRecipients\' must be a non-empty array of { to: \'+1…\' }, got [].', target: 'smsRecipients' }],
    [{ ...SMS, smsRecipients: Array.from({ length: 101 }, () => ({ to: '+14255550123' })) }, 400, { code: 'BadRequest', message: '\'smsRecipients\' has 101 entries; the maximum is 100.', target: 'smsRecipients' }],
    [{ ...SMS, smsSendOptions: { enableDeliveryReport: 'yes' } }, 400, { code: 'BadRequest', message: '\'smsSendOptions.enableDeliveryReport\' must be true or false, got "yes".', target: 'smsSendOptions.enableDeliveryReport' }],
  ]
  for (const [body, status, error] of cases) {
    const res = await call('POST', SMS_URL, body)
    t.equal(res.status, status, String(error.message))
    t.same(res.json, { error })
  }
  const notJson = await call('POST', SMS_URL, '{not json')
  t.equal(notJson.status, 400)
  t.match(notJson.json, { error: { code: 'BadRequest', message: /^The request body is not valid JSON: / } })
  const mixed = await call('POST', SMS_URL, { ...SMS, smsRecipients: [{ to: '+14255550123' }, { to: '4255550123' }] })
  t.equal(mixed.status, 202)
  t.match(mixed.json.value[0], { to: '+14255550123', httpStatusCode: 202, successful: true, messageId: /^Outgoing_/ })
  t.same(mixed.json.value[1], { to: '4255550123', httpStatusCode: 400, repeatabilityResult: 'accepted', successful: false, errorMessage: 'Invalid To phone number format: "4255550123" is not E.164 (+ and up to 15 digits).' })
})

t.test('Email: validation errors, a sender domain not linked, operation status and unknown operations', async (t) => {
  const { call } = await setup(t)
  const email = { senderAddress: 'DoNotReply@notify.contoso.com', content: { subject: 'Hi', plainText: 'x' }, recipients: { to: [{ address: 'bob@example.org' }] } }
  const url = '/emails:send?api-version=2025-09-01'
  const cases: Array<[unknown, number, Record<string, string>]> = [
    [{ ...email, senderAddress: 'nobody' }, 400, { code: 'InvalidSenderAddress', message: '\'senderAddress\' must be an email address such as DoNotReply@contoso.com, got "nobody".', target: 'senderAddress' }],
    [{ ...email, senderAddress: 'DoNotReply@other.com' }, 404, { code: 'DomainNotLinked', message: 'The specified sender domain has not been linked: "DoNotReply@other.com" is not among this resource\'s senders (acsSenders): +18005550100, @notify.contoso.com, be57b49d-5cd4-4f96-9a6b-4af41bc9fdfb.', target: 'senderAddress' }],
    [{ ...email, content: { subject: 'Hi' } }, 400, { code: 'BadRequest', message: '\'content\' needs \'plainText\', \'html\' or both.', target: 'content' }],
    [{ ...email, recipients: { to: [] } }, 400, { code: 'BadRequest', message: '\'recipients\' needs at least one address in to, cc or bcc.', target: 'recipients' }],
    [{ ...email, recipients: { to: [{ address: 'bob' }] } }, 400, { code: 'InvalidRecipientAddress', message: '\'recipients.to[0].address\' must be an email address, got "bob".', target: 'recipients.to[0].address' }],
    [{ ...email, recipients: { bcc: Array.from({ length: 51 }, (_, i) => ({ address: `u${i}@example.org` })) } }, 400, { code: 'BadRequest', message: 'The email has 51 recipients (to + cc + bcc); the maximum is 50.', target: 'recipients' }],
    [{ ...email, attachments: [{ name: 'a.txt', contentType: 'text/plain', contentInBase64: 'not base64!' }] }, 400, { code: 'BadRequest', message: '\'attachments[0].contentInBase64\' is not base64.', target: 'attachments[0].contentInBase64' }]
  ]
  for (const [body, status, error] of cases) {
    const res = await call('POST', url, body)
    t.equal(res.status, status, String(error.message))
    t.same(res.json, { error })
  }
  const sent = await call('POST', url, email, KEY, { 'operation-id': '3c7a3c1e-0000-4000-8000-000000000001' })
  t.equal(sent.status, 202)
  t.same(sent.json, { id: '3c7a3c1e-0000-4000-8000-000000000001', status: 'Running' })
  t.equal(sent.headers['operation-location'], `http://${HOST}/emails/operations/3c7a3c1e-0000-4000-8000-000000000001?api-version=2025-09-01`)
  const again = await call('POST', url, email, KEY, { 'operation-id': '3c7a3c1e-0000-4000-8000-000000000001' })
  t.equal(again.status, 409)
  const status = await call('GET', '/emails/operations/3c7a3c1e-0000-4000-8000-000000000001?api-version=2025-09-01')
  t.same(status.json, { id: '3c7a3c1e-0000-4000-8000-000000000001', status: 'Succeeded' })
  const unknown = await call('GET', '/emails/operations/nope?api-version=2025-09-01')
  t.equal(unknown.status, 404)
  t.same(unknown.json, { error: { code: 'NotFound', message: 'No email operation \'nope\' on this resource (ACS topic \'acs\'): the id is the one POST /emails:send returned.' } })
  const otherTopic = await call('GET', '/emails/operations/3c7a3c1e-0000-4000-8000-000000000001?api-version=2025-09-01', undefined, defaultAcsAccessKey('second'))
  t.equal(otherTopic.status, 404, 'an operation belongs to the resource that started it')
})

t.test('Advanced Messaging: validation errors per kind', async (t) => {
  const { call } = await setup(t)
  const url = '/messages/notifications:send?api-version=2024-08-30'
  const base = { channelRegistrationId: 'be57b49d-5cd4-4f96-9a6b-4af41bc9fdfb', to: ['+14255550123'] }
  const cases: Array<[unknown, number, Record<string, string>]> = [
    [{ ...base, channelRegistrationId: 'x', kind: 'text', content: 'hi' }, 400, { code: 'BadRequest', message: '\'channelRegistrationId\' must be the GUID of a WhatsApp channel registration, got "x".', target: 'channelRegistrationId' }],
    [{ ...base, channelRegistrationId: '00000000-0000-0000-0000-000000000001', kind: 'text', content: 'hi' }, 404, { code: 'NotFound', message: 'Channel registration 00000000-0000-0000-0000-000000000001 is not connected to this Communication Services resource; its channels (acsSenders): +18005550100, @notify.contoso.com, be57b49d-5cd4-4f96-9a6b-4af41bc9fdfb.', target: 'channelRegistrationId' }],
    [{ ...base, to: ['hello'], kind: 'text', content: 'hi' }, 400, { code: 'BadRequest', message: '\'to[0]\' must be a phone number in E.164 format (like +14255550123), got "hello".', target: 'to[0]' }],
    [{ ...base, kind: 'sticker' }, 400, { code: 'BadRequest', message: '\'kind\' must be one of text, template, image, image_v0, document, video, audio, got "sticker".', target: 'kind' }],
    [{ ...base, kind: 'text' }, 400, { code: 'BadRequest', message: '\'content\' is required for kind text (a non-empty string), got nothing.', target: 'content' }],
    [{ ...base, kind: 'template', template: { name: 'x', language: 'English' } }, 400, { code: 'BadRequest', message: '\'template.language\' must be a language code such as en or en_US, got "English".', target: 'template.language' }],
    [{ ...base, kind: 'image', mediaUri: 'ftp://x' }, 400, { code: 'BadRequest', message: '\'mediaUri\' is required for kind image (an http(s) URL), got "ftp://x".', target: 'mediaUri' }]
  ]
  for (const [body, status, error] of cases) {
    const res = await call('POST', url, body)
    t.equal(res.status, status, String(error.message))
    t.same(res.json, { error })
  }
  const ok = await call('POST', url, { ...base, kind: 'image', mediaUri: 'https://contoso.com/a.png', caption: 'look' }, KEY, { 'repeatability-request-id': 'r1' })
  t.equal(ok.status, 202)
  t.equal(ok.headers['repeatability-result'], 'accepted')
})

t.test('reports wait for the rule\'s delay × timeScale on the emulator clock, then go through the publish pipeline', async (t) => {
  const { call, emulator, clock } = await setup(t)
  const res = await call('POST', SMS_URL, { ...SMS, smsRecipients: [{ to: '+14255550123' }, { to: '+12065550100' }] })
  const [failing, ok] = res.json.value as Array<{ messageId: string }>
  t.same(emulator.acs.list('acs').map((e) => e.state), ['Pending', 'Pending'])
  clock.advance(499)
  t.same(emulator.acs.list('acs').map((e) => e.events.length), [0, 0], 'default delay 1 s × timeScale 0.5 = 500 ms not reached')
  clock.advance(1)
  const [first, second] = emulator.acs.list('acs')
  t.equal(second!.messageId, ok!.messageId)
  t.match(second, { state: 'Reported', outcome: { status: 'Delivered', delayMs: 1000 }, events: [{ status: 'Delivered' }] })
  t.equal(first!.state, 'Pending', 'the rule delays the failing recipient 10 s × 0.5')
  clock.advance(4500)
  t.match(first, { messageId: failing!.messageId, state: 'Reported', outcome: { status: 'Failed', details: 'Carrier error', rule: 0 }, events: [{ status: 'Failed' }] })
  t.match(emulator.deliveryLog.query({ eventId: second!.events[0]!.id }), [{ subscription: 'received-only', outcome: 'NotMatched' }], 'the report went through the subscription filters')
})

t.test('reset forgets the outbox and records pending reports as dropped; without enableDeliveryReport nothing is reported', async (t) => {
  const { call, emulator, clock } = await setup(t)
  await call('POST', SMS_URL, SMS)
  const [entry] = emulator.acs.list('acs')
  emulator.reset()
  t.equal(entry!.state, 'Dropped')
  t.equal(entry!.dropped, 'the emulator was reset before the report was due')
  t.same(emulator.acs.list('acs'), [])
  clock.advance(60_000)
  t.same(entry!.events, [], 'the cancelled report never fires')
  await call('POST', SMS_URL, { ...SMS, smsSendOptions: { enableDeliveryReport: false } })
  t.match(emulator.acs.list('acs'), [{ state: 'NoReport', enableDeliveryReport: false, events: [] }])
})

t.test('admin: outbox errors, outcome overrides with exact problems', async (t) => {
  const { app, emulator } = await setup(t)
  const get = async (url: string): Promise<{ status: number, json: any }> => { const r = await app.inject({ method: 'GET', url }); return { status: r.statusCode, json: r.json() } }
  t.match((await get('/admin/acs/nope/outbox')), { status: 404, json: { error: { code: 'NotFound', message: /Topic 'nope' is not configured/ } } })
  t.same((await get('/admin/acs/orders/outbox')).json.error.message, 'Topic \'orders\' is not an ACS system topic, so it has no outbox. ACS topics: acs, second.')
  t.same((await get('/admin/acs/acs/outbox?channel=fax')).json.error.message, 'channel \'fax\' is not known. Allowed values: sms, email, whatsapp.')
  t.match((await get('/admin/acs')).json.value, [{ topic: 'acs', connectionString: `endpoint=http://127.0.0.1/;accesskey=${KEY}`, senders: ['+18005550100', '@notify.contoso.com', 'be57b49d-5cd4-4f96-9a6b-4af41bc9fdfb'] }, { topic: 'second', senders: null }])

  const put = await app.inject({ method: 'PUT', url: '/admin/acs/outcomes', payload: { rules: [{ to: '+1*', channel: 'sms', status: 'Bounced' }, { to: '*', status: 'Read' }, { to: 'x', status: 'Delivered', delay: 'soon', engagement: ['view'] }, { status: 'Failed' }] } })
  t.equal(put.statusCode, 400)
  t.equal(put.json().error.message, 'Invalid outcome rules:\nrules[3]: missing required key \'to\'')
  const put2 = await app.inject({ method: 'PUT', url: '/admin/acs/outcomes', payload: { rules: [{ to: '+1*', channel: 'sms', status: 'Bounced' }, { to: '*', status: 'Read' }, { to: 'x', status: 'Delivered', delay: 'soon', engagement: ['view'] }] } })
  t.equal(put2.json().error.message, [
    'Invalid outcome rules:',
    'rules[0].status: status \'Bounced\' is not valid for channel sms; allowed: Delivered, Failed',
    'rules[1].status: status \'Read\' is not valid for a rule without channel (it applies to sms, email and whatsapp); allowed: Delivered, Failed',
    'rules[2].delay: delay "soon" is not a duration; use e.g. 500ms, 2s, 1m or a number of milliseconds',
    'rules[2].engagement: engagement events exist for email only: add \'channel: email\' to this rule'
  ].join('\n'))
  const ok = await app.inject({ method: 'PUT', url: '/admin/acs/outcomes', payload: { rules: [{ to: '*', status: 'Failed' }] } })
  t.equal(ok.statusCode, 200)
  t.same(emulator.acs.rules.map((r) => r.to), ['*', '+1425555*'], 'overrides come before the config rules')
  t.equal((await app.inject({ method: 'DELETE', url: '/admin/acs/outcomes' })).statusCode, 204)
  t.same(emulator.acs.overrideRules, [])
})

t.test('sizes: an email over 10 MB (attachments included) is 413; any other body over 1 MB too', async (t) => {
  const { call } = await setup(t)
  const big = Buffer.alloc(8 * 1024 * 1024).toString('base64') // ~10.7 MB once base64-encoded
  const email = { senderAddress: 'DoNotReply@notify.contoso.com', content: { subject: 'Hi', plainText: 'x' }, recipients: { to: [{ address: 'bob@example.org' }] }, attachments: [{ name: 'a.bin', contentType: 'application/octet-stream', contentInBase64: big }] }
  const res = await call('POST', '/emails:send?api-version=2025-09-01', email)
  t.equal(res.status, 413)
  t.match(res.json, { error: { code: 'RequestEntityTooLarge', message: /^The email request is \d+ bytes; the maximum is 10485760 \(10 MB\), attachments included\.$/ } })
  const sms = await call('POST', SMS_URL, { ...SMS, message: 'x'.repeat(1024 * 1024) })
  t.equal(sms.status, 413)
  t.same(sms.json, { error: { code: 'RequestEntityTooLarge', message: 'The request body is larger than the 1048576 bytes this API accepts.' } })
})
