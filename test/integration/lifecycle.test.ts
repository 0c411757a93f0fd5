/** The emulator's lifecycle seen from the API: publish after close, close twice, start twice. */
import t from 'tap'
import { egEvent, startTestEmulator } from '../helpers/build.js'

const YAML = `
topics:
  orders:
    subscriptions:
      demo:
        destination: { endpointType: WebHook, properties: { endpointUrl: /sink/demo } }
`

t.test('publishing after close() gets a clear 503 error; a second close() waits for the first', async (t) => {
  const eg = await startTestEmulator(t, YAML)
  t.equal(eg.emulator.state, 'Running')
  const first = eg.close()
  t.equal(eg.emulator.state, 'Closing')
  let secondDone = false
  const second = eg.close().then(() => { secondDone = true })
  t.notOk(secondDone)
  await first
  await second
  t.equal(eg.emulator.state, 'Closed')
  t.throws(() => eg.publish('orders', [egEvent()]), { name: 'EmulatorError', statusCode: 503, code: 'ServiceUnavailable', message: 'The emulator is closed and accepts no more events.' })
})

t.test('the core cannot be started twice', async (t) => {
  const eg = await startTestEmulator(t, YAML)
  t.throws(() => { eg.emulator.start(eg.url) }, { name: 'LifecycleError', message: 'the emulator cannot go from Running to Running: it is already running' })
})
