/**
 * The package as a user gets it: `npm pack`, install the tarball into an empty project (dependencies from the
 * local npm cache where it has them), then use the CLI through `npx`, the public API through `import`, and its
 * TypeScript types — all from that project, with nothing of this repository on the path.
 */
import { execFile } from 'node:child_process'
import { mkdir, readdir } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import { promisify } from 'node:util'
import t from 'tap'
import { spawnServe } from '../helpers/spawn-serve.js'

const run = promisify(execFile)
const repo = resolve(import.meta.dirname, '../..')
// Packing builds dist/ (the prepare script) and installing resolves the dependency tree: slow on a busy machine.
t.setTimeout(300_000)

const npm = async (args: string[], cwd: string): Promise<string> =>
  (await run('npm', [...args, '--no-audit', '--no-fund', '--loglevel=error'], { cwd, maxBuffer: 16 * 1024 * 1024, env: { ...process.env, npm_config_update_notifier: 'false' } })).stdout

const dir = t.testdir({
  project: {
    'package.json': JSON.stringify({ name: 'user-app', version: '1.0.0', private: true, type: 'module' }),
    'use-api.mjs': `
import { startEmulator } from 'eventgrid-emulator'
const eg = await startEmulator({ port: 0 })
eg.publish('events', [{ id: 'api-1', eventType: 'Demo.Created', subject: 'a', eventTime: new Date().toISOString(), data: { n: 1 }, dataVersion: '1' }])
const [record] = await eg.waitForDeliveries((r) => r.eventIds.includes('api-1') && r.outcome === 'Delivered')
const got = eg.sink('default').find((r) => r.headers['aeg-event-type'] === 'Notification')
console.log(JSON.stringify({ outcome: record.outcome, received: got.body[0].id }))
await eg.close()
`,
    'typed.ts': `
import { startEmulator, type DeliveryRecord, type RunningEmulator } from 'eventgrid-emulator'
const eg: RunningEmulator = await startEmulator({ port: 0, timeScale: 0.001 })
const records: DeliveryRecord[] = await eg.waitForDeliveries((r) => r.outcome === 'Delivered', 1, 1000)
// @ts-expect-error the types reject an unknown option
await startEmulator({ prot: 4000 })
export { records }
`,
    'tsconfig.json': JSON.stringify({
      compilerOptions: { module: 'NodeNext', moduleResolution: 'NodeNext', target: 'ES2023', strict: true, noEmit: true, skipLibCheck: false, types: ['node'], typeRoots: [join(repo, 'node_modules/@types')] },
      files: ['typed.ts']
    })
  },
  tarballs: {}
})
const project = join(dir, 'project')

t.test('npm pack produces a tarball with only what a user needs', async (t) => {
  const out = await npm(['pack', '--json', '--pack-destination', join(dir, 'tarballs')], repo)
  const [info] = JSON.parse(out.slice(out.indexOf('['))) as Array<{ filename: string, files: Array<{ path: string }> }>
  const paths = info!.files.map((f) => f.path)
  const topLevel = [...new Set(paths.map((p) => p.split('/')[0]))].sort()
  t.same(topLevel, ['LICENSE', 'README.md', 'bin', 'config.example.yaml', 'dist', 'package.json'])
  t.ok(paths.includes('dist/index.js') && paths.includes('dist/index.d.ts') && paths.includes('dist/cli/main.js'))
  t.notOk(paths.some((p) => p.endsWith('.map') || p.startsWith('src/') || p.startsWith('test/')), 'no sources, maps or tests')
  t.equal((await readdir(join(dir, 'tarballs'))).length, 1)
})

t.test('installed into an empty project: npx CLI, import, and types all work from there', async (t) => {
  const [tarball] = await readdir(join(dir, 'tarballs'))
  await npm(['install', '--prefer-offline', '--save-dev', join(dir, 'tarballs', tarball!)], project)

  const events = await run('npx', ['--no-install', 'eventgrid-emulator', 'events'], { cwd: project })
  t.match(events.stdout, /sms-received\s+Microsoft\.Communication\.SMSReceived/, 'npx eventgrid-emulator events')

  const check = await run('npx', ['--no-install', 'eventgrid-emulator', 'config', 'check', 'node_modules/eventgrid-emulator/config.example.yaml'], { cwd: project })
  t.match(check.stdout, /config\.example\.yaml: OK \(\d+ topics?, \d+ subscriptions?\)/, 'the shipped config.example.yaml is valid')

  const api = await run(process.execPath, ['use-api.mjs'], { cwd: project })
  t.same(JSON.parse(api.stdout), { outcome: 'Delivered', received: 'api-1' }, "import { startEmulator } from 'eventgrid-emulator'")

  await run(process.execPath, [join(repo, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.json'], { cwd: project })
  t.pass('the shipped types compile a strict TypeScript file that uses them')

  await mkdir(join(project, 'data'))
  // The installed bin itself (what npx runs), so SIGTERM reaches the emulator rather than an npx wrapper.
  const bin = join(project, 'node_modules/eventgrid-emulator/bin/eventgrid-emulator.js')
  const { child, url } = await spawnServe(bin, project)
  const published = await fetch(`${url}/topics/events/api/events?api-version=2018-01-01`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify([{ id: 'cli-1', eventType: 'Demo.Created', subject: 'a', eventTime: new Date().toISOString(), data: {}, dataVersion: '1' }])
  })
  t.equal(published.status, 200, 'npx eventgrid-emulator serve accepts a publish')
  let seen: unknown[] = []
  for (let i = 0; i < 200 && seen.length === 0; i++) {
    seen = ((await (await fetch(`${url}/sink/default`)).json()) as { requests: Array<{ body: Array<{ id: string }> }> }).requests
      .flatMap((r) => Array.isArray(r.body) ? r.body : []).filter((e) => (e as { id?: string }).id === 'cli-1')
    if (seen.length === 0) await new Promise((resolve) => setTimeout(resolve, 25)) // polling a delivery that is in flight, not a back-off
  }
  t.equal(seen.length, 1, 'and delivers it to the built-in sink')
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve))
  child.kill('SIGTERM')
  t.equal(await exited, 0, 'SIGTERM ends it with exit code 0')
})
