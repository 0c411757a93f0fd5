/**
 * Signs a request the way @azure/communication-common's access-key policy does, written out independently of
 * src/domain/acs-messaging so the tests check the emulator against the SDK's algorithm, not against itself.
 */
import { createHash, createHmac } from 'node:crypto'

export interface SignOptions { method: string, url: string, host: string, body?: string, key: string, date?: Date }

export function acsHeaders (o: SignOptions): Record<string, string> {
  const body = o.body ?? ''
  const date = (o.date ?? new Date()).toUTCString()
  const hash = createHash('sha256').update(body).digest('base64')
  const url = new URL(o.url, `http://${o.host}`)
  const query = url.searchParams.toString()
  const stringToSign = `${o.method}\n${query === '' ? url.pathname : `${url.pathname}?${query}`}\n${date};${o.host};${hash}`
  const signature = createHmac('sha256', Buffer.from(o.key, 'base64')).update(stringToSign).digest('base64')
  return {
    host: o.host,
    'x-ms-date': date,
    'x-ms-content-sha256': hash,
    authorization: `HMAC-SHA256 SignedHeaders=x-ms-date;host;x-ms-content-sha256&Signature=${signature}`,
    ...(o.body !== undefined ? { 'content-type': 'application/json' } : {})
  }
}
