/**
 * The benchmarks `npm run bench` runs (bench/run.ts), one entry per measurement set. Each returns its table rows,
 * every row with the values of each pass: the runner takes the medians and the ratio.
 *
 * Adding a benchmark is one entry in SUITES: `{ id, title, run(sizes) }` returning rows — for instance a suite
 * that imports bench/durable.ts's measurement, or runs it as a script and reads its numbers.
 */
import { execFileSync, spawn } from 'node:child_process'
import { mkdirSync, rmSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { request } from 'undici'
import { client, median, percentile, post, received, sleep, startServer, type Server } from './lib/procs.js'
import { emulatorModules } from './lib/emulator-modules.js'
import { topicYaml, webhook } from './lib/config-yaml.js'
import type { Transport } from '../src/delivery/ports.js'

export interface Sizes {
  /** Measured passes per row (the table shows their medians). */
  passes: number
  /** Single-event publishes per pass. */
  events: number
  /** Events per pass of 100-event publishes. */
  batched: number
  /** Seconds of publishing at 500 ev/s per latency pass. */
  latencySeconds: number
  /** Subscriptions of the routing rows. */
  subscriptions: number
  /** Events in the large backlog (the small one is a fifth). */
  backlog: number
  /** MiB each byte cap is set to in the caps rows. */
  capMiB: number
  /** Pending retries of the memory row. */
  retries: number
}

export interface Row {
  what: string
  unit: string
  /** One value per pass; undefined when the row has no baseline. */
  baseline?: number[]
  emulator: number[]
  /** The target, as the issue states it. */
  target: string
  /** Whether the medians meet the target (ratio = emulator / baseline); undefined = nothing to meet. */
  meets?: (emulator: number, ratio: number | undefined) => boolean
  /** Extra figures of the median pass, e.g. p50 and max next to a p99. */
  note?: (pass: number) => string
  baselineLabel?: string
}

export interface Suite {
  id: string
  title: string
  run: (sizes: Sizes) => Promise<Row[]>
}

const ROOT = fileURLToPath(new URL('..', import.meta.url))

const egEvent = (i: number, data: Record<string, unknown> = {}): Record<string, unknown> =>
  ({ id: `e-${i}`, subject: '/orders/1', eventType: 'Bench.Event', eventTime: '2026-01-01T00:00:00Z', dataVersion: '1', data: { n: i, text: 'hello world', ...data } })

async function withServers<T> (roles: Array<['raw' | 'emulator' | 'client', string?]>, fn: (servers: Server[]) => Promise<T>): Promise<T> {
  const servers: Server[] = []
  try {
    for (const [role, config] of roles) servers.push(await startServer(role, config))
    return await fn(servers)
  } finally {
    for (const s of servers) await s.stop()
  }
}

/** CPU µs per item and items per second of one pass of `work`, on `server`'s process. */
async function pass (server: Server, items: number, work: () => Promise<void>): Promise<{ cpu: number, rate: number }> {
  const cpu0 = await server.cpu()
  const t0 = performance.now()
  await work()
  const seconds = (performance.now() - t0) / 1000
  return { cpu: (await server.cpu() - cpu0) / items, rate: items / seconds }
}

const singleEvents: Suite = {
  id: 'publish',
  title: 'single-event publishes and 100-event publishes over HTTP',
  async run (sizes) {
    return await withServers([['raw'], ['raw'], ['client']], async ([raw, receiver, rawClient]) => {
      const config = topicYaml(webhook('hook', `${receiver!.url}/hook`))
      // A second emulator whose topic has no subscription: what accepting a publish costs on its own.
      return await withServers([['emulator', config], ['emulator', topicYaml(' {}')]], async ([eg, bare]) => {
        const rawPool = client(raw!.url)
        const egPool = client(eg!.url)
        const barePool = client(bare!.url)
        const n = sizes.events
        const oneEvent = (i: number): string => JSON.stringify(egEvent(i))
        const oneInArray = (i: number): string => JSON.stringify([egEvent(i)])
        const hundred = (i: number): string => JSON.stringify(Array.from({ length: 100 }, (_, j) => egEvent(i * 100 + j)))
        let delivered = 0
        const publishSingle = async (count: number): Promise<void> => {
          await post(egPool, '/topics/bench/api/events', count, oneInArray)
          delivered += count
          await received(receiver!, delivered)
        }
        const publishHundreds = async (count: number): Promise<void> => {
          await post(egPool, '/topics/bench/api/events', count / 100, hundred, 8)
          delivered += count
          await received(receiver!, delivered)
        }
        // Warm-up: JIT and connections, not measured.
        await post(rawPool, '/hook', Math.ceil(n / 4), oneEvent)
        await publishSingle(Math.ceil(n / 4))
        await publishHundreds(Math.ceil(sizes.batched / 400) * 100)
        await post(barePool, '/topics/bench/api/events', Math.ceil(n / 4), oneInArray)
        // The client's requests go to the baseline server, not the receiver, whose count the publishes wait for.
        // 16 in flight: a subscription's deliveries at the engine's default concurrency (src/delivery/engine.ts).
        const clientLoad = async (): Promise<void> => { await rawClient!.load(raw!.url, '/hook', n, 16) }
        await clientLoad()
        const base: Array<{ cpu: number, rate: number }> = []
        const outbound: Array<{ cpu: number, rate: number }> = []
        const accepted: Array<{ cpu: number, rate: number }> = []
        const emu: Array<{ cpu: number, rate: number }> = []
        const batched: Array<{ cpu: number, rate: number }> = []
        for (let p = 0; p < sizes.passes; p++) {
          base.push(await pass(raw!, n, async () => { await post(rawPool, '/hook', n, oneEvent) }))
          outbound.push(await pass(rawClient!, n, clientLoad))
          emu.push(await pass(eg!, n, async () => { await publishSingle(n) }))
          accepted.push(await pass(bare!, n, async () => { await post(barePool, '/topics/bench/api/events', n, oneInArray) }))
          const m = Math.ceil(sizes.batched / 100) * 100
          batched.push(await pass(eg!, m, async () => { await publishHundreds(m) }))
        }
        await rawPool.close()
        await egPool.close()
        await barePool.close()
        return [
          { what: 'single-event POSTs, server CPU per request (emulator: inbound publish + outbound delivery)', unit: 'µs', baseline: base.map((r) => r.cpu), emulator: emu.map((r) => r.cpu), target: '≤ 2×', meets: (_e, ratio) => ratio !== undefined && ratio <= 2, baselineLabel: 'raw Fastify' },
          // What any server that receives an event and sends it on pays at the least: a raw Fastify request plus a
          // raw undici request, each measured in its own process. The row above compares with the first alone.
          { what: 'floor: the same against raw Fastify CPU per request + raw undici client CPU per request (16 in flight, as a subscription\'s deliveries)', unit: 'µs', baseline: base.map((r, i) => r.cpu + outbound[i]!.cpu), emulator: emu.map((r) => r.cpu), target: '—', baselineLabel: 'raw server + raw client', note: (i) => `raw client ${outbound[i]!.cpu.toFixed(1)} µs/request` },
          { what: 'single-event publishes to a topic with no subscription, server CPU per request (the inbound half alone)', unit: 'µs', baseline: base.map((r) => r.cpu), emulator: accepted.map((r) => r.cpu), target: '—', baselineLabel: 'raw Fastify' },
          { what: 'single-event publish → webhook', unit: 'ev/s', baseline: base.map((r) => r.rate), emulator: emu.map((r) => r.rate), target: '—', baselineLabel: 'raw Fastify req/s' },
          { what: '100-event publishes, one event per delivery: delivered', unit: 'ev/s', emulator: batched.map((r) => r.rate), target: '—', note: (i) => `${batched[i]!.cpu.toFixed(0)} µs CPU/event` }
        ]
      })
    })
  }
}

const latency: Suite = {
  id: 'latency',
  title: 'publish → delivery latency at 500 ev/s',
  async run (sizes) {
    return await withServers([['raw'], ['raw']], async ([raw, receiver]) => {
      return await withServers([['emulator', topicYaml(webhook('hook', `${receiver!.url}/hook`))]], async ([eg]) => {
        const rawPool = client(raw!.url)
        const egPool = client(eg!.url)
        const n = Math.round(500 * sizes.latencySeconds)
        /** Sends n POSTs at 500/s, each stamped when sent; returns the arrival delays the receiver measured. */
        const paced = async (pool: typeof rawPool, path: string, server: Server, wrap: boolean): Promise<number[]> => {
          await server.latencies()
          const before = await server.count()
          const t0 = performance.now()
          const sent: Array<Promise<unknown>> = []
          for (let i = 0; i < n; i++) {
            const due = t0 + i * 2
            const wait = due - performance.now()
            if (wait > 0.5) await sleep(wait)
            const e = egEvent(i, { sentAt: performance.timeOrigin + performance.now() })
            sent.push(pool.request({ method: 'POST', path, headers: { 'content-type': 'application/json' }, body: JSON.stringify(wrap ? [e] : e) }).then(async (r) => { await r.body.dump() }))
          }
          await Promise.all(sent)
          await received(server, before + n)
          return await server.latencies()
        }
        await paced(rawPool, '/hook', raw!, false)
        await paced(egPool, '/topics/bench/api/events', receiver!, true)
        const base: number[][] = []
        const emu: number[][] = []
        for (let p = 0; p < sizes.passes; p++) {
          base.push(await paced(rawPool, '/hook', raw!, false))
          emu.push(await paced(egPool, '/topics/bench/api/events', receiver!, true))
        }
        await rawPool.close()
        await egPool.close()
        const p99 = (xs: number[][]): number[] => xs.map((x) => percentile(x, 0.99))
        return [{
          what: 'publish → delivery latency at 500 ev/s, p99 (baseline: client → raw Fastify)',
          unit: 'ms',
          baseline: p99(base),
          emulator: p99(emu),
          target: 'p99 < 2 ms',
          meets: (e) => e < 2,
          note: (i) => `p50 ${percentile(emu[i]!, 0.5).toFixed(2)} ms, max ${Math.max(...emu[i]!).toFixed(1)} ms`
        }]
      })
    })
  }
}

async function freePort (): Promise<number> {
  return await new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => { const { port } = s.address() as { port: number }; s.close(() => { resolve(port) }) })
  })
}

