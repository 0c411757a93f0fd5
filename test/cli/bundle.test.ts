/**
 * The bundled CLI (scripts/bundle-cli.ts), which bin/eventgrid-emulator.js runs: built into a temporary copy of
 * the package layout (bin/, dist/bundle/, package.json) and run as a real process — serve answers /healthz and
 * delivers to the built-in sink (the transport's undici chunk), and the other verbs load their own chunks.
 */
import { execFile } from 'node:child_process'
import { copyFile, mkdir, readdir, readFile, writeFile } from 'node:fs/promises'
import module from 'node:module'
import { join, resolve } from 'node:path'
import { promisify } from 'node:util'
import { build } from 'esbuild'
import t from 'tap'
import { Agent, fetch as undiciFetch } from 'undici'
import { spawnServe } from '../helpers/spawn-serve.js'
import { bundleOptions } from '../../scripts/bundle-cli.js'

const run = promisify(execFile)
const repo = resolve(import.meta.dirname, '../..')
const dir = t.testdir({
  bin: {}, scripts: {}, 'sink.yaml': `
name: an SMS reaches the built-in sink
steps:
  - id: sms
    emit: { type: sms-received, data: { message: hello } }
  - expect: { subscription: acs-to-sink, eventId: "\${steps.sms.id}", status: 200 }
`
})
const bin = join(dir, 'bin/eventgrid-emulator.js')

t.before(async () => {
  await build({ ...bundleOptions(join(dir, 'dist/bundle')), sourcemap: false, logLevel: 'silent' })
  await copyFile(join(repo, 'bin/eventgrid-emulator.js'), bin)
  await copyFile(join(repo, 'scripts/warm-compile-cache.mjs'), join(dir, 'scripts/warm-compile-cache.mjs'))
  await copyFile(join(repo, 'package.json'), join(dir, 'package.json'))
})

const cli = async (args: string[]): Promise<string> => (await run(process.execPath, [bin, ...args], { cwd: dir, env: { ...process.env, LOG_LEVEL: 'warn' } })).stdout

t.test('the bundle keeps one chunk per verb, and the pino workers as entries of their own', async (t) => {
  const files = await readdir(join(dir, 'dist/bundle'))
  for (const name of ['cli.js', 'thread-stream-worker.js', 'pino-worker.js', 'pino-pretty.js']) t.ok(files.includes(name), name)
  for (const verb of ['serve', 'emit', 'events', 'scenario', 'tail', 'tables', 'config-check', 'filter-test']) {
    t.ok(files.some((f) => f.startsWith(`${verb}-`) && f.endsWith('.js')), `a chunk for ${verb}`)
  }
})

t.test('--version reads package.json from the bundle', async (t) => {
  const pkg = JSON.parse(await readFile(join(repo, 'package.json'), 'utf8')) as { version: string }
  t.equal(await cli(['--version']), `${pkg.version}\n`)
})

t.test('events, config check and scenario run work from the bundle', async (t) => {
  t.match(await cli(['events']), /sms-received\s+Microsoft\.Communication\.SMSReceived/)
  await writeFile(join(dir, 'config.yaml'), 'topics:\n  orders:\n    subscriptions:\n      all:\n        destination: { endpointType: WebHook, properties: { endpointUrl: /sink/orders } }\n')
  t.match(await cli(['config', 'check', 'config.yaml']), /config\.yaml: OK \(1 topic, 1 subscription\)/)
  t.match(await cli(['scenario', 'run', 'sink.yaml']), /1 scenario: 1 passed, 0 failed/)
})

t.test('serve from the bundle answers /healthz, delivers to the built-in sink, and exits 0 on SIGTERM', async (t) => {
  await mkdir(join(dir, 'data'))
  const { child, url } = await spawnServe(bin, dir)
  const health = await fetch(`${url}/healthz`)
  t.equal(health.status, 200)
  t.same(await health.json(), { status: 'ok' })
  const published = await fetch(`${url}/topics/events/api/events?api-version=2018-01-01`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify([{ id: 'bundle-1', eventType: 'Demo.Created', subject: 'a', eventTime: new Date().toISOString(), data: {}, dataVersion: '1' }])
  })
  t.equal(published.status, 200)
  let seen: unknown[] = []
  for (let i = 0; i < 400 && seen.length === 0; i++) {
    seen = ((await (await fetch(`${url}/sink/default`)).json()) as { requests: Array<{ body: unknown }> }).requests
      .flatMap((r) => Array.isArray(r.body) ? r.body : []).filter((e) => (e as { id?: string }).id === 'bundle-1')
    if (seen.length === 0) await new Promise((resolve) => setTimeout(resolve, 25)) // polling a delivery that is in flight, not a back-off
  }
  t.equal(seen.length, 1, 'delivered to the built-in sink through the bundled undici chunk')
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve))
  child.kill('SIGTERM')
  t.equal(await exited, 0)
})

