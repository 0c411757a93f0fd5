/**
 * `--tls auto` certificate caching: made once per data dir, reused by the next start, replaced when it is near
 * expiry, damaged, or its key does not match; a clear error when the directory cannot be written.
 */
import { X509Certificate } from 'node:crypto'
import { readFile, stat, writeFile } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import t from 'tap'
import { Agent, request } from 'undici'
import { startEmulator } from '../../src/index.js'
import { autoCertDir, loadOrCreateAutoCertificate, TlsError } from '../../src/tls/index.js'
import { config } from '../helpers/build.js'

async function adminCert (url: string, ca: string): Promise<string> {
  const dispatcher = new Agent({ connect: { ca } })
  try {
    const res = await request(`${url}/admin/tls-cert`, { dispatcher })
    return await res.body.text()
  } finally {
    await dispatcher.close()
  }
}

t.test('a second start with the same data dir reuses the cached certificate', async (t) => {
  const dataDir = t.testdir()
  const first = await startEmulator({ port: 0, tls: 'auto', dataDir, config: config('topics: {}'), env: {} })
  t.equal(first.tls?.generated, true)
  const pem = await readFile(join(dataDir, 'tls', 'cert.pem'), 'utf8')
  const servedFirst = await adminCert(first.url, pem)
  await first.close()

  const second = await startEmulator({ port: 0, tls: 'auto', dataDir, config: config('topics: {}'), env: {} })
  t.teardown(async () => { await second.close() })
  t.equal(second.tls?.generated, false, 'reused, not generated')
  t.equal(await readFile(join(dataDir, 'tls', 'cert.pem'), 'utf8'), pem, 'the file is unchanged')
  t.equal(await adminCert(second.url, pem), servedFirst, 'the same certificate is served (a client that trusted it once keeps working)')
})

t.test('files: cert.pem and key.pem (key readable by the owner only)', async (t) => {
  const dir = join(t.testdir(), 'tls')
  const made = await loadOrCreateAutoCertificate(dir)
  t.match(made, { mode: 'auto', certFile: join(dir, 'cert.pem'), keyFile: join(dir, 'key.pem'), generated: true })
  t.equal((await stat(made.keyFile)).mode & 0o777, 0o600)
  t.equal(await readFile(made.certFile, 'utf8'), made.cert)
  t.equal(await readFile(made.keyFile, 'utf8'), made.key)
  const x = new X509Certificate(made.cert)
  t.ok(new Date(x.validTo).getTime() - Date.now() > 360 * 86_400_000, 'valid for a year')
})

t.test('the cached certificate is replaced when it expires within a week, is damaged, or its key does not match', async (t) => {
  const root = t.testdir() // (one call per test: a second t.testdir() call empties the directory)
  const dir = join(root, 'tls')
  const made = await loadOrCreateAutoCertificate(dir)
  t.equal((await loadOrCreateAutoCertificate(dir)).generated, false)

  const validTo = new Date(new X509Certificate(made.cert).validTo)
  const sixDaysBefore = new Date(validTo.getTime() - 6 * 86_400_000)
  const renewed = await loadOrCreateAutoCertificate(dir, sixDaysBefore)
  t.equal(renewed.generated, true, 'renewed near expiry')
  t.not(renewed.cert, made.cert)
  t.ok(new Date(new X509Certificate(renewed.cert).validFrom).getTime() <= sixDaysBefore.getTime())

  await writeFile(join(dir, 'cert.pem'), 'not a certificate')
  t.equal((await loadOrCreateAutoCertificate(dir)).generated, true, 'damaged certificate file')

  const other = await loadOrCreateAutoCertificate(join(root, 'other'))
  await writeFile(join(dir, 'key.pem'), other.key)
  const fixed = await loadOrCreateAutoCertificate(dir)
  t.equal(fixed.generated, true, 'key of another certificate')
  t.equal((await loadOrCreateAutoCertificate(dir)).generated, false, 'and then reused again')
})

t.test('the directory: <data dir>/tls, else ./.eventgrid-emulator/tls', async (t) => {
  t.equal(autoCertDir('/var/lib/eg'), '/var/lib/eg/tls')
  t.equal(autoCertDir('rel'), resolve('rel', 'tls'))
  t.equal(autoCertDir(undefined), resolve('.eventgrid-emulator', 'tls'))
})

t.test('an unwritable place is a clear error naming the directory and the fix', async (t) => {
  const file = join(t.testdir({ 'a-file': 'x' }), 'a-file')
  const err: unknown = await startEmulator({ port: 0, tls: 'auto', dataDir: file, config: config('topics: {}'), env: {} }).then(() => undefined, (e: unknown) => e)
  t.ok(err instanceof TlsError, 'a TlsError')
  t.match((err as Error).message, `--tls auto: cannot write the self-signed certificate to ${join(file, 'tls')}`)
  t.match((err as Error).message, /--data-dir \(EVENTGRID_EMULATOR_DATA_DIR\)/)
})
