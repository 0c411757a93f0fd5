/** Every timestamp the emulator writes comes from its one clock: under a manual clock the sink agrees with the log. */
import t from 'tap'
import { egEvent, startTestEmulator } from '../helpers/build.js'
import { ManualClock } from '../helpers/manual-clock.js'

const YAML = `
topics:
  orders:
    subscriptions:
      demo:
        validation: skip
        destination: { endpointType: WebHook, properties: { endpointUrl: /sink/demo } }
`

t.test('sink receivedAt and delivery-log time are the emulator clock\'s time', async (t) => {
  const clock = new ManualClock(Date.parse('2030-01-02T03:04:05Z'))
  const eg = await startTestEmulator(t, YAML, { clock })
  eg.publish('orders', [egEvent({ id: 'timed' })])
  const [delivered] = await eg.waitForDeliveries((r) => r.eventIds.includes('timed') && r.outcome === 'Delivered')
  t.equal(delivered!.time, '2030-01-02T03:04:05.000Z')
  t.equal(eg.sink('demo').at(-1)?.receivedAt, '2030-01-02T03:04:05.000Z')
})
