/** The attempt runner: the request it sends, in-flight counts, self-loop refusal, the observer, a throwing transport. */
import t from 'tap'
import { AttemptRunner, type AttemptRunnerOptions } from '../../../src/delivery/engine/attempt-runner.js'
import { OutcomeRecorder } from '../../../src/delivery/engine/outcome-recorder.js'
import type { AttemptDetail, PendingBatch } from '../../../src/delivery/engine/types.js'
import type { Transport, TransportResult } from '../../../src/delivery/ports.js'
import { ManualClock } from '../../helpers/manual-clock.js'
import { DeliveryLog, event, FakeTransport, outcomes, settle, subscription } from './fixtures.js'

function setup (transport: Transport, extra: Partial<AttemptRunnerOptions> = {}): { log: DeliveryLog, runner: AttemptRunner, settled: PendingBatch[], results: TransportResult[], freed: string[], seen: AttemptDetail[] } {
  const log = new DeliveryLog()
  const clock = new ManualClock()
  const settled: PendingBatch[] = []
  const results: TransportResult[] = []
  const freed: string[] = []
  const seen: AttemptDetail[] = []
  const runner = new AttemptRunner({
    clock,
    transport,
    recorder: new OutcomeRecorder({ clock, log }),
    timeoutMs: 30_000,
    baseUrl: () => 'http://127.0.0.1:4000',
    onAttempt: (a) => { seen.push(a) },
    settle: (b, _started, result) => { settled.push(b); results.push(result) },
    slotFree: (sub) => { freed.push(sub.name) },
    ...extra
  })
  return { log, runner, settled, results, freed, seen }
}

t.test('sends the batch, counts it in flight until answered, then settles it and frees the slot', async (t) => {
  const transport = new FakeTransport()
  const { runner, settled, freed, seen } = setup(transport)
  const sub = subscription()
  const batch: PendingBatch = { sub, events: [event('a')], attempts: 0 }
  const running = runner.run(batch)
  t.equal(runner.inFlight, 1)
  t.equal(sub.inFlight, 1)
  const idle = runner.idle()
  const request = transport.answerNext({ status: 200 })
  await running
  await idle
  t.match(request, { method: 'POST', url: 'http://receiver.test/hook', timeoutMs: 30_000, headers: { 'aeg-delivery-count': '0' } })
  t.same(JSON.parse(request.body!).map((e: { id: string }) => e.id), ['a'])
  t.equal(runner.inFlight, 0)
  t.equal(sub.inFlight, 0)
  t.match(settled, [{ attempts: 1, lastStatus: 200 }])
  t.same(freed, ['hook'])
  t.match(seen, [{ topic: 'orders', subscription: 'hook', eventIds: ['a'], attempt: 1, result: { status: 200 } }])
})

t.test('a path endpoint resolves against the base URL; one that loops into this emulator is dropped unsent', async (t) => {
  const transport = new FakeTransport()
  const { log, runner, settled } = setup(transport)
  t.equal(runner.resolveUrl('/sink/demo'), 'http://127.0.0.1:4000/sink/demo')
  await runner.run({ sub: subscription({}, 'http://localhost:4000/topics/orders/api/events'), events: [event('loop')], attempts: 0 })
  t.equal(transport.requests.length, 0)
  t.same(settled, [])
  t.match(log.query(), [{ outcome: 'Dropped', reason: /^endpoint .*loop/ }])
})

t.test('the self-loop verdict follows the emulator\'s own URLs as they change (a topic port opened later, a new base URL)', async (t) => {
  const transport = new FakeTransport()
  let own: readonly string[] = []
  let base = 'http://127.0.0.1:4000'
  const { log, runner } = setup(transport, { baseUrl: () => base, ownPortUrls: () => own })
  const endpoint = 'http://127.0.0.1:5000/api/events'
  const attempt = async (id: string): Promise<void> => {
    const running = runner.run({ sub: subscription({}, endpoint), events: [event(id)], attempts: 0 })
    for (const r of transport.requests.splice(0)) r.answer({ status: 200 })
    await running
  }
  await attempt('before')
  own = ['http://127.0.0.1:5000']
  await attempt('own-port')
  own = []
  await attempt('port-closed')
  base = 'http://127.0.0.1:5000'
  await attempt('new-base')
  t.same(log.query().filter((r) => r.outcome === 'Dropped').map((r) => r.eventIds[0]), ['own-port', 'new-base'])
  t.equal(transport.requests.length, 0)
})

t.test('a transport that throws counts as a socket error, not an escape', async (t) => {
  const transport: Transport = { send: async () => { throw new Error('kaput') }, close: async () => {}, destroy: async () => {} }
  const { runner, settled, results } = setup(transport)
  await runner.run({ sub: subscription(), events: [event('a')], attempts: 0 })
  t.match(settled, [{ lastError: 'SocketError' }])
  t.match(results, [{ error: 'SocketError', errorMessage: 'kaput' }])
})

t.test('a settle step that throws is recorded against the batch; a throwing observer changes nothing', async (t) => {
  const transport = new FakeTransport()
  const { log, runner, freed } = setup(transport, { settle: () => { throw new Error('settle broke') }, onAttempt: () => { throw new Error('observer broke') } })
  const running = runner.run({ sub: subscription(), events: [event('a')], attempts: 0 })
  transport.answerNext({ status: 200 })
  await running
  await settle()
  t.same(outcomes(log), ['Dropped:a'])
  t.match(log.query()[0]?.reason, 'internal error while recording the attempt: Error: settle broke')
  t.same(freed, ['hook'])
})

t.test('the self-loop verdict of an endpoint follows the emulator\'s own URLs as they change', async (t) => {
  const transport = new FakeTransport()
  let base = 'http://127.0.0.1:4000'
  let ports: string[] = []
  const { log, runner } = setup(transport, { baseUrl: () => base, ownPortUrls: () => ports })
  const endpoint = subscription({}, 'http://localhost:4001/topics/orders/api/events')
  let sent = 0
  const attempt = async (id: string): Promise<void> => {
    const running = runner.run({ sub: endpoint, events: [event(id)], attempts: 0 })
    if (runner.inFlight > 0) { sent++; transport.answerNext({ status: 200 }) }
    await running
  }
  await attempt('a')
  await attempt('b')
  t.equal(sent, 2, 'another port: sent (twice, the verdict remembered)')
  ports = ['http://127.0.0.1:4001']
  await attempt('c')
  t.equal(sent, 2, 'once a topic port listens there: a loop')
  ports = []
  base = 'http://localhost:4001'
  await attempt('d')
  t.equal(sent, 2, 'the base URL counts too')
  base = 'http://127.0.0.1:4000'
  await attempt('e')
  t.equal(sent, 3)
  t.same(log.query({ status: 'Dropped' }).map((r) => r.eventIds[0]), ['c', 'd'])
})
