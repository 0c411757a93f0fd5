/**
 * GET /admin/stream: one JSON object per publish and per delivery decision, filterable, over a real socket;
 * a slow viewer loses messages (counted) instead of slowing publishing.
 */
import t from 'tap'
import { request } from 'undici'
import { DeliveryLog } from '../../src/delivery/delivery-log.js'
import { StreamHub, type StreamSink } from '../../src/observe/stream-hub.js'
import { egEvent, startTestEmulator } from '../helpers/build.js'
import { openStream } from '../helpers/sse.js'

const yaml = `
topics:
  orders:
    subscriptions:
      all:
        validation: skip
        destination: { endpointType: WebHook, properties: { endpointUrl: /sink/all } }
      invoices-only:
        validation: skip
        destination: { endpointType: WebHook, properties: { endpointUrl: /sink/inv } }
        filter: { subjectBeginsWith: /invoices/ }
  other:
    subscriptions: {}
`

t.test('a viewer sees the publish, the delivery and the declined subscription with its explanation', async (t) => {
  const eg = await startTestEmulator(t, yaml)
  const stream = await openStream(eg.url)
  t.teardown(stream.close)
  t.equal(stream.status, 200)
  t.match(stream.headers['content-type'], 'text/event-stream')
  eg.publish('orders', [egEvent({ id: 'live-1', subject: '/orders/7' })])
  t.match(await stream.next((m) => m.kind === 'publish'), { kind: 'publish', topic: 'orders', eventId: 'live-1', eventType: 'Contoso.Orders.Created', subject: '/orders/7', time: String })
  t.match(await stream.next((m) => m.outcome === 'Delivered'), { kind: 'decision', topic: 'orders', subscription: 'all', eventIds: ['live-1'], eventType: 'Contoso.Orders.Created', subject: '/orders/7', status: 200, attempt: 1, durationMs: Number, seq: Number })
  t.match(await stream.next((m) => m.outcome === 'NotMatched'), { kind: 'decision', subscription: 'invoices-only', eventIds: ['live-1'], reason: /subjectBeginsWith/ })
})

t.test('filters: topic, subscription, eventType and outcome narrow what a viewer gets', async (t) => {
  const eg = await startTestEmulator(t, yaml)
  const delivered = await openStream(eg.url, '?topic=orders&subscription=all&outcome=Delivered')
  const typed = await openStream(eg.url, '?eventType=Wanted.Type')
  const otherTopic = await openStream(eg.url, '?topic=other')
  t.teardown(() => { delivered.close(); typed.close(); otherTopic.close() })
  eg.publish('orders', [egEvent({ id: 'f-1', eventType: 'Wanted.Type' }), egEvent({ id: 'f-2', eventType: 'Other.Type' })])
  await eg.waitForDeliveries((r) => r.outcome === 'Delivered' && r.subscription === 'all', 2)
  // Each viewer gets its frames in the order the hub saw them, so once a viewer has the last frame it wants, every
  // frame queued for it before has arrived too. "delivered": both Delivered decisions (publishes and NotMatched came first).
  await delivered.next((m) => (m.eventIds as string[]).includes('f-1'))
  await delivered.next((m) => (m.eventIds as string[]).includes('f-2'))
  await typed.next((m) => m.kind === 'publish' && m.eventId === 'f-1')
  await typed.next((m) => m.outcome === 'Delivered')
  await typed.next((m) => m.outcome === 'NotMatched')
  // A last publish that "typed" and "other" both want: after it, nothing of topic orders can still be on its way.
  eg.publish('other', [egEvent({ id: 'end', eventType: 'Wanted.Type' })])
  await typed.next((m) => m.eventId === 'end')
  await otherTopic.next((m) => m.eventId === 'end')
  t.ok(delivered.messages.every((m) => m.kind === 'decision' && m.outcome === 'Delivered' && m.subscription === 'all'), 'only Delivered decisions of "all"')
  t.same(delivered.messages.map((m) => m.eventIds).sort(), [['f-1'], ['f-2']])
  t.ok(typed.messages.length >= 4, 'publish, delivery and decline of Wanted.Type, then the last publish')
  t.ok(typed.messages.every((m) => m.eventType === 'Wanted.Type'), 'only Wanted.Type')
  t.same(otherTopic.messages.map((m) => `${String(m.topic)}:${String(m.eventId)}`), ['other:end'], 'nothing from topic orders')
})

