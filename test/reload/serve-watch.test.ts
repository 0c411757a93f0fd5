/**
 * `serve --watch` as a real process: it says it watches, applies an edit of the file (one summary log line), keeps
 * running on a broken edit, and still exits 0 on SIGTERM (the watcher does not hold the process).
 */
import { spawn } from 'node:child_process'
import { resolve } from 'node:path'
import t from 'tap'
import { request } from 'undici'
import { configFile, replaceFile } from '../helpers/reload.js'

const config = (types: string): string => `topics:\n  orders:\n    subscriptions:\n      to-sink:\n        destination: { endpointType: WebHook, properties: { endpointUrl: /sink/orders } }\n        filter: { includedEventTypes: [${types}] }\n`

t.test('serve --config FILE --watch', async (t) => {
  const file = await configFile(t, config('Shop.A'))
  const entry = resolve(import.meta.dirname, '../helpers/cli-entry.ts')
  const child = spawn(process.execPath, ['--import', 'tsx', entry, 'serve', '--config', file, '--watch', '--port', '0', '--data-dir', t.testdir()], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, LOG_LEVEL: 'info' } })
  t.teardown(() => { if (child.exitCode === null) child.kill('SIGKILL') })
  let stdout = ''
  const waiters: Array<() => void> = []
  child.stdout.on('data', (c: Buffer) => { stdout += c.toString(); for (const w of waiters.splice(0)) w() })
  /** Resolves with the first match of `re` in stdout (already there or yet to come); the output is the event. */
  const seen = async (re: RegExp): Promise<RegExpExecArray> => {
    for (;;) {
      const m = re.exec(stdout)
      if (m !== null) return m
      await new Promise<void>((resolve) => waiters.push(resolve))
    }
  }
  const url = (await seen(/listening on (http:\/\/\S+)/))[1]!
  t.equal((await seen(/watching (\S+) for changes \(or POST \/admin\/reload\)/))[1], file)

  await replaceFile(file, config('Shop.A, Shop.B'))
  await seen(/"msg":"config reloaded from [^"]*: ~subscription orders\/to-sink"/)
  const publish = await request(`${url}/topics/orders/api/events`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify([{ id: 'b1', eventType: 'Shop.B', subject: 's', eventTime: '2024-05-01T12:00:00Z', data: {} }]) })
  t.equal(publish.statusCode, 200)
  await publish.body.dump()

  await replaceFile(file, 'topics: [\n')
  await seen(/"level":50,[^\n]*"msg":"config reload failed, the previous config keeps running:\\n[^"]*config\.yaml:\d+:\d+ /)
  const topics = await request(`${url}/admin/topics`)
  t.match(await topics.body.json(), { value: [{ name: 'orders', subscriptions: [{ name: 'to-sink' }] }] }, 'still serving the previous config')

  const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => { resolve(code) }))
  child.kill('SIGTERM')
  t.equal(await exit, 0, 'graceful exit code 0')
})
