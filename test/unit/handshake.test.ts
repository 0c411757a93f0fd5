/** How the webhook's answers to the validation handshakes are judged (no sockets). */
import t from 'tap'
import { buildValidationEvent, judgeOptionsResponse, judgeValidationResponse, VALIDATION_EVENT_TYPE } from '../../src/domain/delivery-rules/handshake.js'

t.test('the SubscriptionValidationEvent carries the code and the URL, with an empty subject', async (t) => {
  const ev = buildValidationEvent({ id: 'i', topic: '/t', code: 'CODE', validationUrl: 'http://x/v?token=1', time: '2024-01-01T00:00:00Z' })
  t.same(ev, { id: 'i', topic: '/t', subject: '', data: { validationCode: 'CODE', validationUrl: 'http://x/v?token=1' }, eventType: VALIDATION_EVENT_TYPE, eventTime: '2024-01-01T00:00:00Z', metadataVersion: '1', dataVersion: '1' })
})

t.test('the validation POST: echo → Succeeded, wrong code or status → Failed, 200 without echo → manual', async (t) => {
  t.same(judgeValidationResponse(200, '{"validationResponse":"c"}', 'c'), { state: 'Succeeded' })
  t.same(judgeValidationResponse(200, '{"ValidationResponse":"c"}', 'c'), { state: 'Succeeded' }, 'the property name is case-insensitive')
  t.match(judgeValidationResponse(200, '{"validationResponse":"x"}', 'c'), { state: 'Failed', reason: /"x" does not equal the validationCode 'c'/ })
  t.match(judgeValidationResponse(201, '{"validationResponse":"c"}', 'c'), { state: 'Failed', reason: /HTTP 201; only 200 is accepted/ })
  t.match(judgeValidationResponse(undefined, undefined, 'c'), { state: 'Failed', reason: /did not answer/ })
  for (const body of ['', 'not json', '[]', 'null', '{"other":1}']) t.same(judgeValidationResponse(200, body, 'c'), { state: 'AwaitingManualAction' }, JSON.stringify(body))
})

t.test('the CloudEvents OPTIONS handshake: allowed origin, wildcard, other origin, no header, bad status', async (t) => {
  t.same(judgeOptionsResponse(200, 'eventgrid.azure.net'), { state: 'Succeeded' })
  t.same(judgeOptionsResponse(204, 'other.example, EventGrid.Azure.Net'), { state: 'Succeeded' }, 'a list, any case')
  t.same(judgeOptionsResponse(200, '*'), { state: 'Succeeded' })
  t.match(judgeOptionsResponse(200, 'other.example'), { state: 'Failed', reason: /does not allow eventgrid\.azure\.net/ })
  t.same(judgeOptionsResponse(200, undefined), { state: 'AwaitingManualAction' })
  t.match(judgeOptionsResponse(405, 'eventgrid.azure.net'), { state: 'Failed', reason: /HTTP 405/ })
  t.match(judgeOptionsResponse(undefined, undefined), { state: 'Failed', reason: /did not answer the OPTIONS/ })
})
