/** `scenario run --url`: the same samples against an emulator running on its own, through its HTTP API only. */
import t from 'tap'
import { request } from 'undici'
import { start } from '../../samples/sms-bot/receiver.js'
import { startTestEmulator } from '../helpers/build.js'
import { scenarioRun } from './run-cli.js'

async function subscriptionsOf (url: string, topic: string): Promise<string[]> {
  const res = await request(`${url}/admin/topics/${topic}/subscriptions`)
  return ((await res.body.json()) as { value: Array<{ name: string }> }).value.map((s) => s.name)
}

t.test('the SMS bot samples pass against a running emulator, which is left as it was', async (t) => {
  const eg = await startTestEmulator(t, undefined, { timeScale: 0.001, dataDir: t.testdir() })
  const bot = await start(0)
  t.teardown(bot.close)
  const { code, out } = await scenarioRun(['samples/sms-bot/scenario.yaml', 'samples/sms-bot/flaky.yaml', '--url', eg.url, '--time-scale', '0.001'], { RECEIVER_URL: bot.url })
  if (code !== 0) t.comment(out)
  t.equal(code, 0)
  t.match(out, /2 scenarios: 2 passed, 0 failed/)
  t.same(bot.outbox, [{ to: '+14255550123', message: 'You are unsubscribed. Reply START to subscribe again.' }], 'the real bot did its work')
  t.same(await subscriptionsOf(eg.url, 'acs'), ['acs-to-sink'], 'the subscriptions the scenarios added are deleted')
})

t.test('what a running emulator cannot do is reported at the scenario line that asks for it', async (t) => {
  const eg = await startTestEmulator(t, undefined, { dataDir: t.testdir() })
  const dir = t.testdir({
    'schema.yaml': 'name: schema\ntopics:\n  events:\n    inputSchema: CloudEventSchemaV1_0\nsteps:\n  - wait: 1ms\n',
    'rejected.yaml': `name: rejected
topics:
  acs:
    subscriptions:
      calls:
        destination: { endpointType: WebHook, properties: { endpointUrl: /sink/calls } }
        filter: { includedEventTypes: [Microsoft.Communication.CallStarted, Contoso.Made.Up] }
steps:
  - wait: 1ms
`
  })
  const { code, out } = await scenarioRun(['samples/cloudevents-receiver/scenario.yaml', `${dir}/schema.yaml`, `${dir}/rejected.yaml`, '--url', eg.url])
  t.equal(code, 1)
  t.match(out, /samples\/cloudevents-receiver\/scenario\.yaml:19:3 the scenario declares topic 'orders', which the emulator at http:\/\/127\.0\.0\.1:\d+ does not have \(it has: acs, events\)\. A running emulator can add subscriptions .* but not topics/)
  t.match(out, /schema\.yaml:3:3 topic 'events' on the emulator at .* has inputSchema EventGridSchema, but the scenario declares CloudEventSchemaV1_0/)
  t.match(out, /rejected\.yaml:5:7 subscription 'calls' of topic 'acs' was rejected: filter\.includedEventTypes\[1\]: unknown event type 'Contoso\.Made\.Up'/)
  t.same(await subscriptionsOf(eg.url, 'acs'), ['acs-to-sink'])
})

t.test('an emulator that is not running is named', async (t) => {
  const dir = t.testdir({ 's.yaml': 'name: s\nsteps:\n  - wait: 1ms\n' })
  const { code, out } = await scenarioRun([`${dir}/s.yaml`, '--url', 'http://127.0.0.1:1'])
  t.equal(code, 1)
  t.match(out, /is the emulator running at http:\/\/127\.0\.0\.1:1\? start it with 'eventgrid-emulator serve'/)
})
