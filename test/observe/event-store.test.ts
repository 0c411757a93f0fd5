/** The event store keeps each attempt's detail and shows it as a StoredAttempt when read. */
import t from 'tap'
import { EventStore, MAX_KEPT_BODY_CHARS } from '../../src/observe/event-store.js'
import type { AttemptDetail } from '../../src/delivery/engine.js'
import type { AcceptedEvent } from '../../src/domain/events.js'

const event = (id: string): AcceptedEvent => ({ inputSchema: 'EventGridSchema', id, type: 'T', publishTime: '2024-05-01T12:00:00.000Z', eventGrid: { id, subject: 's', eventType: 'T', eventTime: '2024-05-01T12:00:00Z', data: {}, dataVersion: '1' } })

const detail = (ids: string[], attempt: number, extra: Partial<AttemptDetail['result']> = {}): AttemptDetail => ({
  topic: 'orders',
  subscription: 'hook',
  eventIds: ids,
  attempt,
  startedAt: Date.UTC(2024, 4, 1, 12, 0, 1, 234),
  request: { method: 'POST', url: 'http://receiver.test/hook', headers: { 'aeg-delivery-count': String(attempt - 1) }, body: 'x'.repeat(MAX_KEPT_BODY_CHARS + 5) },
  result: { status: 500, headers: { 'content-type': 'text/plain' }, body: 'nope', durationMs: 12.345, ...extra }
})

t.test('an attempt reads as before: time, cut bodies, rounded duration, batch size; a batch shares one', async (t) => {
  const store = new EventStore()
  store.add('orders', [event('a'), event('b')])
  store.recordAttempt(detail(['a', 'b'], 1))
  store.recordAttempt(detail(['a'], 2, { status: undefined, error: 'TimedOut', errorMessage: 'no response', body: undefined }))
  const a = store.get('orders', 'a')!
  t.same(a.attempts[0], {
    subscription: 'hook',
    attempt: 1,
    time: '2024-05-01T12:00:01.234Z',
    request: { method: 'POST', url: 'http://receiver.test/hook', headers: { 'aeg-delivery-count': '0' }, body: 'x'.repeat(MAX_KEPT_BODY_CHARS), bodyTruncated: true },
    response: { status: 500, headers: { 'content-type': 'text/plain' }, body: 'nope', bodyTruncated: false },
    durationMs: 12.3,
    batchSize: 2
  })
  t.same(a.attempts[1]!.response, { error: 'TimedOut', errorMessage: 'no response', headers: { 'content-type': 'text/plain' }, body: '', bodyTruncated: false })
  const b = store.get('orders', 'b')!
  t.equal(b.attempts.length, 1)
  t.equal(b.attempts[0], a.attempts[0], 'the batch\'s events share one StoredAttempt')
  t.equal(store.get('orders', 'a')!.attempts[0], a.attempts[0], 'made once')
  t.same(store.list().map((e) => [e.id, e.attempts.length]), [['b', 1], ['a', 2]])
  t.equal(store.get('orders', 'c'), undefined)
})

t.test('at most maxAttemptsPerEvent attempts per event, the oldest forgotten', async (t) => {
  const store = new EventStore(10, 2)
  store.add('orders', [event('a')])
  for (let n = 1; n <= 3; n++) store.recordAttempt(detail(['a'], n))
  t.same(store.get('orders', 'a')!.attempts.map((x) => x.attempt), [2, 3])
})
