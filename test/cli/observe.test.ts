/**
 * The observing commands against a real emulator on port 0: tail, subscriptions, deliveries, dead-letters,
 * and emit --wait.
 */
import t from 'tap'
import { emit } from '../../src/cli/commands/emit.js'
import { deadLetters, deliveries, subscriptions } from '../../src/cli/commands/tables.js'
import { tail } from '../../src/cli/commands/tail.js'
import { runCli } from '../../src/cli/main.js'
import { startTestEmulator } from '../helpers/build.js'

function io (env: Record<string, string> = {}) {
  const out = { stdout: '', stderr: '' }
  return { out, io: { stdout: (s: string) => { out.stdout += s }, stderr: (s: string) => { out.stderr += s }, env } }
}

const ACS = `
delivery: { timeScale: 0.001 }
topics:
  acs:
    topicType: Microsoft.Communication.CommunicationServices
    source: /subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/local/providers/Microsoft.Communication/communicationServices/local-acs
    subscriptions:
      sms:
        # No handshake: tail --max 1 on sms must see the delivery, not a Waiting decision while it validates.
        validation: skip
        destination: { endpointType: WebHook, properties: { endpointUrl: /sink/sms } }
        filter: { includedEventTypes: [Microsoft.Communication.SMSReceived] }
      chat:
        destination: { endpointType: WebHook, properties: { endpointUrl: /sink/chat } }
        filter: { includedEventTypes: [Microsoft.Communication.ChatMessageReceived] }
      broken:
        validation: skip
        destination: { endpointType: WebHook, properties: { endpointUrl: /sink/broken } }
        retryPolicy: { maxDeliveryAttempts: 1 }
        deadLetterDestination: { endpointType: StorageBlob, properties: { blobContainerName: dlq } }
`

t.test('tail prints one readable line per publish and per decision; --json prints the objects', async (t) => {
  const eg = await startTestEmulator(t, ACS, { dataDir: t.testdir() })
  const text = io()
  const running = tail(['--url', eg.url, '--topic', 'acs', '--subscription', 'sms', '--max', '1'], text.io)
  const json = io()
  const runningJson = tail(['--url', eg.url, '--outcome', 'Published', '--json', '--max', '1'], json.io)
  // Both attached before anything happens (the stream does not replay the past).
  const { request } = await import('undici')
  for (let viewers = 0; viewers < 2;) {
    await new Promise((resolve) => setTimeout(resolve, 10))
    viewers = ((await (await request(`${eg.url}/admin/stats`)).body.json()) as { stream: { viewers: number } }).stream.viewers
  }
  eg.simulate('acs', { eventType: 'Microsoft.Communication.SMSReceived', id: 'tail-1', subject: 'phonenumber/15555550100' })
  t.equal(await running, 0, text.out.stderr)
  t.match(text.out.stdout, /^\d\d:\d\d:\d\d\.\d{3} {2}acs {2}Microsoft\.Communication\.SMSReceived phonenumber\/15555550100 {2}→ sms {2}Delivered {2}HTTP 200 {2}[\d.]+ ms {2}attempt 1 {2}id=tail-1\n$/)
  t.equal(await runningJson, 0, json.out.stderr)
  t.match(JSON.parse(json.out.stdout), { kind: 'publish', topic: 'acs', eventId: 'tail-1', eventType: 'Microsoft.Communication.SMSReceived' })
})

t.test('tail errors: a bad outcome (the API message, exit 2), an unreachable emulator (exit 1), a bad --max', async (t) => {
  const eg = await startTestEmulator(t, ACS, { dataDir: t.testdir() })
  const a = io()
  t.equal(await tail(['--url', eg.url, '--outcome', 'Lost'], a.io), 2)
  t.equal(a.out.stderr, "tail failed: HTTP 400: outcome 'Lost' is not known. Allowed values (comma-separated): Published, Delivered, Failed, DeadLettered, Dropped, NotMatched, Waiting.\n")
  const b = io()
  t.equal(await tail(['--url', 'http://127.0.0.1:1'], b.io), 1)
  t.match(b.out.stderr, /is the emulator running at http:\/\/127\.0\.0\.1:1\?/)
  const c = io()
  t.equal(await tail(['--max', '0'], c.io), 2)
  t.match(c.out.stderr, /^--max must be an integer >= 1, got '0'/)
})

