/**
 * `eventgrid-emulator serve [--config FILE] [--host H] [--port N] [--data-dir DIR [--fresh]] [--time-scale X]
 *   [--tls auto | --tls-cert FILE --tls-key FILE]`
 * Every option can also come from the environment (EVENTGRID_EMULATOR_CONFIG, _HOST, _PORT, _DATA_DIR,
 * _TIME_SCALE, _TLS, _TLS_CERT, _TLS_KEY), which is how containers are configured; a flag wins over the
 * environment and an empty variable counts as unset. EVENTGRID_EMULATOR_CONFIG_OPTIONAL=1 lets the config named
 * by EVENTGRID_EMULATOR_CONFIG be absent (the Docker image: /config/config.yaml if mounted, else the default).
 */
import { existsSync } from 'node:fs'
import { parseArgs } from 'node:util'
import { ConfigError } from '../../config/config-error.js'
// compose.js rather than the public index.js, which also exports the config file loader (YAML parser, validators).
import { startEmulator } from '../../compose.js'
import type { RunningEmulator, StartOptions } from '../../index.js'
import type { TlsOption } from '../../tls/index.js'
import type { Command } from '../io.js'
import { numberOption, UsageError } from '../options.js'

export const SERVE_USAGE = `Usage: eventgrid-emulator serve [options]

Starts the emulator. Without --config it runs the built-in default: an ACS system topic "acs" and a custom
topic "events", each with one subscription delivering to the built-in sink (GET /sink/default), and a
namespace "local" (topic "events", pull subscription "default-queue") at /namespaces/local.

Options (environment variable in brackets; an empty variable counts as unset):
  --config FILE      YAML config file                [EVENTGRID_EMULATOR_CONFIG]
                     [EVENTGRID_EMULATOR_CONFIG_OPTIONAL=1: a missing EVENTGRID_EMULATOR_CONFIG file
                     means the built-in default (the Docker image uses this for /config/config.yaml)]
  --host H           listen address (default 127.0.0.1) [EVENTGRID_EMULATOR_HOST]
  --port N           listen port, 0 = any free port (default 4000) [EVENTGRID_EMULATOR_PORT]
  --data-dir DIR     durable mode: accepted events, retries, delivery history, dead-letter listing and runtime
                     subscriptions are journaled in DIR/journal.egj and resumed after a restart or a crash;
                     also holds dead letters and the --tls auto certificate [EVENTGRID_EMULATOR_DATA_DIR]
  --fresh            with --data-dir: discard the journal and start empty [EVENTGRID_EMULATOR_FRESH=1]
  --time-scale X     multiply every retry/back-off delay, e.g. 0.001 [EVENTGRID_EMULATOR_TIME_SCALE]
  --tls auto         serve HTTPS with a self-signed certificate for localhost, 127.0.0.1 and ::1, kept in
                     DATA_DIR/tls/ (default ./.eventgrid-emulator/tls/); GET /admin/tls-cert returns it
                     ('off' = plain HTTP, the default) [EVENTGRID_EMULATOR_TLS]
  --tls-cert FILE    serve HTTPS with this PEM certificate (chain) ... [EVENTGRID_EMULATOR_TLS_CERT]
  --tls-key FILE     ... and this PEM private key       [EVENTGRID_EMULATOR_TLS_KEY]
  --watch            apply edits of the --config file without a restart (a broken edit is reported and the
                     running config stays); POST /admin/reload does the same on demand [EVENTGRID_EMULATOR_WATCH=1]
  -h, --help         show this help
`

export interface ServeHandle { running: RunningEmulator, stop: () => Promise<void> }

/** What `serve` will start with, from flags and environment; `notes` are lines to tell the user. */
export interface ServeSettings { options: StartOptions, notes: string[] }

