/**
 * The undici transport against real sockets: what a delivery records of each kind of answer (status, headers,
 * body, errors), through its per-origin Pool path and through its fallback (URLs it does not take apart, and
 * every request after close).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import { createServer as createNetServer, type AddressInfo } from 'node:net'
import type { Test } from 'tap'
import t from 'tap'
import { createUndiciTransport } from '../../src/adapters/undici-transport.js'
import type { OutboundRequest, Transport, TransportResult } from '../../src/delivery/ports.js'

async function serve (t: Test, handler: (req: IncomingMessage, res: ServerResponse, body: string) => void): Promise<string> {
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => { handler(req, res, Buffer.concat(chunks).toString('utf8')) })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  t.teardown(async () => { server.closeAllConnections(); await new Promise((resolve) => server.close(resolve)) })
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`
}

function transport (t: Test): Transport {
  const tr = createUndiciTransport()
  t.teardown(async () => { await tr.destroy() })
  return tr
}

const post = (url: string, extra: Partial<OutboundRequest> = {}): OutboundRequest =>
  ({ method: 'POST', url, headers: { 'content-type': 'application/json; charset=utf-8', 'aeg-event-type': 'Notification' }, body: '[{"id":"1"}]', timeoutMs: 5000, ...extra })

/** The result without its duration (a real measurement), which is checked to be a non-negative number. */
function stable (t: Test, r: TransportResult): Omit<TransportResult, 'durationMs'> {
  const { durationMs, ...rest } = r
  t.ok(typeof durationMs === 'number' && durationMs >= 0, 'durationMs is measured')
  return rest
}

t.test('a 200: status, every response header (lower-case names, repeats joined), the body; the request as sent', async (t) => {
  let seen: { method?: string, url?: string, headers: Record<string, unknown>, body: string } | undefined
  const base = await serve(t, (req, res, body) => {
    seen = { method: req.method, url: req.url, headers: req.headers, body }
    res.setHeader('X-Custom', 'yes')
    res.setHeader('Set-Cookie', ['a=1', 'b=2'])
    res.setHeader('Content-Type', 'text/plain')
    res.end('thanks')
  })
  const tr = transport(t)
  const r = stable(t, await tr.send(post(`${base}/hook/path?x=1&y=2#frag`)))
  t.equal(r.status, 200)
  t.equal(r.body, 'thanks')
  t.equal(r.headers['x-custom'], 'yes')
  t.equal(r.headers['set-cookie'], 'a=1, b=2')
  t.equal(r.headers['content-type'], 'text/plain')
  t.equal(r.headers['content-length'], '6')
  t.equal(r.error, undefined)
  t.same(Object.keys(r.headers).filter((k) => k !== k.toLowerCase()), [], 'names are lower-case')
  t.equal(seen?.method, 'POST')
  t.equal(seen?.url, '/hook/path?x=1&y=2', 'path and query, never the fragment')
  t.equal(seen?.headers['aeg-event-type'], 'Notification')
  t.equal(seen?.body, '[{"id":"1"}]')
  // A second request to the same endpoint reuses the parsed URL and the pool.
  t.equal((await tr.send(post(`${base}/hook/path?x=1&y=2#frag`))).status, 200)
})

t.test('error statuses are answers, not errors; a body without content-length; a BOM is skipped; bodies are cut at 64 KiB', async (t) => {
  const base = await serve(t, (req, res) => {
    if (req.url === '/500') { res.statusCode = 500; res.end('{"error":"boom"}'); return }
    if (req.url === '/chunked') { res.write('part one, '); setTimeout(() => { res.end('part two') }, 5); return }
    if (req.url === '/bom') { res.end(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('héllo')])); return }
    if (req.url === '/bad-utf8') { res.end(Buffer.from([0x61, 0xff, 0x62])); return }
    if (req.url === '/big') { res.end('x'.repeat(70 * 1024)); return }
    res.statusCode = 204; res.end()
  })
  const tr = transport(t)
  const r500 = stable(t, await tr.send(post(`${base}/500`)))
  t.equal(r500.status, 500)
  t.equal(r500.body, '{"error":"boom"}')
  t.equal(r500.error, undefined)
  const chunked = stable(t, await tr.send(post(`${base}/chunked`)))
  t.equal(chunked.body, 'part one, part two')
  t.equal(chunked.headers['transfer-encoding'], 'chunked')
  t.equal(stable(t, await tr.send(post(`${base}/bom`))).body, 'héllo')
  t.equal(stable(t, await tr.send(post(`${base}/bad-utf8`))).body, 'a\ufffdb')
  const big = stable(t, await tr.send(post(`${base}/big`)))
  t.equal(big.body?.length, 64 * 1024)
  const empty = stable(t, await tr.send(post(`${base}/204`)))
  t.equal(empty.status, 204)
  t.equal(empty.body, '')
})

