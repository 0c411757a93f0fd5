/**
 * `eventgrid-emulator events [--json]` — lists every ACS event type the emulator can generate, with its
 * short alias, category and status (retired types marked), followed by the multi-event sequences.
 */
import { listAcsEventTypes, listAcsSequences, resolveAcsEventType } from '../../domain/acs/index.js'
import type { AcsEventTypeInfo, SequenceInfo } from '../../domain/acs/index.js'
import type { Command } from '../io.js'

export const EVENTS_USAGE = `Usage: eventgrid-emulator events [--json]

Lists the Azure Communication Services event types the emulator generates, their short aliases
(usable wherever an event type is expected, e.g. 'eventgrid-emulator emit sms-received') and the
sequences (multi-event scenarios, e.g. 'eventgrid-emulator emit sms-conversation').

Options:
  --json      print { eventTypes, sequences } as JSON
  -h, --help  show this help
`

const PREFIX = 'Microsoft.Communication.'

/** `current`, `preview` or `retired`: the catalog status without its explanation. */
function shortStatus (info: AcsEventTypeInfo): string {
  return info.retired ? 'retired' : info.status.split(' ')[0] ?? info.status
}

function table (rows: string[][]): string {
  const widths = rows[0]!.map((_, col) => Math.max(...rows.map((r) => r[col]!.length)))
  return rows.map((r) => r.map((cell, col) => (col === r.length - 1 ? cell : cell.padEnd(widths[col]!))).join('  ').trimEnd()).join('\n')
}

function renderText (types: AcsEventTypeInfo[], sequences: SequenceInfo[]): string {
  const rows = [['ALIAS', 'EVENT TYPE', 'CATEGORY', 'STATUS']]
  for (const t of types) rows.push([t.aliases[0] ?? '', t.eventType, t.category, shortStatus(t)])
  const retired = types.filter((t) => t.retired)
  const lines = [
    `ACS event types (${types.length}; event types are ${PREFIX}<name>):`,
    '',
    table(rows),
    ''
  ]
  if (retired.length > 0) {
    lines.push('Retired types are still generated, for consumers of old payloads:')
    for (const t of retired) lines.push(`  ${t.aliases[0] ?? t.eventType}: ${t.status}`)
    lines.push('')
  }
  lines.push('Sequences (use the name like an alias):', '')
  for (const s of sequences) {
    const steps = s.eventTypes.map((e) => resolveAcsEventType(e)?.aliases[0] ?? e).join(' → ')
    lines.push(`  ${s.name}`, `    ${s.description}`, `    ${steps}`)
  }
  return lines.join('\n') + '\n'
}

export const events: Command = async (argv, io) => {
  if (argv.includes('--help') || argv.includes('-h')) {
    io.stdout(EVENTS_USAGE)
    return 0
  }
  const unknown = argv.filter((a) => a !== '--json')
  if (unknown.length > 0) {
    io.stderr(`events: unknown argument '${unknown[0]}'.\n\n${EVENTS_USAGE}`)
    return 2
  }
  const types = listAcsEventTypes()
  const sequences = listAcsSequences()
  if (argv.includes('--json')) io.stdout(JSON.stringify({ eventTypes: types, sequences }, null, 2) + '\n')
  else io.stdout(renderText(types, sequences))
  return 0
}