t.test('emit --wait prints where each event went and why a subscription declined it', async (t) => {
  const eg = await startTestEmulator(t, ACS, { dataDir: t.testdir() })
  const a = io()
  t.equal(await emit(['sms-received', '--url', eg.url, '--set', 'id=w-1', '--wait'], a.io), 0, a.out.stderr)
  const summary = a.out.stdout.slice(a.out.stdout.indexOf('\nMicrosoft.Communication.SMSReceived w-1'))
  t.match(summary, /→ sms: Delivered \(HTTP 200, [\d.]+ ms, attempt 1\)/)
  t.match(summary, /✗ chat: not matched — .*includedEventTypes/)
  t.match(summary, /→ broken: Delivered/)
})

t.test('subscriptions, deliveries and dead-letters print tables, or JSON', async (t) => {
  const eg = await startTestEmulator(t, ACS, { dataDir: t.testdir() })
  eg.emulator.sink.script('broken', [500])
  eg.simulate('acs', { eventType: 'Microsoft.Communication.SMSReceived', id: 'tab-1' })
  await eg.waitForDeliveries((r) => r.outcome === 'DeadLettered')
  await eg.waitForDeliveries((r) => r.subscription === 'sms' && r.outcome === 'Delivered')
  const s = io()
  t.equal(await subscriptions(['--url', eg.url], s.io), 0, s.out.stderr)
  const lines = s.out.stdout.split('\n')
  t.match(lines[0], /^TOPIC {2}SUBSCRIPTION {2}STATE +DELIVERED {2}FAILED {2}DEADLETTERED {2}DROPPED {2}NOTMATCHED {2}WAITING {2}ENDPOINT$/)
  t.match(lines.find((l) => l.startsWith('acs    sms ')), /Succeeded +1 +0 +0 +0 +0 +0 +\/sink\/sms/)
  t.match(lines.find((l) => l.startsWith('acs    broken ')), /Succeeded +0 +1 +1 +0 +0 +0 +\/sink\/broken/)
  const sj = io()
  t.equal(await subscriptions(['--url', eg.url, '--json', '--topic', 'acs'], sj.io), 0)
  t.match(JSON.parse(sj.out.stdout), [{ topic: 'acs', name: 'sms', counts: { Delivered: 1 } }, { name: 'chat', counts: { NotMatched: 1 } }, { name: 'broken' }])
  const d = io()
  t.equal(await deliveries(['--url', eg.url, '--event-id', 'tab-1', '--subscription', 'broken'], d.io), 0, d.out.stderr)
  t.match(d.out.stdout, /^TIME +TOPIC +SUBSCRIPTION +EVENT +TYPE +OUTCOME +STATUS +MS +ATTEMPT +REASON\n.*acs +broken +tab-1 +Microsoft\.Communication\.SMSReceived +Failed +500 +[\d.]+ +1 +HTTP 500\n.*DeadLettered +MaxDeliveryAttemptsExceeded; written to dlq\//)
  const dl = io()
  t.equal(await deadLetters(['--url', eg.url], dl.io), 0, dl.out.stderr)
  t.match(dl.out.stdout, /^TIME +TOPIC +SUBSCRIPTION +REASON +EVENTS +FILE\n\S+ +acs +broken +MaxDeliveryAttemptsExceeded +tab-1 +dlq\/BROKEN\//)
  const empty = io()
  t.equal(await deliveries(['--url', eg.url, '--event-id', 'nothing'], empty.io), 0)
  t.equal(empty.out.stdout, 'No delivery records match.\n')
})

t.test('table commands: usage errors exit 2 naming the flag; API errors exit 1 with the message; wired into the CLI', async (t) => {
  const eg = await startTestEmulator(t, ACS, { dataDir: t.testdir() })
  const a = io()
  t.equal(await deliveries(['--url', eg.url, '--limit', 'x'], a.io), 2)
  t.equal(a.out.stderr, "--limit must be an integer >= 1, got 'x'\n")
  const b = io()
  t.equal(await subscriptions(['--bogus'], b.io), 2)
  t.match(b.out.stderr, /Unknown option '--bogus'/)
  const c = io()
  t.equal(await deadLetters(['--url', 'http://127.0.0.1:1'], c.io), 1)
  t.match(c.out.stderr, /^failed: .*is the emulator running at http:\/\/127\.0\.0\.1:1\?/)
  const d = io({ EVENTGRID_EMULATOR_URL: eg.url })
  t.equal(await runCli(['subscriptions', '--topic', 'acs'], d.io), 0, d.out.stderr)
  t.match(d.out.stdout, /acs +sms +Succeeded/)
  const h = io()
  t.equal(await runCli(['dead-letters', '--help'], h.io), 0)
  t.match(h.out.stdout, /^Usage: eventgrid-emulator dead-letters/)
})