/**
 * The node that runs the cold-start rows: BENCH_NODE (e.g. a Node 22 binary, the Docker image's runtime, which can
 * keep a compile cache) or the one running the bench.
 */
const STARTUP_NODE = process.env.BENCH_NODE ?? process.execPath
/** The compile cache of the cold-start rows (Node >= 22.1 only; emptied at the start of the suite). */
const COMPILE_CACHE = join(ROOT, 'bench', '.tmp', 'compile-cache')

/** ms from spawn to the first 200 from /healthz, polling every 2 ms. */
async function coldStart (args: string[], env: Record<string, string> = {}): Promise<number> {
  const port = await freePort()
  const t0 = performance.now()
  const child = spawn(STARTUP_NODE, args.map((a) => a.replace('PORT', String(port))), { cwd: ROOT, stdio: 'ignore', env: { ...process.env, NODE_COMPILE_CACHE: COMPILE_CACHE, ...env } })
  try {
    for (;;) {
      try {
        const res = await request(`http://127.0.0.1:${port}/healthz`)
        await res.body.dump()
        if (res.statusCode === 200) return performance.now() - t0
      } catch { /* not listening yet */ }
      if (child.exitCode !== null) throw new Error(`${args.join(' ')} exited with ${child.exitCode}`)
      await sleep(2)
    }
  } finally {
    const exited = new Promise((resolve) => child.once('exit', resolve))
    child.kill('SIGTERM')
    await exited
  }
}

