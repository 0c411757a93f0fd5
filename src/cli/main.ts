/**
 * Command-line entry: dispatches verbs. The only place that touches process.argv/exit (via bin/).
 */
import { readFileSync } from 'node:fs'
import { didYouMean } from '../domain/problems.js'
import type { CliIo, Command } from './io.js'

export const USAGE = `Usage: eventgrid-emulator <command> [options]

Commands:
  serve                 start the emulator (default command)          serve --help
  emit TYPE|ALIAS       send synthetic ACS events to a running emulator  emit --help
  events                list the ACS event types and their short aliases
  config check FILE     validate a config file
  filter test           show whether a filter matches an event, and why  filter test --help
  scenario run FILE...  run YAML scenarios, e.g. in CI                  scenario run --help
  tail                  follow publishes and delivery decisions live     tail --help
  subscriptions         list subscriptions: state, endpoint, counters    subscriptions --help
  deliveries            list the delivery log as a table                deliveries --help
  dead-letters          list dead-letter files                           dead-letters --help
  help                  show this help

Run 'eventgrid-emulator <command> --help' for a command's options.
`

/**
 * Each verb's module is imported when that verb runs: `serve` then loads neither the scenario runner nor the
 * admin-API clients, and a quick `events` does not load the server. Cold start is what this buys.
 */
const COMMANDS: Record<string, Command> = {
  serve: async (argv, io) => await (await import('./commands/serve.js')).serve(argv, io),
  emit: async (argv, io) => await (await import('./commands/emit.js')).emit(argv, io),
  events: async (argv, io) => await (await import('./commands/events.js')).events(argv, io),
  'config check': async (argv, io) => await (await import('./commands/config-check.js')).configCheck(argv, io),
  'filter test': async (argv, io) => await (await import('./commands/filter-test.js')).filterTest(argv, io),
  'scenario run': async (argv, io) => await (await import('./commands/scenario.js')).scenarioRun(argv, io),
  tail: async (argv, io) => await (await import('./commands/tail.js')).tail(argv, io),
  subscriptions: async (argv, io) => await (await import('./commands/tables.js')).subscriptions(argv, io),
  deliveries: async (argv, io) => await (await import('./commands/tables.js')).deliveries(argv, io),
  'dead-letters': async (argv, io) => await (await import('./commands/tables.js')).deadLetters(argv, io)
}

export async function runCli (argv: string[], io: CliIo): Promise<number> {
  const [first, second] = argv
  if (first === 'help' || first === '-h' || first === '--help') { io.stdout(USAGE); return 0 }
  if (first === '--version' || first === 'version' || first === '-v') { io.stdout(`${version()}\n`); return 0 }
  // `serve` is the default command: no verb, or options straight away.
  if (first === undefined || first.startsWith('-')) return await COMMANDS.serve!(argv, io)
  const pair = COMMANDS[`${first} ${second ?? ''}`]
  if (pair !== undefined) return await pair(argv.slice(2), io)
  const single = COMMANDS[first]
  if (single !== undefined) return await single(argv.slice(1), io)
  // A command group (`config`, `filter`, `scenario`) on its own or with --help: list its subcommands.
  const group = Object.keys(COMMANDS).filter((k) => k.startsWith(`${first} `))
  const asksHelp = second === '--help' || second === '-h' || second === 'help'
  if (group.length === 1 && asksHelp) return await COMMANDS[group[0]!]!(['--help'], io)
  if (group.length > 0 && (second === undefined || asksHelp)) {
    const out = second === undefined ? io.stderr : io.stdout
    out(`Usage: ${group.map((k) => `eventgrid-emulator ${k} ...`).join(' | ')}\n\nRun '${group.map((k) => `eventgrid-emulator ${k} --help`).join("' or '")}' for its options.\n`)
    return second === undefined ? 2 : 0
  }
  const named = group.length > 0 ? `${first} ${second ?? ''}`.trim() : first
  const candidates = group.length > 0 ? group : [...new Set(Object.keys(COMMANDS).map((k) => k.split(' ')[0]!)), 'help']
  io.stderr(`Unknown command '${named}'.${didYouMean(named, candidates)}\n\n${USAGE}`)
  return 2
}

function version (): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }
  return pkg.version
}
