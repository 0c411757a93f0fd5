/**
 * The dependency-free self-signed certificate: what node:crypto (OpenSSL) reads back from the DER we write, and a
 * real TLS handshake that verifies it for every name it claims.
 */
import { createPrivateKey, X509Certificate } from 'node:crypto'
import { execFileSync } from 'node:child_process'
import { writeFileSync } from 'node:fs'
import { createServer, get } from 'node:https'
import type { AddressInfo } from 'node:net'
import { join } from 'node:path'
import t from 'tap'
import { createSelfSignedCertificate } from '../../src/tls/x509.js'

const options = { commonName: 'eventgrid-emulator localhost', dnsNames: ['localhost'], ipAddresses: ['127.0.0.1', '::1'], validityDays: 365 }

t.test('an end-entity certificate for localhost, 127.0.0.1 and ::1, signed by its own key', async (t) => {
  const notBefore = new Date('2030-06-01T10:00:00Z')
  const { cert, key } = createSelfSignedCertificate({ ...options, notBefore })
  t.match(cert, /^-----BEGIN CERTIFICATE-----\n[A-Za-z0-9+/=\n]+-----END CERTIFICATE-----\n$/)
  t.match(key, /^-----BEGIN PRIVATE KEY-----\n/)
  const x = new X509Certificate(cert)
  t.equal(x.subject, 'CN=eventgrid-emulator localhost')
  t.equal(x.issuer, x.subject, 'self-issued')
  t.ok(x.verify(x.publicKey), 'self-signed: the signature verifies with its own public key')
  t.ok(x.checkPrivateKey(createPrivateKey(key)), 'the key belongs to the certificate')
  t.equal(x.ca, false, 'CA:FALSE — trusting it trusts nothing else')
  t.same(x.keyUsage, ['1.3.6.1.5.5.7.3.1'], 'extended key usage: serverAuth')
  t.equal(x.subjectAltName, 'DNS:localhost, IP Address:127.0.0.1, IP Address:0:0:0:0:0:0:0:1')
  t.equal(x.checkHost('localhost'), 'localhost')
  t.equal(x.checkIP('127.0.0.1'), '127.0.0.1')
  t.equal(x.checkIP('::1'), '::1')
  t.equal(x.checkHost('example.com'), undefined)
  t.equal(new Date(x.validFrom).toISOString(), '2030-06-01T10:00:00.000Z')
  t.equal(new Date(x.validTo).toISOString(), '2031-06-01T10:00:00.000Z')
  t.equal(x.publicKey.asymmetricKeyDetails?.namedCurve, 'prime256v1')
  t.match(x.serialNumber, /^[0-7][0-9A-F]{31}$/, 'a positive 128-bit serial number')
})

t.test('dates from 2050 on use GeneralizedTime; every certificate gets a new key and serial', async (t) => {
  const a = createSelfSignedCertificate({ ...options, notBefore: new Date('2049-12-31T23:00:00Z'), validityDays: 2 })
  const x = new X509Certificate(a.cert)
  t.equal(new Date(x.validFrom).toISOString(), '2049-12-31T23:00:00.000Z', 'UTCTime before 2050')
  t.equal(new Date(x.validTo).toISOString(), '2050-01-02T23:00:00.000Z', 'GeneralizedTime from 2050')
  const b = new X509Certificate(createSelfSignedCertificate(options).cert)
  t.not(b.serialNumber, x.serialNumber)
  t.not(b.fingerprint256, x.fingerprint256)
})

t.test('a TLS client that trusts only this certificate connects by name and by IP', async (t) => {
  const { cert, key } = createSelfSignedCertificate(options)
  const server = createServer({ cert, key }, (_req, res) => { res.end('ok') })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  t.teardown(() => { server.close() })
  const { port } = server.address() as AddressInfo
  // Always connects to 127.0.0.1; `servername` is the name the client expects (SNI + hostname check).
  const fetchWith = async (servername?: string): Promise<string> => await new Promise((resolve, reject) => {
    get({ host: '127.0.0.1', port, path: '/', ca: cert, ...(servername !== undefined ? { servername } : {}) }, (res) => {
      let body = ''
      res.on('data', (d: Buffer) => { body += d.toString() })
      res.on('end', () => { resolve(body) })
    }).on('error', reject)
  })
  t.equal(await fetchWith(), 'ok', 'IP 127.0.0.1')
  t.equal(await fetchWith('localhost'), 'ok', 'DNS localhost')
  await t.rejects(fetchWith('example.com'), /altnames|does not match/, 'other names are refused')
})

function hasOpenssl (): boolean {
  try { execFileSync('openssl', ['version'], { stdio: 'ignore' }); return true } catch { return false }
}

t.test('openssl agrees (when the openssl CLI is installed)', { skip: hasOpenssl() ? false : 'no openssl CLI' }, async (t) => {
  const dir = t.testdir()
  const { cert } = createSelfSignedCertificate(options)
  writeFileSync(join(dir, 'cert.pem'), cert)
  const out = execFileSync('openssl', ['verify', '-x509_strict', '-purpose', 'sslserver', '-CAfile', join(dir, 'cert.pem'), join(dir, 'cert.pem')], { encoding: 'utf8' })
  t.match(out, /: OK/)
})
