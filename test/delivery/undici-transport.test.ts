/**
 * The undici transport (src/adapters/undici-transport.ts) loads undici's Pool, Agent and `request` on its first
 * request: the first requests (several at once) wait for that load, and the paths through undici's own
 * `request(url)` — a URL the transport does not take apart, any request after close() — still answer as undici does.
 */
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import t from 'tap'
import { createUndiciTransport } from '../../src/adapters/undici-transport.js'

t.test('the first requests, sent together, all wait for undici and get their answers', async (t) => {
  const server = createServer((req, res) => { res.setHeader('x-path', req.url ?? ''); res.end(`hello ${req.method ?? ''}`) })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  t.teardown(() => { server.close() })
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  const transport = createUndiciTransport()
  t.teardown(async () => { await transport.destroy() })
  const results = await Promise.all(['/a', '/b?x=1', '/c'].map(async (path) => await transport.send({ method: 'POST', url: `${base}${path}`, headers: {}, body: '{}', timeoutMs: 5000 })))
  t.same(results.map((r) => [r.status, r.body, r.headers['x-path']]), [[200, 'hello POST', '/a'], [200, 'hello POST', '/b?x=1'], [200, 'hello POST', '/c']])
})

t.test('a URL the transport does not take apart fails as undici\'s request(url) does', async (t) => {
  const transport = createUndiciTransport()
  t.teardown(async () => { await transport.destroy() })
  const result = await transport.send({ method: 'POST', url: 'ftp://example.invalid/x', headers: {}, body: '{}', timeoutMs: 1000 })
  t.equal(result.status, undefined)
  t.equal(result.error, 'SocketError')
  t.match(result.errorMessage, /UND_ERR_INVALID_ARG/)
})

t.test('a request after close() is refused by the closed Agent', async (t) => {
  const transport = createUndiciTransport()
  await transport.close()
  const result = await transport.send({ method: 'POST', url: 'http://127.0.0.1:9/x', headers: {}, body: '{}', timeoutMs: 1000 })
  t.equal(result.status, undefined)
  t.equal(result.error, 'SocketError')
  t.match(result.errorMessage, /UND_ERR_CLOSED|closed/i)
})
