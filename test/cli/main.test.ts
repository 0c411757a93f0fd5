import { spawn } from 'node:child_process'
import { resolve } from 'node:path'
import t from 'tap'
import { request } from 'undici'
import { runCli } from '../../src/cli/main.js'

function io () {
  const out = { stdout: '', stderr: '' }
  return { out, io: { stdout: (s: string) => { out.stdout += s }, stderr: (s: string) => { out.stderr += s }, env: {} } }
}

t.test('help, version and unknown commands', async (t) => {
  const a = io()
  t.equal(await runCli(['--help'], a.io), 0)
  t.match(a.out.stdout, /Commands:[\s\S]*emit[\s\S]*scenario run/)
  const b = io()
  t.equal(await runCli(['--version'], b.io), 0)
  t.match(b.out.stdout, /^\d+\.\d+\.\d+\n$/)
  const c = io()
  t.equal(await runCli(['frobnicate'], c.io), 2)
  t.match(c.out.stderr, /Unknown command 'frobnicate'/)
  const d = io()
  t.equal(await runCli(['config', 'chek', 'x.yaml'], d.io), 2)
  t.match(d.out.stderr, /Unknown command 'config chek'/)
})

t.test('serve rejects bad options with usage and exit 2, bad config with exit 1', async (t) => {
  const a = io()
  t.equal(await runCli(['serve', '--port', 'abc'], a.io), 2)
  t.match(a.out.stderr, /--port must be an integer >= 0 and <= 65535, got 'abc'/)
  const b = io()
  t.equal(await runCli(['serve', '--bogus'], b.io), 2)
  t.match(b.out.stderr, /Unknown option '--bogus'/)
  const dir = t.testdir({ 'bad.yaml': 'server:\n  prot: 1\n' })
  const c = io()
  t.equal(await runCli(['serve', '--config', `${dir}/bad.yaml`, '--port', '0'], c.io), 1)
  t.match(c.out.stderr, /bad\.yaml:2:3 server\.prot: unknown key 'prot'/)
})

t.test('serve as a real process: listens, delivers, and exits 0 on SIGTERM after in-flight work', async (t) => {
  const entry = resolve(import.meta.dirname, '../helpers/cli-entry.ts')
  const child = spawn(process.execPath, ['--import', 'tsx', entry, 'serve', '--port', '0', '--data-dir', t.testdir()], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, LOG_LEVEL: 'warn' } })
  let stdout = ''
  child.stdout.on('data', (c: Buffer) => { stdout += c.toString() })
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => { reject(new Error(`no listening line: ${stdout}`)) }, 20_000)
    child.stdout.on('data', () => {
      const m = /listening on (http:\/\/\S+)/.exec(stdout)
      if (m !== null) { clearTimeout(timer); resolve(m[1]!) }
    })
  })
  t.match(stdout, /\/topics\/acs\/api\/events/)
  t.match(stdout, /^ {2}acs: endpoint=http:\/\/127\.0\.0\.1:\d+\/;accesskey=[A-Za-z0-9+/]+=*$/m, 'the ACS connection string is printed at start')
  const health = await request(`${url}/healthz`)
  t.equal(health.statusCode, 200)
  await health.body.dump()
  const sim = await request(`${url}/topics/acs/simulate`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"eventType":"sms-received"}' })
  t.equal(sim.statusCode, 200)
  await sim.body.dump()
  const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => { resolve(code) }))
  child.kill('SIGTERM')
  t.equal(await exit, 0, 'graceful exit code 0')
})

t.test('command groups answer --help, and a mistyped command gets a did-you-mean', async (t) => {
  for (const [group, usage] of [['config', /Usage: eventgrid-emulator config check FILE/], ['scenario', /Usage: eventgrid-emulator scenario run/], ['filter', /Usage: eventgrid-emulator filter test/]] as const) {
    const a = io()
    t.equal(await runCli([group, '--help'], a.io), 0, `${group} --help exits 0`)
    t.match(a.out.stdout, usage, `${group} --help shows the usage of its command`)
    const b = io()
    t.equal(await runCli([group], b.io), 2, `${group} alone is a usage error`)
    t.match(b.out.stderr, new RegExp(`Usage: eventgrid-emulator ${group} \\w+ \\.\\.\\.`))
  }
  const c = io()
  t.equal(await runCli(['sreve'], c.io), 2)
  t.match(c.out.stderr, /^Unknown command 'sreve'\. Did you mean 'serve'\?/)
  const d = io()
  t.equal(await runCli(['config', 'chek', 'x.yaml'], d.io), 2)
  t.match(d.out.stderr, /^Unknown command 'config chek'\. Did you mean 'config check'\?/)
})
