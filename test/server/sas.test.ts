import { createHmac } from 'node:crypto'
import t from 'tap'
import { parseExpiry, verifySasToken } from '../../src/domain/sas.js'

const KEY = 'bG9jYWwtZGV2LWtleQ=='
const NOW = new Date('2024-06-05T12:00:00Z')

/** Builds a token the way .NET's HttpUtility does: lower-case hex escapes and `+` for spaces. */
function dotnetToken (resource: string, expiry: string, key = KEY): string {
  const enc = (s: string): string => encodeURIComponent(s).replace(/%[0-9A-F]{2}/g, (m) => m.toLowerCase()).replace(/%20/g, '+')
  const unsigned = `r=${enc(resource)}&e=${enc(expiry)}`
  const sig = createHmac('sha256', Buffer.from(key, 'base64')).update(unsigned).digest('base64')
  return `${unsigned}&s=${enc(sig)}`
}

t.test('accepts a .NET-encoded token (lower-case hex, + for space)', async (t) => {
  t.same(verifySasToken(dotnetToken('http://localhost/api/events', '6/5/2024 1:00:00 PM'), [KEY], NOW), { ok: true })
})

t.test('tries every key', async (t) => {
  t.same(verifySasToken(dotnetToken('r', '6/5/2024 1:00:00 PM'), ['b3RoZXI=', KEY], NOW), { ok: true })
})

t.test('expired → 401 naming the expiry', async (t) => {
  const r = verifySasToken(dotnetToken('r', '6/5/2024 11:59:59 AM'), [KEY], NOW)
  t.same(r, { ok: false, status: 401, message: 'The SAS token expired at 2024-06-05T11:59:59.000Z; create a new token.' })
})

t.test('unparseable expiry → 400', async (t) => {
  const r = verifySasToken(dotnetToken('r', 'soon'), [KEY], NOW)
  t.equal(r.ok, false)
  t.match(r, { status: 400, message: /Invalid expiration 'soon'/ })
})

t.test('tampered resource → 401', async (t) => {
  const token = dotnetToken('http://a/api/events', '6/5/2024 1:00:00 PM').replace('http', 'https')
  t.match(verifySasToken(token, [KEY], NOW), { ok: false, status: 401 })
})

t.test('expiry formats: .NET, ISO with T, Python str(datetime), naive ISO as UTC', async (t) => {
  t.equal(parseExpiry('6%2f5%2f2024+1%3a02%3a03+PM')?.toISOString(), '2024-06-05T13:02:03.000Z')
  t.equal(parseExpiry('12/1/2024 12:00:00 AM')?.toISOString(), '2024-12-01T00:00:00.000Z')
  t.equal(parseExpiry('2024-06-05T12:09:03Z')?.toISOString(), '2024-06-05T12:09:03.000Z')
  t.equal(parseExpiry('2024-06-05%2012%3A09%3A03.123456%2B00%3A00')?.toISOString(), '2024-06-05T12:09:03.123Z')
  t.equal(parseExpiry('2024-06-05T12:09:03')?.toISOString(), '2024-06-05T12:09:03.000Z')
  t.equal(parseExpiry('tomorrow'), undefined)
})

t.test('a token is scoped to its resource: this endpoint or a path above it, down to the topic', async (t) => {
  const token = (r: string): string => dotnetToken(r, '6/5/2024 1:00:00 PM')
  const shared = { endpoint: 'localhost:4000/topics/orders/api/events', base: 'localhost:4000/topics/orders' }
  t.same(verifySasToken(token('http://localhost:4000/topics/orders/api/events?apiVersion=2018-01-01'), [KEY], NOW, shared), { ok: true }, 'the SDK form, query ignored')
  t.same(verifySasToken(token('https://LOCALHOST:4000/Topics/Orders/api/events/'), [KEY], NOW, shared), { ok: true }, 'scheme, case and trailing slash ignored')
  t.same(verifySasToken(token('http://localhost:4000/topics/orders'), [KEY], NOW, shared), { ok: true }, 'the topic itself')
  const other = verifySasToken(token('http://localhost:4000/topics/invoices/api/events'), [KEY], NOW, shared)
  t.same(other, { ok: false, status: 401, message: "The SAS token is for resource 'http://localhost:4000/topics/invoices/api/events', which does not match the topic endpoint 'localhost:4000/topics/orders/api/events' it was sent to. Generate the token for this endpoint URL." })
  t.match(verifySasToken(token('http://localhost:4000/'), [KEY], NOW, shared), { ok: false, status: 401 }, 'the whole host is not this topic on the shared port')
  t.match(verifySasToken(token('http://localhost:4000/topics/ord'), [KEY], NOW, shared), { ok: false, status: 401 }, 'prefixes stop at a segment boundary')
  t.match(verifySasToken(token('http://127.0.0.1:4000/topics/orders/api/events'), [KEY], NOW, shared), { ok: false, status: 401 }, 'another host name')
  const own = { endpoint: 'localhost:5001/api/events', base: 'localhost:5001' }
  t.same(verifySasToken(token('https://localhost:5001/'), [KEY], NOW, own), { ok: true }, "a topic's own host is the topic")
  t.match(verifySasToken(token('https://localhost:5002/api/events'), [KEY], NOW, own), { ok: false, status: 401 }, 'another port is another topic')
})
