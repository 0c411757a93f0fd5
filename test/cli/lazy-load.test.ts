/**
 * `serve` with the built-in config loads neither the config validators (src/config/validators.generated.ts) nor
 * the YAML parser before it listens: they are imported on first use (config/load-validators.ts, the config file
 * loader) or right after listening. Checked on the bundle bin/eventgrid-emulator.js runs, built into a temporary
 * directory as test/cli/bundle.test.ts does: from esbuild's metafile (what serve imports statically), by running
 * serve from a copy of the bundle without those chunks (it listens, then misses them), and by the first admin
 * PUTs right after start, which must get the same answers as when everything is loaded.
 */
import type { ChildProcess } from 'node:child_process'
import { copyFile, cp, rm } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import { build, type Metafile } from 'esbuild'
import t from 'tap'
import { bundleOptions } from '../../scripts/bundle-cli.js'
import { spawnServe } from '../helpers/spawn-serve.js'
import { composeEmulator } from '../../src/compose.js'
import { builtInConfig } from '../../src/config/default-config.js'
import { buildApp } from '../../src/server/build-app.js'

const repo = resolve(import.meta.dirname, '../..')
const dir = t.testdir({ full: { bin: {} }, stripped: { bin: {} } })
let metafile: Metafile

/** What loads only on first use: the generated validators and the `yaml` package. */
const LAZY = (input: string): boolean => input === 'src/config/validators.generated.ts' || /node_modules\/yaml\//.test(input)

t.before(async () => {
  const result = await build({ ...bundleOptions(join(dir, 'full/dist/bundle')), sourcemap: false, logLevel: 'silent', metafile: true })
  metafile = result.metafile
  for (const copy of ['full', 'stripped']) {
    await copyFile(join(repo, 'bin/eventgrid-emulator.js'), join(dir, copy, 'bin/eventgrid-emulator.js'))
    await copyFile(join(repo, 'package.json'), join(dir, copy, 'package.json'))
  }
  await cp(join(dir, 'full/dist'), join(dir, 'stripped/dist'), { recursive: true })
})

/** The modules a module needs before it runs: its static imports, transitively (dynamic `import()` excluded). */
function staticClosure (from: string): Set<string> {
  const seen = new Set([from])
  const queue = [from]
  for (let file = queue.shift(); file !== undefined; file = queue.shift()) {
    for (const i of metafile.inputs[file]?.imports ?? []) {
      if (i.kind === 'dynamic-import' || i.external === true || seen.has(i.path)) continue
      seen.add(i.path)
      queue.push(i.path)
    }
  }
  return seen
}

t.test('serve imports neither the validators nor yaml statically; both are in the bundle, loaded on demand', async (t) => {
  const serve = staticClosure('src/cli/commands/serve.ts')
  t.ok(serve.has('src/compose.ts') && serve.has('src/server/build-app.ts'), 'the walk follows serve\'s imports')
  t.same([...serve].filter(LAZY), [], 'nothing serve loads before it runs is lazy code')
  t.notOk(serve.has('src/config/load-config.ts'), 'the config file loader is imported for a file only')
  const inputs = Object.keys(metafile.inputs)
  t.ok(inputs.includes('src/config/validators.generated.ts') && inputs.some((i) => /node_modules\/yaml\//.test(i)), 'both are bundled')
})

async function stop (child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null) return child.exitCode
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve))
  child.kill('SIGTERM')
  return await exited
}

t.test('serve from a bundle without the validators\' and yaml\'s chunks runs until a request needs them', async (t) => {
  const lazyChunks = Object.entries(metafile.outputs).filter(([, out]) => Object.keys(out.inputs).some(LAZY)).map(([file]) => file.replace(/^.*\//, ''))
  t.ok(lazyChunks.length >= 1, `chunks holding them: ${lazyChunks.join(', ')}`)
  for (const file of lazyChunks) await rm(join(dir, 'stripped/dist/bundle', file))
  // Without their chunks, serve starts and answers, with or without a data dir (whose journal holds no runtime
  // subscription; the Docker image always has one): nothing loads them until an admin PUT needs them.
  for (const dataDir of [null, 'data']) {
    const how = dataDir === null ? 'without a data dir' : 'with an empty data dir'
    const { child, url } = await spawnServe('bin/eventgrid-emulator.js', join(dir, 'stripped'), dataDir)
    t.teardown(async () => { await stop(child) })
    t.equal((await fetch(`${url}/healthz`)).status, 200, `/healthz answers, ${how}`)
    const published = await fetch(`${url}/topics/events/api/events?api-version=2018-01-01`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify([{ id: 'lazy-1', eventType: 'Demo.Created', subject: 'a', eventTime: new Date().toISOString(), data: {}, dataVersion: '1' }]) })
    t.equal(published.status, 200, `a publish is accepted, ${how}`)
    const put = await fetch(`${url}/admin/topics/events/subscriptions/needs-them`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ destination: { endpointType: 'WebHook', properties: { endpointUrl: '/sink/x' } } }) })
    t.equal(put.status, 500, `the first PUT is what needs them, ${how}`)
    t.match(await put.json(), { error: { code: 'InternalServerError' } }, 'answered in Event Grid\'s error shape')
    t.equal(await stop(child), 0)
  }
})