t.test('bad stream queries are rejected naming the value and what is allowed', async (t) => {
  const eg = await startTestEmulator(t, yaml)
  const bad = await request(`${eg.url}/admin/stream?outcome=Delivered,Lost`)
  t.equal(bad.statusCode, 400)
  t.same(await bad.body.json(), { error: { code: 'BadRequest', message: "outcome 'Lost' is not known. Allowed values (comma-separated): Published, Delivered, Failed, DeadLettered, Dropped, NotMatched, Waiting.", details: [{ code: 'InvalidQueryParameter', message: "outcome 'Lost' is not known. Allowed values (comma-separated): Published, Delivered, Failed, DeadLettered, Dropped, NotMatched, Waiting." }] } })
  const unknown = await request(`${eg.url}/admin/stream?topics=orders`)
  t.equal(unknown.statusCode, 400)
  t.match(await unknown.body.json(), { error: { message: "Unknown query parameter 'topics'. Allowed: topic, subscription, eventType, outcome." } })
})

t.test('a viewer whose socket is full loses messages beyond its buffer, counted, and is told once it drains', async (t) => {
  const log = new DeliveryLog()
  const ticks: Array<() => void> = []
  const hub = new StreamHub({ log, onPublish: () => () => {} }, { maxPendingMessages: 3, defer: (fn) => { ticks.push(fn) } })
  const written: string[] = []
  const handlers: Record<string, () => void> = {}
  let full = true
  // The far end of a socket that stopped reading: write() says "full" until drained.
  const sink: StreamSink = { write: (chunk) => { written.push(chunk); return !full }, once: (event, fn) => { handlers[event] = fn } }
  hub.attach(sink, {})
  const add = (id: string): void => { log.add({ time: 't', topic: 'x', subscription: 's', eventIds: [id], outcome: 'Delivered' }) }
  add('a')
  ticks.shift()!()
  t.equal(written.length, 1, 'first flush written; the socket reports full')
  for (const id of ['b', 'c', 'd', 'e', 'f']) add(id)
  t.equal(hub.droppedTotal, 2, 'two messages beyond the 3-message buffer are dropped')
  full = false
  handlers.drain!()
  const frames = written.slice(1).join('').split('\n\n').filter((f) => f !== '').map((f) => JSON.parse(f.split('data: ')[1]!) as Record<string, unknown>)
  t.same(frames.map((f) => f.kind === 'dropped' ? `dropped:${String(f.count)}` : (f.eventIds as string[])[0]), ['b', 'c', 'd', 'dropped:2'])
  handlers.close!()
  t.equal(hub.viewerCount, 0)
  const scheduled = ticks.length
  add('g')
  t.equal(ticks.length, scheduled, 'with no viewer the hub does not even listen')
  t.equal(written.length, 2, 'nothing more written')
})

t.test('GET /admin/stats counts decisions per subscription and keeps the last declined event', async (t) => {
  const eg = await startTestEmulator(t, yaml)
  eg.publish('orders', [egEvent({ id: 's-1' }), egEvent({ id: 's-2' })])
  await eg.waitForDeliveries((r) => r.outcome === 'Delivered', 2)
  const stats = await (await request(`${eg.url}/admin/stats`)).body.json() as { subscriptions: Array<Record<string, unknown>>, sinks: unknown }
  t.match(stats.subscriptions.find((s) => s.name === 'all'), { topic: 'orders', provisioningState: 'Succeeded', counts: { Delivered: 2 } })
  t.match(stats.subscriptions.find((s) => s.name === 'invoices-only'), { counts: { NotMatched: 2 }, lastNotMatched: { eventIds: ['s-2'], reason: /subjectBeginsWith/ } })
  t.match(stats.sinks, [{ name: 'all', requests: 2 }])
})
