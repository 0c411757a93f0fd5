/**
 * The durability promise against a real crash: `serve --data-dir` in a child process, SIGKILL while retries are
 * scheduled (and, in the second test, while publishers are sending), a restart on the same data dir, and an
 * account of every event that got a 200: delivered (duplicates allowed and counted) or dead-lettered with a reason.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:http'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import t, { type Test } from 'tap'
import { request } from 'undici'

const entry = resolve(import.meta.dirname, '../helpers/cli-entry.ts')

interface Serve { url: string, child: ChildProcess, exited: Promise<void> }

async function serve (t: Test, configFile: string, dir: string): Promise<Serve> {
  const child = spawn(process.execPath, ['--import', 'tsx', entry, 'serve', '--config', configFile, '--port', '0', '--data-dir', dir], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, LOG_LEVEL: 'warn' } })
  const exited = new Promise<void>((resolve) => child.on('exit', () => { resolve() }))
  t.teardown(async () => { if (child.exitCode === null && child.signalCode === null) { child.kill('SIGKILL'); await exited } })
  let stdout = ''
  let stderr = ''
  child.stderr.on('data', (c: Buffer) => { stderr += c.toString() })
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => { reject(new Error(`no listening line: ${stdout}${stderr}`)) }, 30_000)
    child.stdout.on('data', (c: Buffer) => {
      stdout += c.toString()
      const m = /listening on (http:\/\/\S+)/.exec(stdout)
      if (m !== null) { clearTimeout(timer); resolve(m[1]!) }
    })
    exited.then(() => { clearTimeout(timer); reject(new Error(`serve exited: ${stdout}${stderr}`)) }, () => {})
  })
  return { url, child, exited }
}

async function kill9 (s: Serve): Promise<void> {
  s.child.kill('SIGKILL')
  await s.exited
}

/** The webhook: `/hook` answers per `mode`, `/dl` always 500. Counts what it answered 2xx per event id. */
async function receiver (t: Test): Promise<{ url: string, mode: { hook: 'fail' | 'ok' | 'every-third-fails' }, ok: Map<string, number>, requests: () => number, waitForRequests: (n: number) => Promise<void> }> {
  const mode = { hook: 'fail' as 'fail' | 'ok' | 'every-third-fails' }
  const ok = new Map<string, number>()
  let requests = 0
  const waiters: Array<() => void> = []
  const server = createServer((req, res) => {
    let body = ''
    req.on('data', (c: Buffer) => { body += c.toString() })
    req.on('end', () => {
      requests++
      for (const w of waiters.splice(0)) w()
      const hook = req.url === '/hook'
      const pass = hook && (mode.hook === 'ok' || (mode.hook === 'every-third-fails' && requests % 3 !== 0))
      if (pass) for (const e of JSON.parse(body) as Array<{ id: string }>) ok.set(e.id, (ok.get(e.id) ?? 0) + 1)
      res.statusCode = pass ? 200 : 500
      res.end()
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  t.teardown(() => { server.closeAllConnections(); server.close() })
  const waitForRequests = async (n: number): Promise<void> => {
    await new Promise<void>((resolve) => {
      const check = (): void => { if (requests >= n) resolve(); else waiters.push(check) }
      check()
    })
  }
  return { url: `http://127.0.0.1:${(server.address() as { port: number }).port}`, mode, ok, requests: () => requests, waitForRequests }
}

function setup (t: Test, receiverUrl: string): { dir: string, configFile: string } {
  const dir = mkdtempSync(join(tmpdir(), 'eg-crash-'))
  t.teardown(() => { rmSync(dir, { recursive: true, force: true }) })
  const configFile = join(dir, 'config.yaml')
  // timeScale 0.01: retries after 0.1 s, 0.3 s, 0.6 s, 3 s, ... so a crash lands among scheduled retries.
  writeFileSync(configFile, `
delivery: { timeScale: 0.01 }
topics:
  orders:
    subscriptions:
      hook:
        validation: skip
        retryPolicy: { maxDeliveryAttempts: 30 }
        destination: { endpointType: WebHook, properties: { endpointUrl: "${receiverUrl}/hook" } }
      dead-lettering:
        validation: skip
        retryPolicy: { maxDeliveryAttempts: 2 }
        deadLetterDestination: { endpointType: StorageBlob, properties: { resourceId: "/subscriptions/x/resourceGroups/r/providers/Microsoft.Storage/storageAccounts/local", blobContainerName: dead } }
        destination: { endpointType: WebHook, properties: { endpointUrl: "${receiverUrl}/dl" } }
`)
  return { dir: join(dir, 'data'), configFile }
}

function batch (prefix: string, n: number): Array<Record<string, unknown>> {
  return Array.from({ length: n }, (_, i) => ({ id: `${prefix}-${i}`, subject: 's', eventType: 'T', eventTime: '2024-05-01T12:00:00Z', data: { i } }))
}

async function publish (url: string, events: unknown[]): Promise<number> {
  const res = await request(`${url}/topics/orders/api/events`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(events) })
  await res.body.dump()
  return res.statusCode
}

interface Rec { eventIds: string[], subscription: string, outcome: string, reason?: string }
async function deliveries (url: string): Promise<Rec[]> {
  const res = await request(`${url}/admin/deliveries`)
  return (await res.body.json() as { value: Rec[] }).value
}

/** Polls until every acked id is delivered to `hook` (per the receiver) and settled for `dl`; returns what it saw. */
async function accountFor (t: Test, url: string, acked: Set<string>, ok: Map<string, number>): Promise<void> {
  const deadline = Date.now() + 40_000
  let missing: string[] = []
  let unsettled: string[] = []
  let records: Rec[] = []
  while (Date.now() < deadline) {
    missing = [...acked].filter((id) => !ok.has(id))
    records = await deliveries(url)
    const settled = new Set(records.filter((r) => r.subscription === 'dead-lettering' && ['DeadLettered', 'Dropped', 'Delivered'].includes(r.outcome)).flatMap((r) => r.eventIds))
    unsettled = [...acked].filter((id) => !settled.has(id))
    if (missing.length === 0 && unsettled.length === 0) break
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
  t.same(missing, [], `every one of ${acked.size} acknowledged events reached the hook endpoint`)
  t.same(unsettled, [], 'every acknowledged event has a final record for the dead-lettering subscription')
  const lost = records.filter((r) => r.outcome === 'Dropped' && r.eventIds.some((id) => acked.has(id)))
  t.same(lost.map((r) => r.reason), [], 'none was dropped')
  const dead = records.filter((r) => r.subscription === 'dead-lettering' && r.outcome === 'DeadLettered')
  t.ok(dead.every((r) => /^MaxDeliveryAttemptsExceeded; written to dead\//.test(r.reason ?? '')), 'dead-lettered with the reason and the file')
  const duplicates = [...ok.values()].filter((n) => n > 1).length
  t.comment(`${acked.size} events acknowledged; ${duplicates} delivered more than once (at-least-once after a crash)`)
}

t.test('SIGKILL among scheduled retries: after a restart every accepted event is delivered or dead-lettered', async (t) => {
  t.setTimeout(90_000)
  const rx = await receiver(t)
  const { dir, configFile } = setup(t, rx.url)
  const first = await serve(t, configFile, dir)
  const acked = new Set<string>()
  for (let i = 0; i < 10; i++) {
    const events = batch(`b${i}`, 10)
    t.equal(await publish(first.url, events), 200)
    for (const e of events) acked.add(e.id as string)
  }
  // 100 events × 2 subscriptions, first attempts and the first retries: then retries are scheduled, none delivered.
  await rx.waitForRequests(300)
  await kill9(first)
  t.equal(rx.ok.size, 0, 'nothing was delivered before the crash')

  rx.mode.hook = 'ok'
  const second = await serve(t, configFile, dir)
  await accountFor(t, second.url, acked, rx.ok)
  await kill9(second)
})

t.test('SIGKILL under load: every event that got a 200 is accounted for after the restart', async (t) => {
  t.setTimeout(90_000)
  const rx = await receiver(t)
  rx.mode.hook = 'every-third-fails'
  const { dir, configFile } = setup(t, rx.url)
  const first = await serve(t, configFile, dir)
  const acked = new Set<string>()
  const run = { stop: false }
  let refused = 0
  const publisher = async (p: number): Promise<void> => {
    for (let i = 0; !run.stop; i++) {
      const events = batch(`p${p}-${i}`, 10)
      try {
        if (await publish(first.url, events) === 200) for (const e of events) acked.add(e.id as string)
      } catch {
        refused++ // the connection died with the process: not acknowledged, not owed
      }
    }
  }
  const publishers = Array.from({ length: 6 }, async (_, p) => { await publisher(p) })
  while (acked.size < 1000) await new Promise((resolve) => setTimeout(resolve, 20))
  await kill9(first)
  run.stop = true
  await Promise.all(publishers)
  t.comment(`${acked.size} events acknowledged before the kill; ${refused} requests cut by it`)

  rx.mode.hook = 'ok'
  const second = await serve(t, configFile, dir)
  await accountFor(t, second.url, acked, rx.ok)
  await kill9(second)
})