t.test('an informational 1xx before the answer is not the answer', async (t) => {
  const base = await serve(t, (_req, res) => {
    res.writeProcessing()
    res.end('final')
  })
  const r = stable(t, await transport(t).send(post(`${base}/hook`)))
  t.equal(r.status, 200)
  t.equal(r.body, 'final')
})

t.test('a refused connection is a SocketError naming ECONNREFUSED', async (t) => {
  const port = await new Promise<number>((resolve) => { const s = createNetServer().listen(0, '127.0.0.1', () => { const p = (s.address() as AddressInfo).port; s.close(() => { resolve(p) }) }) })
  const r = stable(t, await transport(t).send(post(`http://127.0.0.1:${port}/hook`)))
  t.same(r.headers, {})
  t.equal(r.status, undefined)
  t.equal(r.error, 'SocketError')
  t.match(r.errorMessage, /^ECONNREFUSED: connect ECONNREFUSED 127\.0\.0\.1:\d+$/)
})

t.test('no answer within the timeout is TimedOut; neither is a body that stops halfway', async (t) => {
  const base = await serve(t, (req, res) => {
    if (req.url === '/slow-body') { res.writeHead(200, { 'content-length': '100' }); res.write('partial') }
    // '/hang': never answers
  })
  const tr = transport(t)
  const hang = stable(t, await tr.send(post(`${base}/hang`, { timeoutMs: 100 })))
  t.same(hang, { headers: {}, error: 'TimedOut', errorMessage: 'no response within the timeout (Headers Timeout Error)' })
  // The headers go out at once and the rest of the body never does: the timeout only needs room for the headers
  // to arrive on a loaded machine (a Headers Timeout otherwise), and the test waits it out once.
  const slow = stable(t, await tr.send(post(`${base}/slow-body`, { timeoutMs: 1000 })))
  t.same(slow, { headers: {}, error: 'TimedOut', errorMessage: 'no response within the timeout (Body Timeout Error)' })
})

t.test('a connection closed mid-body is a SocketError', async (t) => {
  const base = await serve(t, (_req, res) => {
    res.writeHead(200, { 'content-length': '100' })
    res.write('partial', () => { res.socket?.destroy() })
  })
  const r = stable(t, await transport(t).send(post(`${base}/hook`)))
  t.equal(r.error, 'SocketError')
  t.equal(r.status, undefined)
  t.match(r.errorMessage, /^UND_ERR_SOCKET: other side closed$/)
})

t.test('a header value undici refuses fails the attempt before it leaves (SocketError with undici\'s message)', async (t) => {
  const base = await serve(t, (_req, res) => { res.end('ok') })
  const r = stable(t, await transport(t).send(post(`${base}/hook`, { headers: { 'x-bad': 'a\r\nb' } })))
  t.same(r, { headers: {}, error: 'SocketError', errorMessage: 'UND_ERR_INVALID_ARG: invalid x-bad header' })
})

t.test('an unresolvable host is a ResolutionError', async (t) => {
  const r = stable(t, await transport(t).send(post('http://no-such-host.invalid/hook')))
  t.equal(r.error, 'ResolutionError')
  t.match(r.errorMessage, /ENOTFOUND|EAI_AGAIN/)
})

t.test('URLs the transport does not take apart go through undici\'s own request(url) and fail as it does', async (t) => {
  const tr = transport(t)
  const notUrl = stable(t, await tr.send(post('not a url')))
  t.equal(notUrl.error, 'SocketError')
  t.match(notUrl.errorMessage, /Invalid URL|UND_ERR_INVALID_ARG/)
  const ftp = stable(t, await tr.send(post('ftp://127.0.0.1/hook')))
  t.equal(ftp.error, 'SocketError')
  t.match(ftp.errorMessage, /protocol|UND_ERR_INVALID_ARG/)
})

t.test('after close, requests are refused as a closed dispatcher refuses them', async (t) => {
  const base = await serve(t, (_req, res) => { res.end('ok') })
  const tr = transport(t)
  t.equal((await tr.send(post(`${base}/hook`))).status, 200)
  await tr.close()
  const r = stable(t, await tr.send(post(`${base}/hook`)))
  t.same(r, { headers: {}, error: 'SocketError', errorMessage: 'UND_ERR_CLOSED: The client is closed' })
})

t.test('destroy aborts a request in flight: SocketError', async (t) => {
  const base = await serve(t, () => { /* never answers */ })
  const tr = createUndiciTransport()
  const pending = tr.send(post(`${base}/hook`))
  await new Promise((resolve) => setTimeout(resolve, 50))
  await tr.destroy()
  const r = stable(t, await pending)
  t.equal(r.error, 'SocketError')
  t.equal(r.status, undefined)
  t.match(r.errorMessage, /^UND_ERR_DESTROYED: /)
})
