/**
 * Every sample scenario runs green against its sample receiver (in-process emulator, time scale 0.001 so
 * retries take milliseconds), and a deliberately broken variant of each fails with exit code 1 and a readable
 * diff: the step, expected vs actual with the field that differed, and the delivery log.
 */
import { readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import t from 'tap'
import { scenarioRun } from './run-cli.js'

interface Sample {
  dir: string
  files: string[]
  /** Edits of scenario.yaml that make one expectation wrong, and what the report must then say. */
  broken: { edits: Array<[string, string]>, says: RegExp[] }
}

const SAMPLES: Sample[] = [
  {
    dir: 'sms-bot',
    files: ['scenario.yaml', 'flaky.yaml'],
    broken: {
      edits: [['message: { regex: "\\\\bSTOP\\\\b" }', 'message: { regex: "\\\\bUNSUBSCRIBE\\\\b" }']],
      says: [/✗ 2\. the bot \(which answered the validation handshake\) gets it/, /data\.message: expected =~ \/\\bUNSUBSCRIBE\\b\/, got 'STOP'/]
    }
  },
  {
    dir: 'chat-moderation',
    files: ['scenario.yaml'],
    broken: {
      edits: [['reason: UndeliverableDueToClientError', 'reason: MaxDeliveryAttemptsExceeded']],
      says: [/reason: expected = 'MaxDeliveryAttemptsExceeded', got 'UndeliverableDueToClientError'/, /moderation-without-key {2}Failed {2}attempt 1 {2}status 401/]
    }
  },
  {
    dir: 'email-bounce',
    files: ['scenario.yaml'],
    broken: {
      edits: [['expectNoDelivery: { subscription: email-bounces, eventId: "${steps.delivered.id}"', 'expect: { subscription: email-bounces, eventId: "${steps.delivered.id}"'], ['for: 300ms }', 'within: 300ms }']],
      says: [/no matching delivery to subscription 'email-bounces' within 300ms/, /email-bounces {2}NotMatched {2}event .* StringIn data\.status/]
    }
  },
  {
    dir: 'cloudevents-receiver',
    files: ['scenario.yaml'],
    broken: {
      edits: [['data: { orderId: 42 }\n      status: 200', 'data: { orderId: "42" }\n      status: 200']],
      says: [/data\.orderId: expected = '42', got 42/, /orders-receiver {2}Delivered {2}attempt 1 {2}status 200/]
    }
  }
]

for (const sample of SAMPLES) {
  t.test(`samples/${sample.dir}`, async (t) => {
    const { start } = await import(`../../samples/${sample.dir}/receiver.js`) as { start: (port: number) => Promise<{ url: string, close: () => Promise<void> }> }
    const receiver = await start(0)
    t.teardown(receiver.close)
    const env = { RECEIVER_URL: receiver.url }

    const files = sample.files.map((f) => join('samples', sample.dir, f))
    const green = await scenarioRun([...files, '--time-scale', '0.001'], env)
    if (green.code !== 0) t.comment(green.out)
    t.equal(green.code, 0, 'the sample scenarios pass')
    t.match(green.out, new RegExp(`${files.length} scenarios?: ${files.length} passed, 0 failed`))

    let text = await readFile(files[0]!, 'utf8')
    for (const [from, to] of sample.broken.edits) {
      t.ok(text.includes(from), `the broken variant edits '${from}'`)
      text = text.replace(from, to)
    }
    // The failing expectation should not hold the suite up for its full 2 s.
    const brokenFile = join(t.testdir(), 'broken.yaml')
    await writeFile(brokenFile, text.replaceAll('within: 2s', 'within: 300ms'))
    const red = await scenarioRun([brokenFile, '--time-scale', '0.001'], env)
    t.equal(red.code, 1)
    t.match(red.out, /^FAIL {2}/m)
    t.match(red.out, /broken\.yaml:\d+:\d+/, 'the failed step names its file:line:col')
    for (const part of [/^ {7}expected:$/m, /^ {7}actual:$/m, /^ {7}delivery log \(/m, /\(skipped\)|1 scenario: 0 passed, 1 failed/]) t.match(red.out, part)
    for (const says of sample.broken.says) t.match(red.out, says)
  })
}

t.test('samples/sms-bot/flaky.yaml: a broken variant (expecting three failures instead of two) fails readably', async (t) => {
  const text = (await readFile('samples/sms-bot/flaky.yaml', 'utf8'))
  t.ok(text.includes('status: 500, count: 2'), 'the broken variant edits the failure count')
  const brokenFile = join(t.testdir(), 'flaky-broken.yaml')
  await writeFile(brokenFile, text.replace('status: 500, count: 2', 'status: 500, count: 3').replaceAll('within: 2s', 'within: 300ms'))
  const red = await scenarioRun([brokenFile, '--time-scale', '0.001'])
  t.equal(red.code, 1)
  t.match(red.out, /flaky-broken\.yaml:\d+:\d+/)
  t.match(red.out, /^ {7}expected:$/m)
  t.match(red.out, /^ {7}actual:$/m)
  t.match(red.out, /sms-bot-flaky {2}Failed {2}attempt 1 {2}status 500/)
})

t.test('samples/sms-bot/loop.yaml: inbound SMS → the bot replies through the real SmsClient → its delivery report is handled', async (t) => {
  const { startEmulator } = await import('../../src/index.js')
  const eg = await startEmulator({ port: 0, timeScale: 0.001, dataDir: t.testdir() })
  t.teardown(eg.close)
  const { start } = await import('../../samples/sms-bot/receiver.js')
  const bot = await start(0, { connectionString: eg.emulator.acs.connectionString('acs', eg.url) })
  t.teardown(bot.close)
  const env = { RECEIVER_URL: bot.url }

  const green = await scenarioRun(['samples/sms-bot/loop.yaml', '--url', eg.url, '--time-scale', '0.001'], env)
  if (green.code !== 0) t.comment(green.out)
  t.equal(green.code, 0, 'the loop scenario passes')
  t.match(green.out, /1 scenario: 1 passed, 0 failed/)
  t.same(bot.reports.map((r) => [r.to, r.status]), [['+14255550123', 'Delivered'], ['+12065550100', 'Failed']], 'the bot matched both reports')
  t.equal(bot.reports[0]!.reply, 'Thanks for your message! Reply STOP to unsubscribe.', 'by the messageId of its own reply')
  t.same([...bot.unreachable], ['+12065550100'])
  const rules = await (await fetch(`${eg.url}/admin/acs/outcomes`)).json() as { rules: unknown[] }
  t.same(rules.rules, [], 'the scenario\'s outcome rules are removed when it ends')

  // Broken: the bot's reply is expected from another number; the step explains what was sent instead.
  const text = await readFile('samples/sms-bot/loop.yaml', 'utf8')
  const brokenFile = join(t.testdir(), 'loop-broken.yaml')
  t.ok(text.includes('from: "+18005550100"\n'), 'the broken variant edits the expected sender')
  await writeFile(brokenFile, text.replace('from: "+18005550100"\n', 'from: "+18005550199"\n').replaceAll('within: 2s', 'within: 300ms'))
  const red = await scenarioRun([brokenFile, '--url', eg.url, '--time-scale', '0.001'], env)
  t.equal(red.code, 1)
  t.match(red.out, /loop-broken\.yaml:\d+:\d+/)
  t.match(red.out, /the app sent no matching message within 300ms/)
  t.match(red.out, /from: expected = '\+18005550199', got '\+18005550100'/)
})
