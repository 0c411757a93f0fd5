import t from 'tap'
import { emit, parseAssignment } from '../../src/cli/commands/emit.js'
import { startTestEmulator } from '../helpers/build.js'

function io () {
  const out = { stdout: '', stderr: '' }
  return { out, io: { stdout: (s: string) => { out.stdout += s }, stderr: (s: string) => { out.stderr += s }, env: {} } }
}

t.test('emit sends events to a running emulator and prints them', async (t) => {
  const eg = await startTestEmulator(t, undefined)
  const { out, io: cli } = io()
  const code = await emit(['sms-received', '--url', eg.url, '--set', 'data.message=hi there', '--set', 'data.segmentCount:=2', '--count', '2'], cli)
  t.equal(code, 0, out.stderr)
  const printed = JSON.parse(out.stdout) as Array<{ eventType: string, data: { message: string, segmentCount: number } }>
  t.equal(printed.length, 2)
  t.match(printed[0], { eventType: 'Microsoft.Communication.SMSReceived', data: { message: 'hi there', segmentCount: 2 } })
  await eg.waitForDeliveries((r) => r.topic === 'acs' && r.outcome === 'Delivered', 2)
  t.equal(eg.sink('default').filter((r) => r.headers['aeg-event-type'] === 'Notification').length, 2)
})

t.test('emit --data @file and a sequence', async (t) => {
  const eg = await startTestEmulator(t, undefined)
  const dir = t.testdir({ 'o.json': JSON.stringify({ message: 'from file' }) })
  const a = io()
  t.equal(await emit(['sms-received', '--url', eg.url, '--data', `@${dir}/o.json`, '--topic', 'acs'], a.io), 0, a.out.stderr)
  t.match(JSON.parse(a.out.stdout), [{ data: { message: 'from file' } }])
  const b = io()
  t.equal(await emit(['sms-conversation', '--url', eg.url], b.io), 0, b.out.stderr)
  t.equal(JSON.parse(b.out.stdout).length, 2)
})

t.test('emit errors: unknown type, bad --set, bad --count, unreachable emulator', async (t) => {
  const eg = await startTestEmulator(t, undefined)
  const a = io()
  t.equal(await emit(['sms-recieved', '--url', eg.url], a.io), 1)
  t.match(a.out.stderr, /HTTP 400: .*Did you mean 'sms-received'\?/)
  const b = io()
  t.equal(await emit(['sms-received', '--url', eg.url, '--set', 'nonsense'], b.io), 2)
  t.match(b.out.stderr, /expected PATH=VALUE/)
  const c = io()
  t.equal(await emit(['sms-received', '--url', eg.url, '--count', '0'], c.io), 2)
  t.match(c.out.stderr, /--count must be an integer >= 1 and <= 5000, got '0'/)
  const d = io()
  t.equal(await emit(['sms-received', '--url', 'http://127.0.0.1:1'], d.io), 1)
  t.match(d.out.stderr, /emit failed: .*is the emulator running/)
  const e = io()
  t.equal(await emit([], e.io), 2)
  t.match(e.out.stderr, /exactly one event type/)
  const f = io()
  t.equal(await emit(['sms-received', '--url', eg.url, '--data', '[1]'], f.io), 2)
  t.match(f.out.stderr, /--data must be a JSON object/)
})

t.test('parseAssignment: strings by default, JSON with :=', async (t) => {
  t.same(parseAssignment('data.to=+14255550123'), { path: ['data', 'to'], value: '+14255550123' })
  t.same(parseAssignment('data.n:=5'), { path: ['data', 'n'], value: 5 })
  t.same(parseAssignment('data.x=a=b'), { path: ['data', 'x'], value: 'a=b' })
  t.throws(() => parseAssignment('data.n:=oops'), { message: /must be JSON/ })
})

t.test('a number sent with PATH=VALUE is refused with a hint to write PATH:=JSON', async (t) => {
  const eg = await startTestEmulator(t, undefined)
  const a = io()
  t.equal(await emit(['sms-received', '--url', eg.url, '--set', 'data.segmentCount=2', '--set', 'data.message=hi'], a.io), 1)
  t.match(a.out.stderr, /HTTP 400: .*segmentCount.*must be an integer, got/)
  t.match(a.out.stderr, /hint: PATH=VALUE always sets a string; for a number, boolean, object or array write --set data\.segmentCount:=2\n/)
  t.notMatch(a.out.stderr, /data\.message:=/, 'no hint for fields that are strings')
})
