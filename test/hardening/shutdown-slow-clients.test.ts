/**
 * SIGTERM with slow-loris clients attached (each trickling one byte of a request every 200 ms) still exits
 * within the configured grace, and logs one summary line (before: the process stayed up until the clients left).
 */
import { spawn } from 'node:child_process'
import { writeFileSync } from 'node:fs'
import { connect, type Socket } from 'node:net'
import { join, resolve } from 'node:path'
import t from 'tap'
import { request } from 'undici'
import { openStream } from '../helpers/sse.js'

t.test('serve: SIGTERM with five slow-loris clients exits within server.shutdownGraceMs, with the summary line', async (t) => {
  const dir = t.testdir()
  const config = join(dir, 'c.yaml')
  writeFileSync(config, `
server: { shutdownGraceMs: 1000 }
topics:
  orders:
    subscriptions:
      hook:
        validation: skip
        destination: { endpointType: WebHook, properties: { endpointUrl: /sink/hook } }
`)
  const entry = resolve(import.meta.dirname, '../helpers/cli-entry.ts')
  const child = spawn(process.execPath, ['--import', 'tsx', entry, 'serve', '--config', config, '--port', '0', '--data-dir', dir], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, LOG_LEVEL: 'info' } })
  let stdout = ''
  child.stdout.on('data', (c: Buffer) => { stdout += c.toString() })
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => { reject(new Error(`no listening line: ${stdout}`)) }, 20_000)
    child.stdout.on('data', () => {
      const m = /listening on (http:\/\/\S+)/.exec(stdout)
      if (m !== null) { clearTimeout(timer); resolve(m[1]!) }
    })
  })
  // The summary expects no delivery in flight: watch the stream for the published event's delivery.
  const stream = await openStream(url, '?outcome=Delivered')
  const ok = await request(`${url}/topics/orders/api/events`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify([{ id: '1', subject: 's', eventType: 'T', eventTime: '2024-05-01T12:00:00Z', data: {} }]) })
  t.equal(ok.statusCode, 200)
  await ok.body.dump()
  await stream.next((m) => (m.eventIds as string[]).includes('1'))
  stream.close()

  const { port } = new URL(url)
  const sockets: Socket[] = []
  const timers: NodeJS.Timeout[] = []
  const sent: Array<Promise<void>> = []
  for (let i = 0; i < 5; i++) {
    const socket = connect(Number(port), '127.0.0.1')
    socket.on('error', () => {})
    sent.push(new Promise((resolve) => socket.write('POST /topics/orders/api/events HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n[', () => { resolve() })))
    timers.push(setInterval(() => { if (!socket.destroyed) socket.write(' ') }, 200))
    sockets.push(socket)
  }
  // Every slow request's headers are on the wire; a full round trip after them lets the server read them first
  // (instead of sleeping and hoping they were read).
  await Promise.all(sent)
  await (await request(`${url}/admin/stats`)).body.dump()
  const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => { resolve(code) }))
  const started = Date.now()
  child.kill('SIGTERM')
  const code = await exit
  const took = Date.now() - started
  for (const timer of timers) clearInterval(timer)
  for (const s of sockets) s.destroy()
  t.equal(code, 0, 'graceful exit code 0')
  t.ok(took < 1000 + 2000, `exited ${took} ms after SIGTERM (grace 1000 ms, plus process teardown)`)
  const summary = stdout.split('\n').filter((l) => l.includes('"msg":"shutdown:')).map((l) => JSON.parse(l) as Record<string, unknown>)
  t.equal(summary.length, 1, 'one summary line')
  t.match(summary[0], { inFlightRequests: 0, pendingDropped: 0, droppedTotal: 0, clientConnectionsCut: true, graceMs: 1000, keptInJournal: true, msg: 'shutdown: 0 deliveries were in flight, 0 events not delivered stay in the journal for the next start; slow client connections were cut at the grace' }, 'with a data dir, what was not delivered is kept for the next start')
})
