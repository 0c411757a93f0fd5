import assert from 'node:assert/strict'
import { startEmulator } from '../../src/index.js'

// random: () => 0 removes the retry jitter; timeScale 0.001 turns the 10 s and 30 s retry delays into 10 and 30 ms.
const eg = await startEmulator({ port: 0, timeScale: 0.001, random: () => 0 })
try {
  // The built-in sink answers the next two notifications with 500, then 200 again.
  await fetch(`${eg.url}/sink/default/responses`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ statuses: [500, 500] }) })
  eg.publish('events', [{ id: '7', eventType: 'Orders.Created', subject: 'o/7', eventTime: new Date().toISOString(), data: {}, dataVersion: '1.0' }])
  const attempts = await eg.waitForDeliveries((r) => r.eventIds.includes('7') && r.attempt !== undefined, 3)
  assert.deepEqual(attempts.map((r) => [r.attempt, r.status, r.outcome]), [[1, 500, 'Failed'], [2, 500, 'Failed'], [3, 200, 'Delivered']])
} finally {
  await eg.close()
}
