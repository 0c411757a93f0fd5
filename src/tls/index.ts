/**
 * HTTPS when wanted. Plain HTTP is the default; `tls: { certFile, keyFile }` serves a certificate the user brings,
 * and `tls: 'auto'` serves a self-signed certificate for localhost / 127.0.0.1 / ::1 that is generated once and
 * cached in `<dataDir>/tls/` (or `./.eventgrid-emulator/tls/` without a data dir), so clients can trust it once
 * (NODE_EXTRA_CA_CERTS=<dir>/cert.pem, or the PEM from GET /admin/tls-cert).
 */
import { createPrivateKey, X509Certificate } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import { rootCertificates } from 'node:tls'
import { createSelfSignedCertificate } from './x509.js'
import { EmulatorError } from '../errors.js'

/** `'auto'`: self-signed, cached; `{ certFile, keyFile }`: PEM files. */
export type TlsOption = 'auto' | { certFile: string, keyFile: string }

export interface ResolvedTls {
  mode: 'auto' | 'files'
  /** PEM contents. */
  cert: string
  key: string
  certFile: string
  keyFile: string
  /** Auto mode: whether this start generated the certificate (false: the cached one was reused). */
  generated?: boolean
}

/** A TLS setting that cannot be used; the message names the option and the file. */
export class TlsError extends EmulatorError {
  constructor (message: string) {
    super('BadRequest', 400, 'InvalidTlsSettings', message)
    this.name = 'TlsError'
  }
}

/** The names the auto certificate covers: what a client on the same machine (or container) uses. */
export const AUTO_CERT_DNS_NAMES = ['localhost']
export const AUTO_CERT_IPS = ['127.0.0.1', '::1']
const AUTO_CERT_DAYS = 365
/** A cached certificate this close to expiry is replaced. */
const RENEW_BEFORE_MS = 7 * 86_400_000

export function autoCertDir (dataDir: string | undefined): string {
  return dataDir !== undefined ? resolve(dataDir, 'tls') : resolve('.eventgrid-emulator', 'tls')
}

export async function resolveTls (option: TlsOption, context: { dataDir?: string, now?: Date } = {}): Promise<ResolvedTls> {
  if (option === 'auto') return await loadOrCreateAutoCertificate(autoCertDir(context.dataDir), context.now)
  return await loadCertificateFiles(option.certFile, option.keyFile)
}

/** Reuses `<dir>/cert.pem` + `<dir>/key.pem` when they are valid for the next week and cover localhost, else makes new ones. */
export async function loadOrCreateAutoCertificate (dir: string, now = new Date()): Promise<ResolvedTls> {
  const certFile = join(dir, 'cert.pem')
  const keyFile = join(dir, 'key.pem')
  const cached = await readCached(certFile, keyFile, now)
  if (cached !== undefined) return { mode: 'auto', ...cached, certFile, keyFile, generated: false }

  const { cert, key } = createSelfSignedCertificate({
    commonName: 'eventgrid-emulator localhost',
    dnsNames: AUTO_CERT_DNS_NAMES,
    ipAddresses: AUTO_CERT_IPS,
    notBefore: new Date(now.getTime() - 3_600_000),
    validityDays: AUTO_CERT_DAYS
  })
  try {
    await mkdir(dir, { recursive: true })
    // Write-then-rename, key first: a reader never sees a half-written file.
    await writeFile(`${keyFile}.tmp`, key, { mode: 0o600 })
    await rename(`${keyFile}.tmp`, keyFile)
    await writeFile(`${certFile}.tmp`, cert)
    await rename(`${certFile}.tmp`, certFile)
  } catch (err) {
    throw new TlsError(`--tls auto: cannot write the self-signed certificate to ${dir}: ${(err as Error).message}. Set --data-dir (EVENTGRID_EMULATOR_DATA_DIR) to a writable directory.`)
  }
  return { mode: 'auto', cert, key, certFile, keyFile, generated: true }
}

async function readCached (certFile: string, keyFile: string, now: Date): Promise<{ cert: string, key: string } | undefined> {
  try {
    const [cert, key] = await Promise.all([readFile(certFile, 'utf8'), readFile(keyFile, 'utf8')])
    const x509 = new X509Certificate(cert)
    const usable = new Date(x509.validFrom).getTime() <= now.getTime() &&
      new Date(x509.validTo).getTime() - now.getTime() > RENEW_BEFORE_MS &&
      AUTO_CERT_DNS_NAMES.every((name) => x509.checkHost(name) !== undefined) &&
      AUTO_CERT_IPS.every((ip) => x509.checkIP(ip) !== undefined) &&
      x509.checkPrivateKey(createPrivateKey(key))
    return usable ? { cert, key } : undefined
  } catch {
    return undefined // missing, unreadable or not PEM: make a new one
  }
}

/** Reads a user's certificate (chain) and key, with a precise message for each way they can be wrong. */
export async function loadCertificateFiles (certFile: string, keyFile: string): Promise<ResolvedTls> {
  const cert = await readPem(certFile, '--tls-cert', 'certificate')
  const key = await readPem(keyFile, '--tls-key', 'private key')
  let x509: X509Certificate
  try {
    x509 = new X509Certificate(cert)
  } catch (err) {
    throw new TlsError(`--tls-cert: ${certFile} is not a PEM certificate (expected "-----BEGIN CERTIFICATE-----"): ${(err as Error).message}`)
  }
  let privateKey: ReturnType<typeof createPrivateKey>
  try {
    privateKey = createPrivateKey(key)
  } catch (err) {
    throw new TlsError(`--tls-key: ${keyFile} is not an unencrypted PEM private key: ${(err as Error).message}`)
  }
  if (!x509.checkPrivateKey(privateKey)) {
    throw new TlsError(`--tls-key: the key in ${keyFile} does not belong to the certificate in ${certFile} (${x509.subject.replace(/\n/g, ', ')}).`)
  }
  return { mode: 'files', cert, key, certFile: resolve(certFile), keyFile: resolve(keyFile) }
}

async function readPem (file: string, flag: string, what: string): Promise<string> {
  try {
    return await readFile(file, 'utf8')
  } catch (err) {
    const code = (err as { code?: string }).code
    const why = code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : code === 'EISDIR' ? 'it is a directory' : (err as Error).message
    throw new TlsError(`${flag}: cannot read the ${what} file ${resolve(file)}: ${why}.`)
  }
}

/**
 * The CA list for the emulator's own outgoing deliveries when it serves HTTPS: the public roots Node trusts,
 * NODE_EXTRA_CA_CERTS, and the emulator's certificate (so deliveries to its own https://…/sink/… work). A `ca`
 * option replaces Node's defaults, hence the roots are listed again.
 */
export function deliveryTrust (cert: string, env: Record<string, string | undefined>): string {
  const extra: string[] = []
  const extraFile = env.NODE_EXTRA_CA_CERTS
  if (extraFile !== undefined && extraFile !== '') {
    try { extra.push(readFileSync(extraFile, 'utf8')) } catch { /* Node itself warns about an unreadable file */ }
  }
  return [...rootCertificates, ...extra, cert].join('\n')
}
