import { test } from 'node:test'
import assert from 'node:assert/strict'
import { startEmulator } from '../../src/index.js'

test('an order reaches the webhook', async () => {
  // port 0: any free port; timeScale 0.001: a 10 s retry delay takes 10 ms
  const eg = await startEmulator({ port: 0, timeScale: 0.001 })
  try {
    eg.publish('events', [{ id: '1', eventType: 'Orders.Created', subject: 'o/1', eventTime: new Date().toISOString(), data: {}, dataVersion: '1.0' }])
    // Resolves as soon as the delivery is logged (or was already); no sleeping.
    const [delivered] = await eg.waitForDeliveries((r) => r.eventIds.includes('1') && r.outcome === 'Delivered')
    assert.equal(delivered?.status, 200)
  } finally {
    await eg.close()
  }
})