// Fastify's lib/server.js requires node:https and node:http2 at load, for HTTPS and HTTP/2 servers only; the bundle
// defers both (scripts/bundle-cli.ts), and compose.ts imports the TLS code only for HTTPS. A probe loaded with
// --require writes the Node modules loaded when the server starts listening.
const PROBE = `const net = require('node:net')
const listen = net.Server.prototype.listen
net.Server.prototype.listen = function (...args) {
  require('node:fs').writeFileSync(process.env.PROBE_OUT, process.moduleLoadList.filter((m) => m.startsWith('NativeModule ')).map((m) => m.slice(13)).join('\\n'))
  net.Server.prototype.listen = listen
  return listen.apply(this, args)
}
`

t.test('serve over plain HTTP loads neither https, http2 nor tls before it listens; --tls auto serves HTTPS from the bundle', async (t) => {
  const probe = join(dir, 'probe.cjs')
  const out = join(dir, 'modules.txt')
  await writeFile(probe, PROBE)
  process.env.PROBE_OUT = out
  t.teardown(() => { delete process.env.PROBE_OUT })
  const plain = await spawnServe(bin, dir, null, { nodeArgs: ['--require', probe] })
  const modules = (await readFile(out, 'utf8')).split('\n')
  t.ok(modules.includes('http'), 'the probe sees the modules loaded (http is one)')
  for (const name of ['https', 'http2', 'tls']) t.notOk(modules.includes(name), `${name} not loaded`)
  t.equal((await fetch(`${plain.url}/healthz`)).status, 200)
  const plainExit = new Promise((resolve) => plain.child.once('exit', resolve))
  plain.child.kill('SIGTERM')
  await plainExit

  const secure = await spawnServe(bin, dir, 'tls-data', { args: ['--tls', 'auto'] })
  t.match(secure.url, /^https:\/\//)
  const ca = await readFile(join(dir, 'tls-data/tls/cert.pem'), 'utf8')
  const agent = new Agent({ connect: { ca } })
  t.teardown(async () => { await agent.close() })
  const res = await undiciFetch(`${secure.url}/healthz`, { dispatcher: agent })
  t.equal(res.status, 200, 'HTTPS answered with the generated certificate')
  t.same(await res.json(), { status: 'ok' })
  const secureExit = new Promise((resolve) => secure.child.once('exit', resolve))
  secure.child.kill('SIGTERM')
  t.equal(await secureExit, 0)
})

// The Docker image runs scripts/warm-compile-cache.mjs at build time (Dockerfile). Node >= 22.1 has a compile cache
// (the image's Node 22 does); Node 20 has none, and the script must then do nothing and succeed.
t.test('warm-compile-cache fills NODE_COMPILE_CACHE by starting and stopping serve, or does nothing on a Node without one', async (t) => {
  const script = join(dir, 'scripts/warm-compile-cache.mjs')
  const cache = join(dir, 'compile-cache')
  const warm = async (env: Record<string, string>): Promise<{ code: number, stdout: string, stderr: string }> =>
    await run(process.execPath, [script], { cwd: dir, env: { PATH: process.env.PATH ?? '', ...env } })
      .then(({ stdout, stderr }) => ({ code: 0, stdout, stderr }), (err: { code: number, stdout: string, stderr: string }) => err)
  if (typeof (module as { enableCompileCache?: unknown }).enableCompileCache !== 'function') {
    const r = await warm({ NODE_COMPILE_CACHE: cache })
    t.equal(r.code, 0)
    t.equal(r.stdout, `warm-compile-cache: Node ${process.version} has no compile cache; nothing to do\n`)
    await t.rejects(readdir(cache), { code: 'ENOENT' }, 'no cache directory made')
    return
  }
  const unset = await warm({})
  t.equal(unset.code, 2)
  t.equal(unset.stderr, 'warm-compile-cache: set NODE_COMPILE_CACHE to the directory to fill\n')
  const r = await warm({ NODE_COMPILE_CACHE: cache })
  t.equal(r.code, 0, r.stderr)
  t.equal(r.stdout, `warm-compile-cache: cache written to ${cache}\n`)
  const [versionDir] = await readdir(cache)
  t.ok((await readdir(join(cache, versionDir!))).length >= 5, 'one cache file per compiled bundle file')
})
