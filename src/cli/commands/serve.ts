/**
 * `eventgrid-emulator serve [--config FILE] [--host H] [--port N] [--data-dir DIR] [--time-scale X]`
 * Every option can also come from the environment (EVENTGRID_EMULATOR_CONFIG, _HOST, _PORT, _DATA_DIR,
 * _TIME_SCALE), which is how containers are configured; a flag wins over the environment.
 */
import { parseArgs } from 'node:util'
import { ConfigError } from '../../config/load-config.js'
import { startEmulator, type RunningEmulator } from '../../index.js'
import type { Command } from '../io.js'
import { numberOption, UsageError } from '../options.js'

export const SERVE_USAGE = `Usage: eventgrid-emulator serve [options]

Starts the emulator. Without --config it runs the built-in default: an ACS system topic "acs" and a custom
topic "events", each with one subscription delivering to the built-in sink (GET /sink/default).

Options (environment variable in brackets):
  --config FILE      YAML config file                [EVENTGRID_EMULATOR_CONFIG]
  --host H           listen address (default 127.0.0.1) [EVENTGRID_EMULATOR_HOST]
  --port N           listen port, 0 = any free port (default 4000) [EVENTGRID_EMULATOR_PORT]
  --data-dir DIR     base directory for dead letters [EVENTGRID_EMULATOR_DATA_DIR]
  --time-scale X     multiply every retry/back-off delay, e.g. 0.001 [EVENTGRID_EMULATOR_TIME_SCALE]
  -h, --help         show this help
`

export interface ServeHandle { running: RunningEmulator, stop: () => Promise<void> }

/** Parses the options and starts the emulator; the process-level entry (main.ts) adds signal handling. */
export async function startFromArgs (argv: string[], env: Record<string, string | undefined>): Promise<RunningEmulator> {
  const { values } = parseArgs({
    args: argv,
    options: {
      config: { type: 'string' },
      host: { type: 'string' },
      port: { type: 'string' },
      'data-dir': { type: 'string' },
      'time-scale': { type: 'string' }
    },
    allowPositionals: false,
    strict: true
  })
  const pick = (flag: string | undefined, name: string): string | undefined => flag ?? (env[`EVENTGRID_EMULATOR_${name}`] || undefined)
  const port = pick(values.port, 'PORT')
  const timeScale = pick(values['time-scale'], 'TIME_SCALE')
  return await startEmulator({
    config: pick(values.config, 'CONFIG'),
    host: pick(values.host, 'HOST'),
    port: port === undefined ? undefined : numberOption('--port', port, { integer: true, min: 0, max: 65535 }),
    timeScale: timeScale === undefined ? undefined : numberOption('--time-scale', timeScale, { min: 0 }),
    dataDir: pick(values['data-dir'], 'DATA_DIR'),
    env,
    logger: {
      level: env.LOG_LEVEL ?? 'info',
      // Pretty logs for people at a terminal, JSON lines for machines (never decided by NODE_ENV).
      ...(process.stdout.isTTY ? { transport: { target: 'pino-pretty', options: { translateTime: 'HH:MM:ss.l', ignore: 'pid,hostname' } } } : {})
    }
  })
}

export const serve: Command = async (argv, io) => {
  if (argv.includes('--help') || argv.includes('-h')) { io.stdout(SERVE_USAGE); return 0 }
  let running: RunningEmulator
  try {
    running = await startFromArgs(argv, io.env)
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
  io.stdout(`eventgrid-emulator listening on ${running.url}\n${topics.join('\n')}\n`)
  // Wait for SIGINT/SIGTERM, then shut down gracefully: finish in-flight deliveries within a bound, exit 0.
  await new Promise<void>((resolve) => {
    const stop = (): void => { resolve() }
    process.once('SIGINT', stop)
    process.once('SIGTERM', stop)
  })
  await running.close()
  return 0
}