/** Parses flags and environment into start options (throws UsageError / parseArgs errors on bad input). */
export function serveSettingsFromArgs (argv: string[], env: Record<string, string | undefined>): ServeSettings {
  const { values } = parseArgs({
    args: argv,
    options: {
      config: { type: 'string' },
      host: { type: 'string' },
      port: { type: 'string' },
      'data-dir': { type: 'string' },
      'time-scale': { type: 'string' },
      tls: { type: 'string' },
      'tls-cert': { type: 'string' },
      'tls-key': { type: 'string' },
      watch: { type: 'boolean' },
      fresh: { type: 'boolean' }
    },
    allowPositionals: false,
    strict: true
  })
  const fromEnv = (name: string): string | undefined => env[`EVENTGRID_EMULATOR_${name}`] || undefined
  const pick = (flag: string | undefined, name: string): string | undefined => flag ?? fromEnv(name)
  const notes: string[] = []
  const port = pick(values.port, 'PORT')
  const timeScale = pick(values['time-scale'], 'TIME_SCALE')

  let config = pick(values.config, 'CONFIG')
  const optional = values.config === undefined && ['1', 'true'].includes((fromEnv('CONFIG_OPTIONAL') ?? '').toLowerCase())
  if (config !== undefined && optional && !existsSync(config)) {
    notes.push(`no config file at ${config} (EVENTGRID_EMULATOR_CONFIG_OPTIONAL=1): using the built-in default config`)
    config = undefined
  }

  const watchEnv = fromEnv('WATCH')?.toLowerCase()
  if (watchEnv !== undefined && !['1', 'true', '0', 'false'].includes(watchEnv)) {
    throw new UsageError(`EVENTGRID_EMULATOR_WATCH must be 1 or true (watch the config file) or 0 or false, got '${fromEnv('WATCH') ?? ''}'.`)
  }
  const watch = values.watch === true || watchEnv === '1' || watchEnv === 'true'
  const freshEnv = fromEnv('FRESH')?.toLowerCase()
  if (freshEnv !== undefined && !['1', 'true', '0', 'false'].includes(freshEnv)) {
    throw new UsageError(`EVENTGRID_EMULATOR_FRESH must be 1 or true (discard the journal) or 0 or false, got '${fromEnv('FRESH') ?? ''}'.`)
  }
  const fresh = values.fresh === true || freshEnv === '1' || freshEnv === 'true'
  const dataDir = pick(values['data-dir'], 'DATA_DIR')
  if (watch && config === undefined) {
    throw new UsageError('--watch (EVENTGRID_EMULATOR_WATCH) watches the config file: give --config FILE (or EVENTGRID_EMULATOR_CONFIG) too.')
  }
  return {
    options: {
      config,
      ...(watch ? { watch } : {}),
      host: pick(values.host, 'HOST'),
      port: port === undefined ? undefined : numberOption('--port', port, { integer: true, min: 0, max: 65535 }),
      timeScale: timeScale === undefined ? undefined : numberOption('--time-scale', timeScale, { above: 0 }),
      dataDir,
      ...(fresh ? { fresh } : {}),
      tls: tlsOption(pick(values.tls, 'TLS'), pick(values['tls-cert'], 'TLS_CERT'), pick(values['tls-key'], 'TLS_KEY')),
      env,
      // Pretty logs for people at a terminal, JSON lines for machines (never decided by NODE_ENV).
      logger: { level: env.LOG_LEVEL || 'info', pretty: process.stdout.isTTY }
    },
    notes
  }
}

function tlsOption (mode: string | undefined, certFile: string | undefined, keyFile: string | undefined): TlsOption | undefined {
  if (mode !== undefined && mode !== 'auto' && mode !== 'off') {
    throw new UsageError(`--tls must be 'auto' or 'off' (EVENTGRID_EMULATOR_TLS), got '${mode}'. To use your own certificate, give --tls-cert FILE and --tls-key FILE.`)
  }
  if (mode === 'auto') {
    if (certFile !== undefined || keyFile !== undefined) throw new UsageError('--tls auto generates its own certificate: leave out --tls-cert/--tls-key (EVENTGRID_EMULATOR_TLS_CERT/_TLS_KEY), or drop --tls auto.')
    return 'auto'
  }
  if (certFile === undefined && keyFile === undefined) return undefined
  if (mode === 'off') throw new UsageError('--tls off contradicts --tls-cert/--tls-key (EVENTGRID_EMULATOR_TLS_CERT/_TLS_KEY).')
  if (certFile === undefined) throw new UsageError('--tls-key needs --tls-cert FILE (EVENTGRID_EMULATOR_TLS_CERT) too.')
  if (keyFile === undefined) throw new UsageError('--tls-cert needs --tls-key FILE (EVENTGRID_EMULATOR_TLS_KEY) too.')
  return { certFile, keyFile }
}