/**
 * A Fastify server with one route, bundled into one file the way scripts/bundle-cli.ts bundles the CLI (the same
 * left-out packages, Fastify's HTTPS and HTTP/2 modules loaded on first use) and given the same lazy schema
 * compilers: what a Fastify app costs to start before any of the emulator's own code runs. Written under
 * bench/.tmp/ (git-ignored).
 */
async function minimalFastifyBundle (): Promise<string> {
  const { build } = await import('esbuild')
  const { BUNDLE_EXTERNAL, deferredRequiresPlugin } = await import('../scripts/bundle-cli.js')
  const dir = join(ROOT, 'bench', '.tmp')
  mkdirSync(dir, { recursive: true })
  const entry = join(dir, 'minimal-fastify.mjs')
  writeFileSync(entry, [
    "import Fastify from 'fastify'",
    "import { lazySchemaCompilers } from '../../src/server/schema-compilers.ts'",
    'const app = Fastify({ ...lazySchemaCompilers() })',
    "app.get('/healthz', async () => 'ok')",
    "await app.listen({ host: '127.0.0.1', port: Number(process.argv[2]) })",
    ''
  ].join('\n'))
  const outfile = join(dir, 'minimal-fastify.bundle.mjs')
  await build({ entryPoints: [entry], outfile, bundle: true, platform: 'node', format: 'esm', target: 'node20.18', logLevel: 'error', nodePaths: [join(ROOT, 'node_modules')], external: BUNDLE_EXTERNAL, plugins: [deferredRequiresPlugin], banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" } })
  return outfile
}

const startup: Suite = {
  id: 'startup',
  title: 'cold start, spawn → /healthz 200',
  async run (sizes) {
    rmSync(COMPILE_CACHE, { recursive: true, force: true })
    const version = execFileSync(STARTUP_NODE, ['-p', "process.version + ' ' + typeof require('node:module').enableCompileCache"], { encoding: 'utf8' }).trim().split(' ')
    const cacheable = version[1] === 'function'
    const on = ` (Node ${version[0]}${cacheable ? ', compile cache warm' : ''})`
    const bare = ['-e', "require('http').createServer((q, s) => s.end('ok')).listen(PORT, '127.0.0.1')"]
    const cli = ['bin/eventgrid-emulator.js', 'serve', '--port', 'PORT']
    const fastify = [await minimalFastifyBundle(), 'PORT']
    // The built-in config, read from a file as a user's config is: what the YAML parser and the validators add.
    const { DEFAULT_CONFIG_YAML } = await import('../src/config/default-config.js')
    const configFile = join(ROOT, 'bench', '.tmp', 'built-in-config.yaml')
    writeFileSync(configFile, DEFAULT_CONFIG_YAML)
    const withFile = [...cli, '--config', configFile]
    const noCache = { NODE_DISABLE_COMPILE_CACHE: '1' }
    // The warm-up runs also fill the compile cache (Node writes it when a process exits normally).
    await coldStart(bare)
    await coldStart(cli)
    await coldStart(fastify)
    await coldStart(withFile)
    const base: number[] = []
    const emu: number[] = []
    const floor: number[] = []
    const fromFile: number[] = []
    const cold: number[] = []
    for (let p = 0; p < sizes.passes; p++) {
      base.push(await coldStart(bare))
      emu.push(await coldStart(cli))
      floor.push(await coldStart(fastify))
      fromFile.push(await coldStart(withFile))
      if (cacheable) cold.push(await coldStart(cli, noCache))
    }
    const rows: Row[] = [
      { what: `cold start of a minimal Fastify app (one route, bundled with esbuild as the CLI is)${on}`, unit: 'ms', baseline: base, emulator: floor, target: '—', baselineLabel: 'bare Node http' },
      { what: `cold start, spawn → /healthz 200 (bundled CLI, built-in config)${on}`, unit: 'ms', baseline: base, emulator: emu, target: '≤ 2×', meets: (_e, r) => r !== undefined && r <= 2, baselineLabel: 'bare Node http' },
      // The same start against the Fastify floor: what the emulator's own start (its code, routes, handshakes) adds.
      { what: `the same against the minimal Fastify app's cold start${on}`, unit: 'ms', baseline: floor, emulator: emu, target: '—', baselineLabel: 'minimal Fastify' },
      { what: `the same config read from a file (\`serve --config built-in-config.yaml\`: YAML parser and validators loaded)${on}`, unit: 'ms', baseline: emu, emulator: fromFile, target: '—', baselineLabel: 'built-in config' }
    ]
    if (cacheable) rows.push({ what: `the same without the compile cache (NODE_DISABLE_COMPILE_CACHE=1, Node ${version[0]})`, unit: 'ms', baseline: base, emulator: cold, target: '—', baselineLabel: 'bare Node http' })
    return rows
  }
}

/** A transport that answers `status` on the next turn of the event loop: the engine alone is measured. */
function instant (status: number): Transport {
  return {
    send: async () => { await new Promise((resolve) => setImmediate(resolve)); return { status, headers: {}, body: '', durationMs: 0 } },
    close: async () => {},
    destroy: async () => {}
  }
}

/** 1,000 subscriptions, 5 advanced filters each; an event of customer k matches the 5 with i % 200 = k % 200. */
function manySubscriptions (count: number, url: string): string {
  const groups = Math.max(1, Math.floor(count / 5))
  return topicYaml(Array.from({ length: count }, (_, i) => webhook(`sub-${i}`, url, '', `
          advancedFilters:
            - { operatorType: StringIn, key: data.customer, values: [c${i % groups}] }
            - { operatorType: NumberGreaterThan, key: data.n, value: -1 }
            - { operatorType: StringBeginsWith, key: subject, values: [/orders/] }
            - { operatorType: BoolEquals, key: data.flag, value: true }
            - { operatorType: IsNotNull, key: data.to }`)).join(''), 'limits: { maxPendingEventsPerTopic: 1000000 }')
}
const routedEvent = (i: number, groups: number): Record<string, unknown> => egEvent(i, { customer: `c${i % groups}`, flag: true, to: '+1' })

const routing: Suite = {
  id: 'routing',
  title: 'routing through many filtered subscriptions',
  async run (sizes) {
    const { parseConfig, startEmulator } = await emulatorModules()
    const groups = Math.max(1, Math.floor(sizes.subscriptions / 5))
    // In-process: the publish call itself (validation, routing, records), deliveries answered at once.
    const inProcess = async (yaml: string, n: number): Promise<number> => {
      const eg = await startEmulator({ port: 0, config: parseConfig(yaml, 'bench.yaml', {}), transport: instant(200) })
      try {
        const events = Array.from({ length: n }, (_, i) => routedEvent(i, groups))
        // Warm-up, not measured, the same for both rows: enough publishes for the JIT to settle (with 200, the
        // measured passes were still getting faster).
        for (let i = 0; i < 2000; i++) eg.publish('bench', [routedEvent(n + i, groups)])
        const topic = eg.emulator.topic('bench')!
        while (eg.emulator.backlog(topic) > 0) await sleep(5) // the warm-up's deliveries done before measuring
        const t0 = process.cpuUsage()
        for (const e of events) eg.publish('bench', [e])
        const used = process.cpuUsage(t0)
        return (used.user + used.system) / n
      } finally { await eg.close() }
    }
    const n = Math.max(200, Math.round(sizes.events / 4))
    const oneYaml = topicYaml(webhook('all', 'http://receiver.invalid/hook'), 'limits: { maxPendingEventsPerTopic: 1000000 }')
    const manyYaml = manySubscriptions(sizes.subscriptions, 'http://receiver.invalid/hook')
    const inBase: number[] = []
    const inEmu: number[] = []
    for (let p = 0; p < sizes.passes; p++) { inBase.push(await inProcess(oneYaml, n)); inEmu.push(await inProcess(manyYaml, n)) }
    // End to end: single-event publishes over HTTP, every matching subscription delivering to a raw receiver.
    const e2e = await withServers([['raw']], async ([receiver]) => {
      const hook = `${receiver!.url}/hook`
      return await withServers([['emulator', topicYaml(webhook('all', hook))], ['emulator', manySubscriptions(sizes.subscriptions, hook)]], async ([one, many]) => {
        let delivered = 0
        const run = async (eg: Server, perEvent: number, count: number): Promise<{ cpu: number, rate: number }> => {
          const pool = client(eg.url)
          try {
            return await pass(eg, count, async () => {
              await post(pool, '/topics/bench/api/events', count, (i) => JSON.stringify([routedEvent(i, groups)]))
              delivered += count * perEvent
              await received(receiver!, delivered)
            })
          } finally { await pool.close() }
        }
        const matching = Math.min(5, sizes.subscriptions)
        const m = Math.max(200, Math.round(sizes.events / 4))
        await run(one!, 1, Math.ceil(m / 4))
        await run(many!, matching, Math.ceil(m / 4))
        const base: Array<{ cpu: number, rate: number }> = []
        const emu: Array<{ cpu: number, rate: number }> = []
        for (let p = 0; p < sizes.passes; p++) { base.push(await run(one!, 1, m)); emu.push(await run(many!, matching, m)) }
        return { base, emu }
      })
    })
    const label = `${sizes.subscriptions.toLocaleString('en')} subscriptions × 5 advanced filters, 5 match`
    return [
      { what: `${label}: in-process publish CPU per event`, unit: 'µs', baseline: inBase, emulator: inEmu, target: '< 100 µs', meets: (e) => e < 100, baselineLabel: '1 unfiltered subscription' },
      { what: `${label}: server CPU per published event over HTTP`, unit: 'µs', baseline: e2e.base.map((r) => r.cpu), emulator: e2e.emu.map((r) => r.cpu), target: '—', baselineLabel: '1 unfiltered subscription' },
      { what: `${label}: publish rate over HTTP (each event fully delivered)`, unit: 'ev/s', baseline: e2e.base.map((r) => r.rate), emulator: e2e.emu.map((r) => r.rate), target: '≥ 0.5×', meets: (_e, r) => r !== undefined && r >= 0.5, baselineLabel: '1 unfiltered subscription' }
    ]
  }
}

const backlog: Suite = {
  id: 'backlog',
  title: 'draining a backlog (in-process, receiver answering at once)',
  async run (sizes) {
    const { parseConfig, startEmulator } = await emulatorModules()
    const drainRate = async (n: number): Promise<number> => {
      const eg = await startEmulator({ port: 0, config: parseConfig(topicYaml(webhook('hook', 'http://receiver.invalid/hook'), `limits: { maxPendingEventsPerTopic: ${n + 1} }`), 'bench.yaml', {}), transport: instant(200) })
      try {
        const topic = eg.emulator.topic('bench')!
        const t0 = performance.now()
        for (let i = 0; i < n; i += 1000) eg.publish('bench', Array.from({ length: Math.min(1000, n - i) }, (_, j) => egEvent(i + j)))
        while (eg.emulator.backlog(topic) > 0) await sleep(5)
        return n / ((performance.now() - t0) / 1000)
      } finally { await eg.close() }
    }
    const small = Math.round(sizes.backlog / 5)
    await drainRate(small)
    const base: number[] = []
    const emu: number[] = []
    for (let p = 0; p < sizes.passes; p++) { base.push(await drainRate(small)); emu.push(await drainRate(sizes.backlog)) }
    return [{ what: `drain a ${(sizes.backlog / 1000).toFixed(0)}k backlog (publish + drain)`, unit: 'ev/s', baseline: base, emulator: emu, target: '≥ 0.8× (flat)', meets: (_e, r) => r !== undefined && r >= 0.8, baselineLabel: `${(small / 1000).toFixed(0)}k backlog` }]
  }
}

const memory: Suite = {
  id: 'memory',
  title: 'heap held by pending retries',
  async run (sizes) {
    // A fresh process per pass, for --expose-gc and a heap nothing else has used (an earlier pass's garbage
    // would count as 'before').
    const passes: Array<{ baseMB: number, heapMB: number, logMB: number }> = []
    for (let p = 0; p < sizes.passes; p++) {
      const out = execFileSync(process.execPath, ['--expose-gc', '--import', 'tsx', 'bench/lib/retries.ts', String(sizes.retries), '1'], { cwd: ROOT, encoding: 'utf8' })
      passes.push(...JSON.parse(out.trim().split('\n').pop()!) as typeof passes)
    }
    return [{
      what: `${(sizes.retries / 1000).toFixed(0)}k pending retries: heap growth`,
      unit: 'MB',
      emulator: passes.map((p) => p.heapMB),
      target: '≤ 60 MB',
      meets: (e) => e <= 60,
      note: (i) => `of which the delivery log's Failed records ≈ ${passes[i]!.logMB.toFixed(0)} MB; heap before ${passes[i]!.baseMB.toFixed(0)} MB`
    }]
  }
}

const caps: Suite = {
  id: 'caps',
  title: 'heap held by the caps that count bytes, once full',
  async run (sizes) {
    // bench/lib/caps.ts fills each store in a fresh process (--expose-gc); one pass of it per pass here.
    type Held = Record<'deliveryLog' | 'sink' | 'deadLetters', { heapMB: number, kept: number }>
    const passes: Held[] = []
    for (let p = 0; p < sizes.passes; p++) {
      const out = execFileSync(process.execPath, ['--expose-gc', '--import', 'tsx', 'bench/lib/caps.ts', String(sizes.capMiB), '1'], { cwd: ROOT, encoding: 'utf8' })
      passes.push(...JSON.parse(out.trim().split('\n').pop()!) as Held[])
    }
    const cap = sizes.capMiB
    const row = (store: keyof Held, what: string, kept: string): Row => ({
      what: `${what} at its byte cap, heap held (~1 KB ACS events)`,
      unit: 'MiB',
      baseline: passes.map(() => cap),
      emulator: passes.map((p) => p[store].heapMB),
      target: 'measured',
      baselineLabel: 'the cap',
      note: (i) => `${passes[i]![store].kept.toLocaleString('en')} ${kept}`
    })
    // The ratio is what a user sizing a container multiplies a cap by (docs/limits.md).
    return [
      row('deliveryLog', 'delivery log (`limits.deliveryLog.maxBytes`)', 'Delivered records'),
      row('sink', 'built-in sink (`limits.sink.maxTotalBytes`)', 'requests'),
      row('deadLetters', 'dead-letter listing (`limits.deadLetterListing.maxBytes`)', 'dead letters')
    ]
  }
}

const durable: Suite = {
  id: 'durable',
  title: 'durable mode (--data-dir) against in-memory',
  async run (sizes) {
    // bench/durable.ts measures both modes in one process; one round of it per pass, so the runner takes the medians.
    const batches = Math.max(50, Math.round(sizes.batched / 100))
    const num = (out: string, re: RegExp): number => Number(re.exec(out)?.[1] ?? NaN)
    const passes = Array.from({ length: sizes.passes }, () => {
      const out = execFileSync(process.execPath, ['--import', 'tsx', 'bench/durable.ts', String(batches), '1'], { cwd: ROOT, encoding: 'utf8' })
      return {
        memory: num(out, /in-memory \(baseline\): \d+ ms {2}\((\d+) events\/s\)/),
        durable: num(out, /durable \(--data-dir\): \d+ ms {2}\((\d+) events\/s\)/),
        startBase: num(out, /start without a data dir \(baseline\): (\d+) ms/),
        restart: num(out, /start replaying the journal: (\d+) ms/)
      }
    })
    return [{
      what: 'publish, batches of 100, 8 publishers: durable vs in-memory',
      unit: 'ev/s',
      baseline: passes.map((p) => p.memory),
      emulator: passes.map((p) => p.durable),
      target: '≥ 0.5×',
      meets: (_e, r) => r !== undefined && r >= 0.5,
      baselineLabel: 'in-memory'
    }, {
      what: 'restart with 100k pending retries in the journal',
      unit: 'ms',
      baseline: passes.map((p) => p.startBase),
      emulator: passes.map((p) => p.restart),
      target: 'measured',
      baselineLabel: 'start without a data dir'
    }]
  }
}

export const SUITES: Suite[] = [singleEvents, latency, startup, routing, backlog, memory, caps, durable]

export { median }
