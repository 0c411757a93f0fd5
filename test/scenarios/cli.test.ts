/** `eventgrid-emulator scenario run` options: usage errors, --bail, --config. */
import t from 'tap'
import { scenarioRun } from './run-cli.js'

const PASS = 'name: passes\nsteps:\n  - wait: 1ms\n'
const FAIL = 'name: fails\nsteps:\n  - expect: { sink: nobody, within: 10ms }\n'

t.test('usage errors exit 2 with the usage', async (t) => {
  for (const [args, message] of [
    [[], /scenario run needs at least one scenario FILE/],
    [['a.yaml', '--url', 'http://x', '--config', 'c.yaml'], /give either --url .* or --config .*, not both/],
    [['a.yaml', '--time-scale', 'fast'], /--time-scale must be a number > 0, got 'fast'/],
    [['a.yaml', '--bial'], /Unknown option '--bial'/]
  ] as Array<[string[], RegExp]>) {
    const { code, out } = await scenarioRun(args)
    t.equal(code, 2, args.join(' '))
    t.match(out, message)
    t.match(out, /Usage: eventgrid-emulator scenario run FILE\.\.\. \[options\]/)
  }
  const help = await scenarioRun(['--help'])
  t.equal(help.code, 0)
  t.match(help.out, /--junit FILE/)
})

t.test('--bail stops after the first failing scenario', async (t) => {
  const dir = t.testdir({ 'fail.yaml': FAIL, 'pass.yaml': PASS })
  const { code, out } = await scenarioRun([`${dir}/fail.yaml`, `${dir}/pass.yaml`, '--bail'])
  t.equal(code, 1)
  t.notMatch(out, /PASS {2}passes/)
  t.match(out, /2 scenarios: 0 passed, 1 failed, 1 not run \(--bail\)/)
})

t.test('--config: the scenario runs over that config; a bad config is reported with its positions', async (t) => {
  const dir = t.testdir({
    'config.yaml': 'topics:\n  orders:\n    subscriptions:\n      audit:\n        destination: { endpointType: WebHook, properties: { endpointUrl: /sink/audit } }\n',
    'bad-config.yaml': 'topics:\n  orders:\n    subscriptions:\n      audit:\n        destinaton: {}\n',
    'orders.yaml': 'name: orders\nsteps:\n  - publish: { topic: orders, event: { eventType: A, subject: b } }\n  - expect: { sink: audit, eventType: A, within: 2s }\n'
  })
  const ok = await scenarioRun([`${dir}/orders.yaml`, '--config', `${dir}/config.yaml`])
  t.equal(ok.code, 0, ok.out)
  const bad = await scenarioRun([`${dir}/orders.yaml`, '--config', `${dir}/bad-config.yaml`])
  t.equal(bad.code, 1)
  t.match(bad.out, /bad-config\.yaml:5:9 topics\.orders\.subscriptions\.audit\.destinaton: unknown key 'destinaton'\. Did you mean 'destination'\?/)
})
