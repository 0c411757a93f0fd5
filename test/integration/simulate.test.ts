/** Synthetic ACS events over HTTP go through the same filter and delivery pipeline as published ones. */
import t from 'tap'
import { request } from 'undici'
import { startTestEmulator } from '../helpers/build.js'

const SOURCE = '/subscriptions/11111111-2222-3333-4444-555555555555/resourceGroups/rg/providers/Microsoft.Communication/communicationServices/contoso-acs'
const YAML = `
topics:
  acs:
    topicType: Microsoft.Communication.CommunicationServices
    source: ${SOURCE}
    subscriptions:
      sms-help:
        destination: { endpointType: WebHook, properties: { endpointUrl: /sink/sms } }
        filter:
          includedEventTypes: [Microsoft.Communication.SMSReceived]
          advancedFilters:
            - { operatorType: StringContains, key: data.message, values: [help] }
      chat:
        destination: { endpointType: WebHook, properties: { endpointUrl: /sink/chat } }
        eventDeliverySchema: CloudEventSchemaV1_0
        filter: { subjectBeginsWith: thread/ }
  orders:
    subscriptions: {}
`

async function simulate (url: string, body: unknown, query = ''): Promise<{ status: number, json: any }> {
  const res = await request(`${url}/topics/acs/simulate${query}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })
  return { status: res.statusCode, json: await res.body.json() }
}

t.test('POST /simulate returns the published events and delivers them through the filters', async (t) => {
  const eg = await startTestEmulator(t, YAML)
  const res = await simulate(eg.url, [
    { eventType: 'sms-received', data: { message: 'I need help' } },
    { eventType: 'Microsoft.Communication.SMSReceived', data: { message: 'hello' } },
    { eventType: 'chat-message-received' }
  ])
  t.equal(res.status, 200)
  const events = res.json.events as Array<{ id: string, topic: string, eventType: string, subject: string, data: { messageId?: string, to?: string, message?: string } }>
  t.equal(events.length, 3)
  t.equal(events[0]!.topic, '/subscriptions/11111111-2222-3333-4444-555555555555/resourcegroups/rg/providers/microsoft.communication/communicationservices/contoso-acs')
  t.equal(events[0]!.id, events[0]!.data.messageId, 'SMS event id is the messageId')
  t.equal(events[0]!.subject, `/phonenumber/${events[0]!.data.to!.replace('+', '')}`)
  await eg.waitForDeliveries((r) => r.outcome === 'Delivered', 2)
  const sms = eg.sink('sms').filter((r) => r.headers['aeg-event-type'] === 'Notification').flatMap((r) => r.body as Array<{ data: { message: string } }>)
  t.same(sms.map((e) => e.data.message), ['I need help'], 'only the SMS containing "help" passed the filter')
  const [chat] = eg.sink('chat').filter((r) => r.headers['aeg-event-type'] === 'Notification')
  t.match(chat!.body, { specversion: '1.0', type: 'Microsoft.Communication.ChatMessageReceived', source: events[0]!.topic })
  t.match(eg.deliveries({ eventId: events[1]!.id, subscription: 'sms-help' }), [{ outcome: 'NotMatched', reason: /StringContains data\.message/ }])
})

t.test('a single object and a sequence are accepted', async (t) => {
  const eg = await startTestEmulator(t, YAML)
  const one = await simulate(eg.url, { eventType: 'incoming-call' })
  t.equal(one.status, 200)
  t.equal(one.json.events.length, 1)
  const seq = await simulate(eg.url, { sequence: 'call-lifecycle' })
  t.equal(seq.status, 200)
  t.same(seq.json.events.map((e: { eventType: string }) => e.eventType.split('.').pop()), ['IncomingCall', 'CallStarted', 'CallParticipantAdded', 'CallEnded', 'RecordingFileStatusUpdated'])
})

t.test('bad simulate bodies get 400 with every problem named', async (t) => {
  const eg = await startTestEmulator(t, YAML)
  const res = await simulate(eg.url, [{ eventType: 'sms-recieved' }, { eventType: 'sms-received', data: { mesage: 'x' } }])
  t.equal(res.status, 400)
  t.equal(res.json.error.code, 'BadRequest')
  t.match(res.json.error.message, /\[0\]\.eventType: .*sms-recieved.*Did you mean 'sms-received'\?/)
  t.match(res.json.error.message, /\[1\]\.data\.mesage: .*Did you mean 'message'\?/)
  const allowed = await simulate(eg.url, [{ eventType: 'sms-received', data: { custom: 1 } }], '?allowUnknown=true')
  t.equal(allowed.status, 200)
  t.equal(allowed.json.events[0].data.custom, 1)
})

t.test('the 2020-preview profile per call', async (t) => {
  const eg = await startTestEmulator(t, YAML)
  const res = await simulate(eg.url, { eventType: 'sms-received' }, '?profile=2020-preview')
  t.equal(res.status, 200)
  t.ok('MessageId' in res.json.events[0].data, 'PascalCase SMS fields')
  const bad = await simulate(eg.url, { eventType: 'sms-received' }, '?profile=2019')
  t.equal(bad.status, 400)
  t.match(bad.json.error.message, /profile '2019' is not known/)
})

t.test('simulate on a custom topic or an unknown topic is refused', async (t) => {
  const eg = await startTestEmulator(t, YAML)
  const custom = await request(`${eg.url}/topics/orders/simulate`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"eventType":"sms-received"}' })
  t.equal(custom.statusCode, 400)
  t.match(await custom.body.json(), { error: { message: /not an ACS system topic/ } })
  const missing = await request(`${eg.url}/topics/nope/simulate`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })
  t.equal(missing.statusCode, 404)
  await missing.body.dump()
})

t.test('a filter naming an event type ACS does not have is a config error', async (t) => {
  const { parseConfig } = await import('../../src/config/load-config.js')
  t.throws(() => parseConfig(YAML.replace('[Microsoft.Communication.SMSReceived]', '[Microsoft.Communication.SmsRecieved]'), 'c.yaml', {}),
    { message: /c\.yaml:10:\d+ .*includedEventTypes.*SmsRecieved/ })
  t.throws(() => parseConfig(YAML.replace(SOURCE, '/subscriptions/x/providers/Microsoft.Web/sites/y'), 'c.yaml', {}),
    { message: /source: .* is not an ACS resource id/ })
})