t.test('a journal holding a runtime subscription: the restart loads the validators before restoring it', async (t) => {
  const body = { destination: { endpointType: 'WebHook', properties: { endpointUrl: '/sink/kept' } } }
  const first = await spawnServe('bin/eventgrid-emulator.js', join(dir, 'full'), 'journal')
  t.teardown(async () => { await stop(first.child) })
  const put = await fetch(`${first.url}/admin/topics/events/subscriptions/kept`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })
  t.equal(put.status, 201)
  t.equal(await stop(first.child), 0)
  const second = await spawnServe('bin/eventgrid-emulator.js', join(dir, 'full'), 'journal')
  t.teardown(async () => { await stop(second.child) })
  const got = await fetch(`${second.url}/admin/topics/events/subscriptions/kept`)
  t.equal(got.status, 200, 'restored from the journal')
  t.match(await got.json(), { name: 'kept', properties: { destination: { properties: { endpointUrl: '/sink/kept' } } } })
  t.equal(await stop(second.child), 0)
})

/** Bad bodies for the admin routes that check bodies with the validators, and what an app with them loaded says. */
const BAD_SUBSCRIPTION = { destination: { endpointType: 'WebHook', properties: { endpointUrl: 'ftp://x' } }, retryPolicy: { maxDeliveryAttempts: 99 } }
const BAD_OUTCOMES = { rules: [{ to: '+1', status: 'Delivered', colour: 'red' }] }

async function reference (): Promise<{ subscription: { status: number, body: unknown }, outcomes: { status: number, body: unknown } }> {
  const emulator = composeEmulator(builtInConfig())
  const app = buildApp(emulator)
  try {
    const put = async (url: string, payload: unknown): Promise<{ status: number, body: unknown }> => {
      const res = await app.inject({ method: 'PUT', url, payload: payload as Record<string, unknown> })
      return { status: res.statusCode, body: res.json() }
    }
    return { subscription: await put('/admin/topics/events/subscriptions/bad-one', BAD_SUBSCRIPTION), outcomes: await put('/admin/acs/outcomes', BAD_OUTCOMES) }
  } finally {
    await app.close()
    await emulator.close(0)
  }
}

t.test('the first PUTs right after start get the same 400 bodies as when the validators are loaded', async (t) => {
  const expected = await reference()
  t.equal(expected.subscription.status, 400)
  t.match(expected.subscription.body, { error: { code: 'BadRequest', message: /Invalid subscription 'bad-one':\n/ } })
  t.equal(expected.outcomes.status, 400)
  const { child, url } = await spawnServe('bin/eventgrid-emulator.js', join(dir, 'full'), null)
  t.teardown(async () => { await stop(child) })
  // Sent at once, together: both wait for the same first load of the validators.
  const [subscription, outcomes] = await Promise.all([
    fetch(`${url}/admin/topics/events/subscriptions/bad-one`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify(BAD_SUBSCRIPTION) }),
    fetch(`${url}/admin/acs/outcomes`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify(BAD_OUTCOMES) })
  ])
  t.same({ status: subscription.status, body: await subscription.json() }, expected.subscription)
  t.same({ status: outcomes.status, body: await outcomes.json() }, expected.outcomes)
  const good = await fetch(`${url}/admin/topics/events/subscriptions/good-one`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ destination: { endpointType: 'WebHook', properties: { endpointUrl: '/sink/good' } } }) })
  t.equal(good.status, 201)
  t.equal(await stop(child), 0)
})
