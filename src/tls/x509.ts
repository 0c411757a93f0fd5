/**
 * A self-signed X.509 v3 certificate made with node:crypto only: an ECDSA P-256 key pair, a DER-encoded
 * TBSCertificate (RFC 5280) signed with ecdsa-with-SHA256. No dependency and no `openssl` binary, so it works in
 * slim container images. node:crypto's X509Certificate parses the result (see test/tls/x509.test.ts).
 *
 * The certificate is an end-entity certificate (CA:FALSE, serverAuth) that is its own issuer, so a client trusts
 * exactly this certificate (e.g. via NODE_EXTRA_CA_CERTS) and nothing it could sign.
 */
import { createHash, generateKeyPairSync, randomBytes, sign, type KeyObject } from 'node:crypto'
import { isIP } from 'node:net'
import { emulatorError } from '../errors.js'

export interface SelfSignedOptions {
  commonName: string
  dnsNames: string[]
  ipAddresses: string[]
  /** Validity start (default: now minus one hour, tolerating small clock skew). */
  notBefore?: Date
  validityDays: number
}

export interface SelfSigned {
  /** PEM "CERTIFICATE". */
  cert: string
  /** PEM "PRIVATE KEY" (PKCS#8). */
  key: string
}

export function createSelfSignedCertificate (options: SelfSignedOptions): SelfSigned {
  const { publicKey, privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' })
  const notBefore = options.notBefore ?? new Date(Date.now() - 3_600_000)
  const notAfter = new Date(notBefore.getTime() + options.validityDays * 86_400_000)
  const spki = publicKey.export({ type: 'spki', format: 'der' })
  const name = seq(set(seq(oid('2.5.4.3'), utf8(options.commonName))))
  const keyId = createHash('sha1').update(subjectPublicKeyBits(spki)).digest()
  const sigAlg = seq(oid('1.2.840.10045.4.3.2')) // ecdsa-with-SHA256, no parameters

  const extensions = seq(
    extension('2.5.29.19', true, seq()), // basicConstraints: CA:FALSE (the empty sequence)
    extension('2.5.29.15', true, bitString(Buffer.from([0x80]), 7)), // keyUsage: digitalSignature
    extension('2.5.29.37', false, seq(oid('1.3.6.1.5.5.7.3.1'))), // extKeyUsage: serverAuth
    extension('2.5.29.17', false, seq( // subjectAltName
      ...options.dnsNames.map((d) => tlv(0x82, Buffer.from(d, 'ascii'))),
      ...options.ipAddresses.map((ip) => tlv(0x87, ipBytes(ip)))
    )),
    extension('2.5.29.14', false, octets(keyId)), // subjectKeyIdentifier
    extension('2.5.29.35', false, seq(tlv(0x80, keyId))) // authorityKeyIdentifier: keyIdentifier
  )
  const tbs = seq(
    tlv(0xa0, integer(Buffer.from([2]))), // version v3
    integer(serialNumber()),
    sigAlg,
    name,
    seq(time(notBefore), time(notAfter)),
    name,
    spki,
    tlv(0xa3, extensions)
  )
  const signature = sign('sha256', tbs, privateKey) // DER ECDSA-Sig-Value, as X.509 wants
  const cert = seq(tbs, sigAlg, bitString(signature, 0))
  return { cert: pem('CERTIFICATE', cert), key: exportKey(privateKey) }
}

function exportKey (key: KeyObject): string {
  return key.export({ type: 'pkcs8', format: 'pem' }).toString()
}

function pem (label: string, der: Buffer): string {
  const b64 = der.toString('base64').replace(/(.{64})/g, '$1\n').replace(/\n$/, '')
  return `-----BEGIN ${label}-----\n${b64}\n-----END ${label}-----\n`
}

/* ------------------------------------------------------------------------------------------ DER encoding */

function tlv (tag: number, value: Buffer): Buffer {
  const n = value.length
  let len: Buffer
  if (n < 0x80) len = Buffer.from([n])
  else {
    const bytes: number[] = []
    for (let v = n; v > 0; v = Math.floor(v / 256)) bytes.unshift(v & 0xff)
    len = Buffer.from([0x80 | bytes.length, ...bytes])
  }
  return Buffer.concat([Buffer.from([tag]), len, value])
}

const seq = (...items: Buffer[]): Buffer => tlv(0x30, Buffer.concat(items))
const set = (...items: Buffer[]): Buffer => tlv(0x31, Buffer.concat(items))
const octets = (b: Buffer): Buffer => tlv(0x04, b)
const utf8 = (s: string): Buffer => tlv(0x0c, Buffer.from(s, 'utf8'))
const bitString = (b: Buffer, unusedBits: number): Buffer => tlv(0x03, Buffer.concat([Buffer.from([unusedBits]), b]))

/** A non-negative INTEGER: strips redundant leading zeros, adds one when the high bit is set. */
function integer (b: Buffer): Buffer {
  let i = 0
  while (i < b.length - 1 && b[i] === 0 && (b[i + 1]! & 0x80) === 0) i++
  const v = b.subarray(i)
  return tlv(0x02, (v[0]! & 0x80) !== 0 ? Buffer.concat([Buffer.from([0]), v]) : v)
}

function oid (dotted: string): Buffer {
  const arcs = dotted.split('.').map(Number)
  const out: number[] = [40 * arcs[0]! + arcs[1]!]
  for (const arc of arcs.slice(2)) {
    const bytes = [arc & 0x7f]
    for (let v = Math.floor(arc / 128); v > 0; v = Math.floor(v / 128)) bytes.unshift(0x80 | (v & 0x7f))
    out.push(...bytes)
  }
  return tlv(0x06, Buffer.from(out))
}

function extension (id: string, critical: boolean, value: Buffer): Buffer {
  return seq(oid(id), ...(critical ? [tlv(0x01, Buffer.from([0xff]))] : []), octets(value))
}

/** UTCTime until 2049, GeneralizedTime from 2050 (RFC 5280 4.1.2.5). */
function time (d: Date): Buffer {
  const iso = d.toISOString() // 2025-01-02T03:04:05.678Z
  const digits = iso.slice(0, 19).replace(/[-T:]/g, '') // 20250102030405
  return d.getUTCFullYear() < 2050 ? tlv(0x17, Buffer.from(`${digits.slice(2)}Z`)) : tlv(0x18, Buffer.from(`${digits}Z`))
}

function serialNumber (): Buffer {
  const b = randomBytes(16)
  b[0] = (b[0]! & 0x7f) | 0x01 // positive, and 16 significant bytes
  return b
}

function ipBytes (ip: string): Buffer {
  const family = isIP(ip)
  if (family === 4) return Buffer.from(ip.split('.').map(Number))
  if (family !== 6) throw emulatorError(400, 'InvalidIpAddress', `not an IP address: ${ip}`)
  const [head, tail] = ip.includes('::') ? ip.split('::') as [string, string] : [ip, undefined]
  const groups = (s: string | undefined): number[] => (s === undefined || s === '' ? [] : s.split(':').map((g) => parseInt(g, 16)))
  const h = groups(head)
  const t = groups(tail)
  const all = tail === undefined ? h : [...h, ...new Array<number>(8 - h.length - t.length).fill(0), ...t]
  const out = Buffer.alloc(16)
  all.forEach((g, i) => out.writeUInt16BE(g, i * 2))
  return out
}

/** The subjectPublicKey BIT STRING's content (without the unused-bits byte), which the key identifier hashes. */
function subjectPublicKeyBits (spki: Buffer): Buffer {
  // SEQUENCE { AlgorithmIdentifier, BIT STRING }: skip the outer header, then the algorithm identifier.
  let i = headerLength(spki, 0)
  i += headerLength(spki, i) + contentLength(spki, i)
  const bitsStart = i + headerLength(spki, i)
  return spki.subarray(bitsStart + 1, bitsStart + contentLength(spki, i))
}

function headerLength (b: Buffer, at: number): number {
  const first = b[at + 1]!
  return first < 0x80 ? 2 : 2 + (first & 0x7f)
}

function contentLength (b: Buffer, at: number): number {
  const first = b[at + 1]!
  if (first < 0x80) return first
  let n = 0
  for (let k = 0; k < (first & 0x7f); k++) n = n * 256 + b[at + 2 + k]!
  return n
}
