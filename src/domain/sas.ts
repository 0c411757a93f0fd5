/**
 * Shared access signature verification for the publish API (reference §1.3).
 *
 * Clients build `r=<urlencoded resource>&e=<urlencoded expiry>&s=<urlencoded base64 HMAC>` where the HMAC is
 * computed over the already-encoded `r=…&e=…` text. Encoders differ (.NET lower-case hex and `+`, JS upper-case
 * hex and `%20`), so we sign the left-hand part exactly as received instead of decoding and re-encoding it.
 */
import { createHmac, timingSafeEqual } from 'node:crypto'

export type SasResult =
  | { ok: true }
  | { ok: false, status: 400 | 401, message: string }

const FORMAT_HINT = 'Valid format: r=UrlEncodedResource&e=UrlEncodedUtcExpiration&s=UrlEncodedSignature.'

/**
 * Where a token was presented: `endpoint` is the request's `host/path` (no scheme, no query) and `base` the
 * shortest resource that still names this topic (`host` for a topic's own port, `host/topics/<name>` on the
 * shared port). A token is scoped like Azure's: its `r=` must name this endpoint or a path above it, down to `base`.
 */
export interface SasScope { endpoint: string, base: string }

export function verifySasToken (token: string, keys: readonly string[], now: Date, scope?: SasScope): SasResult {
  const cut = token.lastIndexOf('&s=')
  const unsigned = cut >= 0 ? token.slice(0, cut) : ''
  const params = new Map<string, string>()
  for (const part of unsigned.split('&')) {
    const eq = part.indexOf('=')
    if (eq > 0) params.set(part.slice(0, eq), part.slice(eq + 1))
  }
  const r = params.get('r')
  const e = params.get('e')
  if (cut < 0 || r === undefined || e === undefined) {
    return { ok: false, status: 400, message: `Invalid key in aeg-sas-token. ${FORMAT_HINT} Input sas string: ${token}.` }
  }
  const expiry = parseExpiry(e)
  if (expiry === undefined) {
    return { ok: false, status: 400, message: `Invalid expiration '${safeDecode(e)}' in aeg-sas-token: expected a UTC time such as '6/5/2020 12:09:03 PM' or ISO-8601. ${FORMAT_HINT}` }
  }
  if (expiry.getTime() <= now.getTime()) {
    return { ok: false, status: 401, message: `The SAS token expired at ${expiry.toISOString()}; create a new token.` }
  }
  // `+` is a legal base64 character: percent-decode only, never turn `+` into a space.
  const given = Buffer.from(safeDecode(token.slice(cut + 3)), 'base64')
  let signed = false
  for (const key of keys) {
    const expected = createHmac('sha256', Buffer.from(key, 'base64')).update(unsigned).digest()
    if (expected.length === given.length && timingSafeEqual(expected, given)) signed = true
  }
  if (!signed) return { ok: false, status: 401, message: 'The SAS token signature does not match any key of this topic.' }
  if (scope !== undefined && !resourceCovers(safeDecode(r), scope)) {
    return { ok: false, status: 401, message: `The SAS token is for resource '${safeDecode(r)}', which does not match the topic endpoint '${scope.endpoint}' it was sent to. Generate the token for this endpoint URL.` }
  }
  return { ok: true }
}

/** Scheme, query, case and a trailing slash do not matter; the path must stop at a segment boundary. */
export function resourceCovers (resource: string, scope: SasScope): boolean {
  const r = normalizeResource(resource)
  const endpoint = normalizeResource(scope.endpoint)
  const base = normalizeResource(scope.base)
  if (r.length < base.length) return false
  return endpoint === r || endpoint.startsWith(`${r}/`)
}

function normalizeResource (url: string): string {
  return url.replace(/^[a-z][a-z0-9+.-]*:\/\//i, '').split(/[?#]/)[0]!.replace(/\/+$/, '').toLowerCase()
}

/** Constant-time comparison of a presented access key against the topic's keys. */
export function verifyAccessKey (presented: string, keys: readonly string[]): boolean {
  const given = Buffer.from(presented)
  let ok = false
  for (const key of keys) {
    const k = Buffer.from(key)
    if (k.length === given.length && timingSafeEqual(k, given)) ok = true
  }
  return ok
}

function safeDecode (s: string): string {
  try { return decodeURIComponent(s) } catch { return s }
}

const US_DATE = /^(\d{1,2})\/(\d{1,2})\/(\d{4}) (\d{1,2}):(\d{2}):(\d{2}) ?(AM|PM)$/i

/** Accepts .NET's `M/d/yyyy h:mm:ss tt` and ISO-8601 (with `T` or a space; naive values are UTC). */
export function parseExpiry (raw: string): Date | undefined {
  // .NET's UrlEncode writes spaces as `+` and a literal `+` as %2B, so turn `+` into a space before decoding.
  const text = safeDecode(raw.replace(/\+/g, ' ')).trim()
  const us = US_DATE.exec(text)
  if (us !== null) {
    const [, mo, d, y, h, mi, s, ampm] = us
    let hour = Number(h) % 12
    if (ampm!.toUpperCase() === 'PM') hour += 12
    return new Date(Date.UTC(Number(y), Number(mo) - 1, Number(d), hour, Number(mi), Number(s)))
  }
  // Python's str(datetime) gives `2020-06-05 12:09:03.123456+00:00`: a space instead of `T`.
  const iso = text.replace(' ', 'T')
  const hasZone = /(Z|[+-]\d{2}:?\d{2})$/i.test(iso)
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(iso)) return undefined
  const date = new Date(hasZone ? iso : `${iso}Z`)
  return Number.isNaN(date.getTime()) ? undefined : date
}
