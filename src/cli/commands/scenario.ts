/**
 * `eventgrid-emulator scenario run FILE... [--url URL | --config FILE] [--junit FILE] [--bail] [--time-scale X]`
 * Runs YAML scenarios against a running emulator or one started in-process per scenario; exit code 0 when all
 * pass, 1 otherwise (2 for bad options). See src/scenarios/ for the file format.
 */
import { mkdir, writeFile } from 'node:fs/promises'
import { dirname } from 'node:path'
import { parseArgs } from 'node:util'
import { ConfigError, formatConfigProblem } from '../../index.js'
import { loadScenarioFile } from '../../scenarios/load-scenario.js'
import { formatJUnit } from '../../scenarios/report-junit.js'
import { formatScenario, formatSummary } from '../../scenarios/report-text.js'
import { invalidScenario, runScenario, type ScenarioResult } from '../../scenarios/run-scenario.js'
import type { OpenTarget } from '../../scenarios/target.js'
import { localTargets } from '../../scenarios/target-local.js'
import { remoteTargets } from '../../scenarios/target-remote.js'
import type { Command } from '../io.js'
import { numberOption, UsageError } from '../options.js'

export const SCENARIO_USAGE = `Usage: eventgrid-emulator scenario run FILE... [options]

Runs YAML scenarios (emit or publish events, then expect deliveries, retries, dead letters) and reports
each step. \${VAR} in a scenario is taken from the environment, e.g. RECEIVER_URL=http://127.0.0.1:7071.

Options:
  --url URL        run against a running emulator; its recorded state is reset before each scenario,
                   subscriptions a scenario adds are deleted and those it replaces restored afterwards
  --config FILE    otherwise an emulator is started in-process for each scenario, from this config
                   (default: the built-in config) with the scenario's topics merged over it
  --junit FILE     also write a JUnit XML report to FILE
  --bail           stop after the first failing scenario
  --time-scale X   in-process: multiply every retry delay (0.001 turns 10 s into 10 ms);
                   with --url: the time scale that emulator runs with (scales wait steps)
  -h, --help       show this help

Exit code: 0 when every scenario passes, 1 when one fails, 2 for bad options.
`

export const scenarioRun: Command = async (argv, io) => {
  if (argv.includes('--help') || argv.includes('-h')) { io.stdout(SCENARIO_USAGE); return 0 }
  let options: Options
  try {
    options = parse(argv)
  } catch (err) {
    io.stderr(`${(err as Error).message}\n\n${SCENARIO_USAGE}`)
    return 2
  }
  let open: OpenTarget
  try {
    open = options.url !== undefined
      ? remoteTargets(options.url, { timeScale: options.timeScale })
      : await localTargets({ config: options.config, timeScale: options.timeScale, env: io.env })
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err
    io.stderr(`${err.message}\n`)
    return 1
  }
  if (options.url !== undefined) {
    // Say up front what happens to the emulator someone else may be looking at.
    io.stdout(`Running against ${options.url}: before each scenario its recorded state is cleared (POST /admin/reset: the delivery log, sinks, dead-letter listing, recorded events, waiting events and pending retries); subscriptions a scenario adds are deleted afterwards and those it replaces are restored.\n\n`)
  }
  const started = performance.now()
  const results: ScenarioResult[] = []
  for (const file of options.files) {
    const result = await runFile(file, open, io.env)
    results.push(result)
    io.stdout(formatScenario(result))
    if (options.bail && !result.passed) break
  }
  io.stdout(formatSummary(results, options.files.length - results.length, performance.now() - started))
  if (options.junit !== undefined) {
    await mkdir(dirname(options.junit), { recursive: true })
    await writeFile(options.junit, formatJUnit(results))
  }
  return results.every((r) => r.passed) ? 0 : 1
}

async function runFile (file: string, open: OpenTarget, env: Record<string, string | undefined>): Promise<ScenarioResult> {
  try {
    return await runScenario(await loadScenarioFile(file, env), open)
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err
    return invalidScenario(file, err.problems.map(formatConfigProblem))
  }
}

interface Options { files: string[], url?: string, config?: string, junit?: string, bail: boolean, timeScale?: number }

function parse (argv: string[]): Options {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    strict: true,
    options: {
      url: { type: 'string' },
      config: { type: 'string' },
      junit: { type: 'string' },
      bail: { type: 'boolean' },
      'time-scale': { type: 'string' }
    }
  })
  if (positionals.length === 0) throw new UsageError('scenario run needs at least one scenario FILE')
  if (values.url !== undefined && values.config !== undefined) {
    throw new UsageError('give either --url (a running emulator) or --config (start one in-process), not both')
  }
  return {
    files: positionals,
    url: values.url,
    config: values.config,
    junit: values.junit,
    bail: values.bail === true,
    timeScale: values['time-scale'] === undefined ? undefined : numberOption('--time-scale', values['time-scale'], { above: 0 })
  }
}