/** One line per ACS topic: the connection string its key signs for (and its own port, when it has one). */
function acsConnectionLines (running: RunningEmulator): string[] {
  return [...running.emulator.topics.values()].filter((t) => t.isSystem).map((t) => {
    const own = t.config.port !== undefined ? `   (also ${running.url.replace(/:\d+$/, `:${t.config.port}`)}/ for this topic alone)` : ''
    return `  ${t.name}: ${running.emulator.acs.connectionString(t.name, running.url) ?? ''}${own}`
  })
}

/** Parses the options and starts the emulator; the process-level entry (main.ts) adds signal handling. */
export async function startFromArgs (argv: string[], env: Record<string, string | undefined>): Promise<RunningEmulator> {
  return await startEmulator(serveSettingsFromArgs(argv, env).options)
}

export const serve: Command = async (argv, io) => {
  if (argv.includes('--help') || argv.includes('-h')) { io.stdout(SERVE_USAGE); return 0 }
  let running: RunningEmulator
  let notes: string[] = []
  let watching: string | undefined
  try {
    const settings = serveSettingsFromArgs(argv, io.env)
    notes = settings.notes
    if (settings.options.watch === true && typeof settings.options.config === 'string') watching = settings.options.config
    running = await startEmulator(settings.options)
  } catch (err) {
    if (err instanceof ConfigError) { io.stderr(`${err.message}\n`); return 1 }
    if (err instanceof UsageError || (err as { code?: string }).code?.startsWith('ERR_PARSE_ARGS') === true) {
      io.stderr(`${(err as Error).message}\n\n${SERVE_USAGE}`)
      return 2
    }
    io.stderr(`eventgrid-emulator: cannot start: ${(err as Error).message}\n`)
    return 1
  }
  const topics = [...running.emulator.topics.values()].map((t) => `  ${running.url}/topics/${t.name}/api/events${t.isSystem ? '   (ACS system topic: POST …/simulate)' : ''}`)
  for (const note of notes) io.stdout(`${note}\n`)
  const namespaces = [...running.emulator.namespaces.namespaces.keys()].map((ns) => `  ${running.url}/namespaces/${ns}   (Event Grid namespace: @azure/eventgrid-namespaces endpoint)`)
  const domains = [...running.emulator.domains.values()].map((d) => `  ${running.url}/domains/${d.name}/api/events   (event domain)`)
  // One write, so whoever waits for the "listening on" line also has the connection strings.
  const acs = acsConnectionLines(running)
  io.stdout(`eventgrid-emulator listening on ${running.url}\n${[...topics, ...domains, ...namespaces].join('\n')}\n` +
    (acs.length > 0 ? `ACS data plane — connection strings for the ACS SDKs (over http they need allowInsecureConnection: true):\n${acs.join('\n')}\n` : ''))
  if (watching !== undefined) io.stdout(`watching ${watching} for changes (or POST /admin/reload)\n`)
  if (running.tls?.mode === 'auto') {
    io.stdout(`TLS: self-signed certificate for localhost, 127.0.0.1, ::1 (${running.tls.generated === true ? 'generated' : 'reused'}): ${running.tls.certFile}\n` +
      `  trust it: NODE_EXTRA_CA_CERTS=${running.tls.certFile}  (or fetch ${running.url}/admin/tls-cert)\n`)
  } else if (running.tls !== undefined) {
    io.stdout(`TLS: certificate ${running.tls.certFile}\n`)
  }
  // Wait for SIGINT/SIGTERM, then shut down gracefully: finish in-flight deliveries within a bound, exit 0.
  await new Promise<void>((resolve) => {
    const stop = (): void => { resolve() }
    process.once('SIGINT', stop)
    process.once('SIGTERM', stop)
  })
  await running.close()
  return 0
}
