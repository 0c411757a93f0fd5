/** `eventgrid-emulator config check FILE` — prints every problem as `file:line:col message`; exit 0 or 1. */
import { ConfigError, loadConfigFile } from '../../config/load-config.js'
import type { Command } from '../io.js'

export const CONFIG_CHECK_USAGE = 'Usage: eventgrid-emulator config check FILE\n\nValidates a config file and prints every problem as file:line:col message. Exit code 0 when valid, 1 otherwise.\n'

export const configCheck: Command = async (argv, io) => {
  if (argv.includes('--help') || argv.includes('-h')) { io.stdout(CONFIG_CHECK_USAGE); return 0 }
  if (argv.length !== 1) { io.stderr(CONFIG_CHECK_USAGE); return 2 }
  const file = argv[0]!
  try {
    const config = await loadConfigFile(file, io.env)
    const topics = Object.values(config.topics)
    const subs = topics.reduce((n, t) => n + Object.keys(t.subscriptions).length, 0)
    const domains = Object.values(config.domains ?? {})
    const domainSubs = domains.reduce((n, d) => n + Object.keys(d.subscriptions).length + Object.values(d.topics).reduce((m, t) => m + Object.keys(t.subscriptions).length, 0), 0)
    const domainPart = domains.length === 0 ? '' : `, ${domains.length} domain${domains.length === 1 ? '' : 's'} with ${domainSubs} subscription${domainSubs === 1 ? '' : 's'}`
    io.stdout(`${file}: OK (${topics.length} topic${topics.length === 1 ? '' : 's'}, ${subs} subscription${subs === 1 ? '' : 's'}${domainPart})${namespaceSummary(config.namespaces ?? {})}\n`)
    return 0
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err
    io.stderr(`${err.message}\n${err.problems.length} problem${err.problems.length === 1 ? '' : 's'} found.\n`)
    return 1
  }
}

/** ` and 1 namespace (2 topics, 3 event subscriptions)` — nothing when the config has no namespaces. */
function namespaceSummary (namespaces: NonNullable<Awaited<ReturnType<typeof loadConfigFile>>['namespaces']>): string {
  const all = Object.values(namespaces)
  if (all.length === 0) return ''
  const topics = all.flatMap((ns) => Object.values(ns.topics))
  const subs = topics.reduce((n, t) => n + Object.keys(t.eventSubscriptions).length, 0)
  return ` and ${all.length} namespace${all.length === 1 ? '' : 's'} (${topics.length} topic${topics.length === 1 ? '' : 's'}, ${subs} event subscription${subs === 1 ? '' : 's'})`
}
