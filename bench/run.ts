/**
 * `npm run bench`: every performance target of the project side by side with its own baseline, measured in the
 * same run — a minimal Fastify server and an undici Pool client with 128 connections for HTTP, a bare Node http
 * server for cold start, one unfiltered subscription for routing — and printed as one table of medians of
 * `passes` (default 3) with the ratio emulator / baseline.
 *
 *   npm run bench [-- --only publish,latency,startup,routing,backlog,memory,caps,durable] [-- --no-build]
 *
 * Sizes come from the environment, defaults modest so the whole run takes a few minutes on a shared 2-core
 * machine: BENCH_PASSES (3), BENCH_EVENTS (4000 single-event publishes per pass), BENCH_BATCHED (20000),
 * BENCH_LATENCY_SECONDS (4), BENCH_SUBSCRIPTIONS (1000), BENCH_BACKLOG (100000), BENCH_RETRIES (100000),
 * BENCH_CAP_MIB (8).
 * Server CPU is each server process's own process.cpuUsage(), not wall time. The runner builds dist/ and the
 * bundled CLI first, as `npm run build` does, and measures the compiled emulator; --no-build skips the build,
 * measures src/ through tsx, and runs the cold-start row on whatever bundle is there.
 */
import { execFileSync } from 'node:child_process'
import { cpus } from 'node:os'
import { fileURLToPath } from 'node:url'
import { median } from './lib/procs.js'
import { SUITES, type Row, type Sizes } from './suites.js'

const args = process.argv.slice(2)
const onlyArg = args.find((a, i) => a.startsWith('--only=') || args[i - 1] === '--only')
const only = onlyArg === undefined ? undefined : new Set((onlyArg.startsWith('--only=') ? onlyArg.slice(7) : onlyArg).split(','))
const envNumber = (name: string, fallback: number): number => {
  const raw = process.env[name]
  if (raw === undefined || raw === '') return fallback
  const n = Number(raw)
  if (!Number.isFinite(n) || n <= 0) throw new Error(`${name} must be a positive number, got '${raw}'`)
  return n
}
const sizes: Sizes = {
  passes: envNumber('BENCH_PASSES', 3),
  events: envNumber('BENCH_EVENTS', 4000),
  batched: envNumber('BENCH_BATCHED', 20_000),
  latencySeconds: envNumber('BENCH_LATENCY_SECONDS', 4),
  subscriptions: envNumber('BENCH_SUBSCRIPTIONS', 1000),
  backlog: envNumber('BENCH_BACKLOG', 100_000),
  retries: envNumber('BENCH_RETRIES', 100_000),
  capMiB: envNumber('BENCH_CAP_MIB', 8)
}
const unknown = only === undefined ? [] : [...only].filter((id) => !SUITES.some((s) => s.id === id))
if (unknown.length > 0) throw new Error(`unknown suite(s) ${unknown.join(', ')}; the suites are ${SUITES.map((s) => s.id).join(', ')}`)

const suites = SUITES.filter((s) => only === undefined || only.has(s.id))
// The emulator is measured as users run it: compiled. The runner builds dist/ (tsc) and the bundled CLI (bin/ →
// dist/bundle/, for the cold-start row) first, and the emulator processes and in-process rows load dist/. With
// --no-build they load src/ through tsx instead (esbuild's keepNames then adds a little per closure created).
if (!args.includes('--no-build')) {
  console.error('building dist/ and the bundled CLI (--no-build skips this and measures src/ through tsx) …')
  const cwd = fileURLToPath(new URL('..', import.meta.url))
  execFileSync(process.execPath, [fileURLToPath(new URL('../node_modules/typescript/bin/tsc', import.meta.url)), '-p', 'tsconfig.build.json'], { cwd, stdio: 'inherit' })
  execFileSync(process.execPath, ['--import', 'tsx', 'scripts/bundle-cli.ts'], { cwd, stdio: 'inherit' })
  process.env.BENCH_EMULATOR_FROM = 'dist'
}

const rows: Row[] = []
const started = performance.now()
for (const suite of suites) {
  const t0 = performance.now()
  console.error(`${suite.id}: ${suite.title} …`)
  rows.push(...await suite.run(sizes))
  console.error(`${suite.id}: done in ${((performance.now() - t0) / 1000).toFixed(0)} s`)
}

const format = (n: number, unit: string): string => {
  const digits = n >= 100 ? 0 : n >= 10 ? 1 : 2
  return `${n.toLocaleString('en', { maximumFractionDigits: digits, minimumFractionDigits: digits })} ${unit}`
}
const table = [
  '| what | baseline | emulator | ratio | target | met |',
  '|---|---|---|---|---|---|'
]
for (const row of rows) {
  const emulator = median(row.emulator)
  const medianPass = row.emulator.indexOf(emulator)
  const baseline = row.baseline !== undefined ? median(row.baseline) : undefined
  const ratio = baseline !== undefined && baseline !== 0 ? emulator / baseline : undefined
  const met = row.meets === undefined ? '' : row.meets(emulator, ratio) ? 'yes' : '**no**'
  const note = row.note !== undefined ? ` (${row.note(medianPass)})` : ''
  const base = baseline !== undefined ? `${row.baselineLabel !== undefined ? `${row.baselineLabel}: ` : ''}${format(baseline, row.unit)}` : '—'
  table.push(`| ${row.what} | ${base} | ${format(emulator, row.unit)}${note} | ${ratio !== undefined ? `${ratio.toFixed(2)}×` : '—'} | ${row.target} | ${met} |`)
}
const cpu = cpus()[0]?.model ?? 'unknown CPU'
console.log(`\nMedians of ${sizes.passes} passes; ${cpus().length} × ${cpu}; Node ${process.version}; ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC; run took ${((performance.now() - started) / 1000).toFixed(0)} s.\n`)
console.log(table.join('\n'))
