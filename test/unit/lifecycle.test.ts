/** The lifecycle state machine: legal transitions, the errors for illegal ones, and close() run once. */
import t from 'tap'
import { Lifecycle, LifecycleError } from '../../src/lifecycle.js'

t.test('Starting → Running → Closing → Closed; events accepted until closing begins', async (t) => {
  const life = new Lifecycle()
  t.equal(life.state, 'Starting')
  t.doesNotThrow(() => { life.assertAccepting() }, 'accepts while starting (an app built for inject never listens)')
  life.started()
  t.equal(life.state, 'Running')
  t.ok(life.running)
  let release: (() => void) | undefined
  const closing = life.close(async () => { await new Promise<void>((resolve) => { release = resolve }); return 'summary' })
  t.equal(life.state, 'Closing')
  t.throws(() => { life.assertAccepting() }, { code: 'ServiceUnavailable', statusCode: 503, message: /shutting down/ })
  release!()
  t.equal(await closing, 'summary')
  t.equal(life.state, 'Closed')
  t.throws(() => { life.assertAccepting() }, { statusCode: 503, message: 'The emulator is closed and accepts no more events.' })
})

t.test('a second close() waits for the first and gets its result; the shutdown runs once', async (t) => {
  const life = new Lifecycle()
  let runs = 0
  let release: (() => void) | undefined
  const first = life.close(async () => { runs++; await new Promise<void>((resolve) => { release = resolve }); return runs })
  let secondDone = false
  const second = life.close(async () => { runs++; return -1 }).then((v) => { secondDone = true; return v })
  await new Promise((resolve) => setImmediate(resolve))
  t.notOk(secondDone, 'the second call is still waiting')
  release!()
  t.same(await Promise.all([first, second]), [1, 1])
  t.equal(runs, 1)
  t.equal(await life.close(async () => 99), 1, 'after Closed too')
})

t.test('illegal transitions name the states', async (t) => {
  const life = new Lifecycle('the emulator')
  life.started()
  t.throws(() => { life.started() }, new LifecycleError('Running', 'Running', 'the emulator'))
  t.throws(() => { life.started() }, { message: 'the emulator cannot go from Running to Running: it is already running' })
  await life.close(async () => {})
  t.throws(() => { life.started() }, { name: 'LifecycleError', message: 'the emulator cannot go from Closed to Running: it was closed; start a new one' })
})

t.test('a failing shutdown still ends Closed, and every caller sees the failure', async (t) => {
  const life = new Lifecycle()
  const first = life.close(async () => { throw new Error('disk gone') })
  await t.rejects(first, { message: 'disk gone' })
  await t.rejects(life.close(async () => {}), { message: 'disk gone' })
  t.equal(life.state, 'Closed')
})
