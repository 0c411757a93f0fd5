/**
 * ACS's HMAC-SHA256 request signing, as @azure/communication-common signs (createCommunicationAccessKeyCredentialPolicy):
 *   string to sign = VERB \n pathAndQuery \n x-ms-date;host;x-ms-content-sha256
 *   Authorization: HMAC-SHA256 SignedHeaders=x-ms-date;host;x-ms-content-sha256&Signature=base64(HMAC(base64-decoded key))
 * Pure: the caller passes the request's parts, the candidate keys and the current time.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto'

export interface SignedRequest {
  method: string
  /** The request target as received (`/sms?api-version=…`). */
  url: string
  headers: Record<string, string | string[] | undefined>
  rawBody: string
}

export interface KeyOwner { topic: string, key: string }

export type HmacResult = { ok: true, topic: string } | { ok: false, message: string }

/** ACS answers a stale or future x-ms-date with 401; its window is 15 minutes either way. */
export const MAX_CLOCK_SKEW_MS = 15 * 60_000

/** The default access key of an ACS topic without `acsAccessKey`: stable, derived from the topic name. */
export function defaultAcsAccessKey (topic: string): string {
  return createHash('sha256').update(`eventgrid-emulator acs access key ${topic}`).digest('base64')
}

export function contentHash (body: string): string {
  return createHash('sha256').update(body).digest('base64')
}

/**
 * The SDK signs `url.pathname` plus `url.searchParams.toString()`, which re-encodes the query; the server
 * normalizes the received target the same way so both sides sign the same text.
 */
export function signedPathAndQuery (url: string): string {
  const parsed = new URL(url, 'http://localhost')
  const query = parsed.searchParams.toString()
  return query === '' ? parsed.pathname : `${parsed.pathname}?${query}`
}

export function sign (key: string, stringToSign: string): string {
  return createHmac('sha256', Buffer.from(key, 'base64')).update(stringToSign).digest('base64')
}

const AUTH = /^HMAC-SHA256\s+SignedHeaders=([^&]+)&Signature=(.+)$/

/** Verifies the signature against every key; the one that matches names the topic the request belongs to. */
export function verifyHmac (request: SignedRequest, keys: readonly KeyOwner[], nowMs: number): HmacResult {
  const header = (name: string): string | undefined => {
    const v = request.headers[name]
    return Array.isArray(v) ? v[0] : v
  }
  const authorization = header('authorization')
  if (authorization === undefined) {
    return { ok: false, message: 'Missing Authorization header: sign the request with HMAC-SHA256 (use the connection string endpoint=…;accesskey=… with an ACS SDK).' }
  }
  const m = AUTH.exec(authorization.trim())
  if (m === null) {
    return { ok: false, message: `Authorization header is not 'HMAC-SHA256 SignedHeaders=x-ms-date;host;x-ms-content-sha256&Signature=…' (got '${authorization.slice(0, 40)}${authorization.length > 40 ? '…' : ''}').` }
  }
  const signedHeaders = m[1]!.split(';').map((h) => h.trim().toLowerCase())
  for (const required of ['host', 'x-ms-content-sha256']) {
    if (!signedHeaders.includes(required)) return { ok: false, message: `SignedHeaders must include '${required}', got '${m[1]!}'.` }
  }
  const dateName = signedHeaders.includes('x-ms-date') ? 'x-ms-date' : signedHeaders.includes('date') ? 'date' : undefined
  if (dateName === undefined) return { ok: false, message: `SignedHeaders must include 'x-ms-date', got '${m[1]!}'.` }
  const values: string[] = []
  for (const name of signedHeaders) {
    const value = header(name)
    if (value === undefined) return { ok: false, message: `Signed header '${name}' is missing from the request.` }
    values.push(value)
  }
  const date = Date.parse(header(dateName)!)
  if (Number.isNaN(date)) return { ok: false, message: `The ${dateName} header '${header(dateName)!}' is not an HTTP date (like '${new Date(nowMs).toUTCString()}').` }
  if (Math.abs(date - nowMs) > MAX_CLOCK_SKEW_MS) {
    return { ok: false, message: `The ${dateName} header '${header(dateName)!}' is more than 15 minutes away from the server time '${new Date(nowMs).toUTCString()}'.` }
  }
  if (header('x-ms-content-sha256') !== contentHash(request.rawBody)) {
    return { ok: false, message: 'Request \'x-ms-content-sha256\' differs from generated content hash.' }
  }
  const stringToSign = `${request.method.toUpperCase()}\n${signedPathAndQuery(request.url)}\n${values.join(';')}`
  const given = Buffer.from(m[2]!.trim(), 'base64')
  for (const owner of keys) {
    const expected = Buffer.from(sign(owner.key, stringToSign), 'base64')
    if (expected.length === given.length && timingSafeEqual(expected, given)) return { ok: true, topic: owner.topic }
  }
  // One answer for an unknown key and a wrong signature, as ACS: the key is what the signature proves.
  return { ok: false, message: 'Denied by the resource provider: the signature matches no ACS topic\'s access key (check accesskey= in the connection string; GET /admin/acs lists the keys).' }
}
