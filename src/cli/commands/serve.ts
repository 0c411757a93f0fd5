/**
 * `eventgrid-emulator serve [--config FILE] [--host H] [--port N] [--data-dir DIR] [--time-scale X]
 *   [--tls auto | --tls-cert FILE --tls-key FILE]`
 * Every option can also come from the environment (EVENTGRID_EMULATOR_CONFIG, _HOST, _PORT, _DATA_DIR,
 * _TIME_SCALE, _TLS, _TLS_CERT, _TLS_KEY), which is how containers are configured; a flag wins over the
 * environment and an empty variable counts as unset. EVENTGRID_EMULATOR_CONFIG_OPTIONAL=1 lets the config named
 * by EVENTGRID_EMULATOR_CONFIG be absent (the Docker image: /config/config.yaml if mounted, else the default).
 */
import { existsSync } from 'node:fs'
import { parseArgs } from 'node:util'
import { ConfigError } from '../../config/load-config.js'
import { startEmulator, type RunningEmulator, type StartOptions } from '../../index.js'
import type { TlsOption } from '../../tls/index.js'
import type { Command } from '../io.js'
import { numberOption, UsageError } from '../options.js'

export const SERVE_USAGE = `Usage: eventgrid-emulator serve [options]

Starts the emulator. Without --config it runs the built-in default: an ACS system topic "acs" and a custom
topic "events", each with one subscription delivering to the built-in sink (GET /sink/default).

Options (environment variable in brackets; an empty variable counts as unset):
  --config FILE      YAML config file                [EVENTGRID_EMULATOR_CONFIG]
                     [EVENTGRID_EMULATOR_CONFIG_OPTIONAL=1: a missing EVENTGRID_EMULATOR_CONFIG file
                     means the built-in default (the Docker image uses this for /config/config.yaml)]
  --host H           listen address (default 127.0.0.1) [EVENTGRID_EMULATOR_HOST]
  --port N           listen port, 0 = any free port (default 4000) [EVENTGRID_EMULATOR_PORT]
  --data-dir DIR     base directory for dead letters and the --tls auto certificate [EVENTGRID_EMULATOR_DATA_DIR]
  --time-scale X     multiply every retry/back-off delay, e.g. 0.001 [EVENTGRID_EMULATOR_TIME_SCALE]
  --tls auto         serve HTTPS with a self-signed certificate for localhost, 127.0.0.1 and ::1, kept in
                     DATA_DIR/tls/ (default ./.eventgrid-emulator/tls/); GET /admin/tls-cert returns it
                     ('off' = plain HTTP, the default) [EVENTGRID_EMULATOR_TLS]
  --tls-cert FILE    serve HTTPS with this PEM certificate (chain) ... [EVENTGRID_EMULATOR_TLS_CERT]
  --tls-key FILE     ... and this PEM private key       [EVENTGRID_EMULATOR_TLS_KEY]
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
      'tls-key': { type: 'string' }
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

  return {
    options: {
      config,
      host: pick(values.host, 'HOST'),
      port: port === undefined ? undefined : numberOption('--port', port, { integer: true, min: 0, max: 65535 }),
      timeScale: timeScale === undefined ? undefined : numberOption('--time-scale', timeScale, { above: 0 }),
      dataDir: pick(values['data-dir'], 'DATA_DIR'),
      tls: tlsOption(pick(values.tls, 'TLS'), pick(values['tls-cert'], 'TLS_CERT'), pick(values['tls-key'], 'TLS_KEY')),
      env,
      logger: {
        level: env.LOG_LEVEL ?? 'info',
        // Pretty logs for people at a terminal (one line per entry), JSON lines for machines (never decided by NODE_ENV).
        ...(process.stdout.isTTY ? { transport: { target: 'pino-pretty', options: { translateTime: 'HH:MM:ss.l', ignore: 'pid,hostname', singleLine: true } } } : {})
      }
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

/** Parses the options and starts the emulator; the process-level entry (main.ts) adds signal handling. */
export async function startFromArgs (argv: string[], env: Record<string, string | undefined>): Promise<RunningEmulator> {
  return await startEmulator(serveSettingsFromArgs(argv, env).options)
}

export const serve: Command = async (argv, io) => {
  if (argv.includes('--help') || argv.includes('-h')) { io.stdout(SERVE_USAGE); return 0 }
  let running: RunningEmulator
  let notes: string[] = []
  try {
    const settings = serveSettingsFromArgs(argv, io.env)
    notes = settings.notes
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
  io.stdout(`eventgrid-emulator listening on ${running.url}\n${topics.join('\n')}\n`)
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
