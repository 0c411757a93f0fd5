/**
 * `eventgrid-emulator events`: the table of ACS types (alias, category, status, retired marked), the
 * sequences section, --json, --help and bad arguments, through a fake CliIo.
 */
import t from 'tap'
import { events } from '../../src/cli/commands/events.js'
import type { CliIo } from '../../src/cli/io.js'
import { listAcsEventTypes, listAcsSequences } from '../../src/domain/acs/index.js'

function fakeIo (): CliIo & { out: string; err: string } {
  const io = { out: '', err: '', env: {}, stdout: (s: string) => { io.out += s }, stderr: (s: string) => { io.err += s } }
  return io
}

t.test('prints every type with alias, category and status, then the sequences', async (t) => {
  const io = fakeIo()
  t.equal(await events([], io), 0)
  t.equal(io.err, '')
  const lines = io.out.split('\n')
  t.match(lines[0], /^ACS event types \(56;/)
  t.match(io.out, /ALIAS\s+EVENT TYPE\s+CATEGORY\s+STATUS/)
  for (const info of listAcsEventTypes()) {
    const row = lines.find((l) => l.startsWith(`${info.aliases[0]} `))
    t.ok(row, `a row for ${info.aliases[0]}`)
    t.match(row, new RegExp(`\\s${info.eventType.replace(/\./g, '\\.')}\\s+${info.category}\\s+${info.retired ? 'retired' : info.status}$`))
  }
  t.match(io.out, /chat-member-added-to-thread-with-user: retired \(2020 preview only; replaced by ChatParticipantAddedToThreadWithUser\)/)
  t.match(io.out, /advanced-message-analysis-completed\s+\S+\s+advancedMessaging\s+preview/)
  t.match(io.out, /Sequences/)
  for (const s of listAcsSequences()) t.match(io.out, new RegExp(`\\n  ${s.name}\\n    ${s.description.replace(/[()]/g, '\\$&')}\\n`))
  t.match(io.out, /sms-received → sms-delivery-report/)
})

t.test('--json prints the same data as JSON', async (t) => {
  const io = fakeIo()
  t.equal(await events(['--json'], io), 0)
  const parsed = JSON.parse(io.out) as { eventTypes: unknown[]; sequences: unknown[] }
  t.same(parsed.eventTypes, listAcsEventTypes())
  t.same(parsed.sequences, listAcsSequences())
})

t.test('--help and bad arguments', async (t) => {
  const help = fakeIo()
  t.equal(await events(['--help'], help), 0)
  t.match(help.out, /^Usage: eventgrid-emulator events \[--json\]/)
  const bad = fakeIo()
  t.equal(await events(['--jsn'], bad), 2)
  t.equal(bad.out, '')
  t.match(bad.err, /^events: unknown argument '--jsn'\.\n\nUsage:/)
})
