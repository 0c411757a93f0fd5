/**
 * 100,000 events waiting for retry against a failing endpoint cost one heap entry each and one armed timer.
 * The failing webhook is stood in for at the Transport port (the outside world), so the test needs no 100k sockets.
 */
import t from 'tap'
import type { Transport } from '../../src/delivery/ports.js'
import { startTestEmulator } from '../helpers/build.js'
import { ManualClock } from '../helpers/manual-clock.js'

const failingWebhook: Transport = {
  send: async () => ({ status: 500, headers: {}, body: '', durationMs: 0 }),
  close: async () => {},
  destroy: async () => {}
}

t.test('100,000 pending retries stay bounded in memory and use a single timer', async (t) => {
  const clock = new ManualClock()
  const eg = await startTestEmulator(t, `
topics:
  orders:
    subscriptions:
      hook:
        validation: skip
        destination: { endpointType: WebHook, properties: { endpointUrl: "http://webhook.invalid/api" } }
`, { clock, transport: failingWebhook })
  const before = process.memoryUsage().heapUsed
  const total = 100_000
  for (let i = 0; i < total; i += 5000) {
    eg.publish('orders', Array.from({ length: 5000 }, (_, j) => ({
      id: `m-${i + j}`, subject: '/s', eventType: 'Load.Test', eventTime: '2024-05-01T12:00:00Z', data: { n: i + j }
    })))
  }
  while (eg.emulator.pendingRetries < total) await new Promise((resolve) => setImmediate(resolve))
  const after = process.memoryUsage().heapUsed
  const mb = (after - before) / 1024 / 1024
  t.comment(`heap growth with ${total} pending retries (incl. ${total} delivery-log records): ${mb.toFixed(1)} MB`)
  t.equal(eg.emulator.pendingRetries, total)
  t.ok(mb < 400, `heap growth ${mb.toFixed(1)} MB stays well under 400 MB`)
  t.equal(clock.nextDelay() !== undefined, true, 'a retry timer is armed')
  t.equal((clock as unknown as { timers: Map<number, unknown> }).timers.size, 1, 'exactly one timer for all pending retries')
})
