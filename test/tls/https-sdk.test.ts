/**
 * HTTPS end to end: `tls: 'auto'` (what `serve --tls auto` passes) in a fresh data dir; the official SDK
 * (EventGridPublisherClient, no allowInsecureConnection) publishes from a child process that trusts the certificate
 * only through NODE_EXTRA_CA_CERTS — as the README tells users to — and the emulator delivers to its own https sink.
 * Also: /admin/tls-cert, certificate files (--tls-cert/--tls-key), and that TLS really is verified.
 */
import { execFile } from 'node:child_process'
import { readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import t, { type Test } from 'tap'
import { Agent, request } from 'undici'
import { startEmulator, type RunningEmulator, type StartOptions } from '../../src/index.js'
import { createSelfSignedCertificate } from '../../src/tls/x509.js'
import { config } from '../helpers/build.js'

const KEY = 'dGxzLXRlc3Qta2V5'
const YAML = `
topics:
  orders:
    keys: ["${KEY}"]
    subscriptions:
      to-sink:
        destination: { endpointType: WebHook, properties: { endpointUrl: /sink/orders } }
`
const SDK_CHILD = fileURLToPath(new URL('./fixtures/sdk-publish.mjs', import.meta.url))

async function start (t: Test, options: Omit<StartOptions, 'config'>): Promise<RunningEmulator> {
  const eg = await startEmulator({ port: 0, config: config(YAML), env: {}, ...options })
  t.teardown(async () => { await eg.close() })
  return eg
}

/** Runs the SDK child; `extraCa` undefined => no NODE_EXTRA_CA_CERTS at all (only Node's bundled roots). */
async function publishWithSdk (endpoint: string, id: string, extraCa: string | undefined): Promise<{ code: number, stdout: string, stderr: string }> {
  const env: NodeJS.ProcessEnv = { ...process.env }
  delete env.NODE_EXTRA_CA_CERTS
  delete env.NODE_TLS_REJECT_UNAUTHORIZED
  if (extraCa !== undefined) env.NODE_EXTRA_CA_CERTS = extraCa
  return await new Promise((resolve) => {
    execFile(process.execPath, [SDK_CHILD, endpoint, KEY, id], { env, timeout: 30_000 }, (err, stdout, stderr) => {
      resolve({ code: err === null ? 0 : typeof err.code === 'number' ? err.code : 1, stdout, stderr })
    })
  })
}

async function get (url: string, ca?: string): Promise<{ status: number, type: string | undefined, body: string }> {
  const dispatcher = new Agent({ connect: ca !== undefined ? { ca } : {} })
  try {
    const res = await request(url, { dispatcher })
    const type = res.headers['content-type']
    return { status: res.statusCode, type: Array.isArray(type) ? type[0] : type, body: await res.body.text() }
  } finally {
    await dispatcher.close()
  }
}

t.test('tls auto: the SDK publishes over verified HTTPS (NODE_EXTRA_CA_CERTS) and the emulator delivers to its https sink', async (t) => {
  const root = t.testdir() // (one call per test: a second t.testdir() call empties the directory)
  const dataDir = join(root, 'data')
  const eg = await start(t, { tls: 'auto', dataDir })
  t.match(eg.url, /^https:\/\/127\.0\.0\.1:\d+$/)
  t.same(eg.tls, { mode: 'auto', certFile: join(dataDir, 'tls', 'cert.pem'), generated: true })
  const pem = await readFile(join(dataDir, 'tls', 'cert.pem'), 'utf8')

  const served = await get(`${eg.url}/admin/tls-cert`, pem)
  t.equal(served.status, 200)
  t.equal(served.type, 'application/x-pem-file')
  t.equal(served.body, pem, 'GET /admin/tls-cert serves the cached certificate')

  // A client saves that PEM and trusts it through NODE_EXTRA_CA_CERTS.
  const trusted = join(root, 'eventgrid-emulator.pem')
  await writeFile(trusted, served.body)
  const child = await publishWithSdk(`${eg.url}/topics/orders/api/events`, 'tls-event-1', trusted)
  t.equal(child.code, 0, `the SDK child succeeded (stderr: ${child.stderr})`)
  t.match(child.stdout, /sent/)

  const [record] = await eg.waitForDeliveries((r) => r.subscription === 'to-sink' && r.outcome === 'Delivered')
  t.ok(record)
  const [delivered] = eg.sink('orders').filter((r) => r.headers['aeg-event-type'] === 'Notification')
  const [event] = delivered!.body as Array<Record<string, unknown>>
  t.equal(event!.id, 'tls-event-1')
  t.same(event!.data, { over: 'https' })
})

t.test('TLS is really verified: without trusting the certificate the SDK refuses to connect', async (t) => {
  const eg = await start(t, { tls: 'auto', dataDir: t.testdir() })
  const child = await publishWithSdk(`${eg.url}/topics/orders/api/events`, 'never', undefined)
  t.equal(child.code, 1)
  t.match(child.stderr, /self[- ]signed certificate|unable to verify|SELF_SIGNED|UNABLE_TO_VERIFY/i)
  t.equal(eg.deliveries().length, 0, 'nothing was published')
})

t.test('GET /admin/tls-cert is a 404 with an Event Grid error body when not in auto mode', async (t) => {
  const eg = await start(t, {})
  t.match(eg.url, /^http:/)
  t.equal(eg.tls, undefined)
  const res = await get(`${eg.url}/admin/tls-cert`)
  t.equal(res.status, 404)
  t.match(JSON.parse(res.body), { error: { code: 'NotFound', message: /--tls auto/, details: [{ code: 'NotFound' }] } })
})

t.test('tls files: serves the given certificate, trusts it for its own deliveries, no /admin/tls-cert', async (t) => {
  const dir = t.testdir()
  const { cert, key } = createSelfSignedCertificate({ commonName: 'my-dev-cert', dnsNames: ['localhost'], ipAddresses: ['127.0.0.1'], validityDays: 30 })
  await writeFile(join(dir, 'cert.pem'), cert)
  await writeFile(join(dir, 'key.pem'), key)
  const eg = await start(t, { tls: { certFile: join(dir, 'cert.pem'), keyFile: join(dir, 'key.pem') } })
  t.match(eg.url, /^https:/)
  t.same(eg.tls, { mode: 'files', certFile: join(dir, 'cert.pem'), generated: undefined })

  const health = await get(`${eg.url}/healthz`, cert)
  t.equal(health.status, 200, 'the given certificate is served (verified against it)')
  t.equal((await get(`${eg.url}/admin/tls-cert`, cert)).status, 404)

  const child = await publishWithSdk(`${eg.url}/topics/orders/api/events`, 'files-1', join(dir, 'cert.pem'))
  t.equal(child.code, 0, `the SDK child succeeded (stderr: ${child.stderr})`)
  const [record] = await eg.waitForDeliveries((r) => r.outcome === 'Delivered')
  t.match(record, { subscription: 'to-sink', outcome: 'Delivered' })
})
