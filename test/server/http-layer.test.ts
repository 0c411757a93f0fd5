/**
 * Errors raised below the routes (Node's HTTP parser) still use Event Grid's error body; the request id of a
 * response is the `reqId` of the emulator's log lines for that request; Azure's time format in the suffix.
 */
import { connect } from 'node:net'
import { Writable } from 'node:stream'
import t from 'tap'
import { formatReportTime, reportSuffix } from '../../src/errors.js'
import { egEvent, startTestEmulator } from '../helpers/build.js'

/** Sends raw bytes and returns the whole raw answer (the server closes the connection after a parse error). */
async function raw (port: number, bytes: string): Promise<{ status: number, headers: Record<string, string>, body: string }> {
  const text = await new Promise<string>((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => { socket.write(bytes) })
    let out = ''
    socket.on('data', (chunk) => { out += chunk.toString('utf8') })
    socket.on('end', () => { resolve(out) })
    socket.on('error', reject)
  })
  const [head, body = ''] = text.split('\r\n\r\n')
  const [statusLine, ...lines] = head!.split('\r\n')
  const headers = Object.fromEntries(lines.map((l) => [l.slice(0, l.indexOf(':')).toLowerCase(), l.slice(l.indexOf(':') + 1).trim()]))
  return { status: Number(statusLine!.split(' ')[1]), headers, body }
}

const SUFFIX = / Report '([0-9a-f-]{36}):[^']+ \(UTC\)' to our forums for assistance or raise a support ticket\.$/

t.test('a malformed Content-Length and oversize headers get Event Grid\'s error body, not Fastify\'s', async (t) => {
  const eg = await startTestEmulator(t, 'topics:\n  orders:\n    subscriptions: {}\n')
  const port = Number(new URL(eg.url).port)
  const cases: Array<[string, number, string, string]> = [
    ['POST /topics/orders/api/events HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: abc\r\n\r\n[]', 400, 'InvalidContentLength',
      'The Content-Length header is not valid: it must be one non-negative decimal number, sent once, and not together with Transfer-Encoding: chunked.'],
    [`POST /topics/orders/api/events HTTP/1.1\r\nHost: x\r\nX-Pad: ${'x'.repeat(20_000)}\r\nContent-Length: 2\r\n\r\n[]`, 431, 'RequestHeaderFieldsTooLarge',
      'The request headers are too large: together they may be at most 16 KB.']
  ]
  for (const [request, status, detail, message] of cases) {
    const res = await raw(port, request)
    t.equal(res.status, status)
    t.equal(res.headers['content-type'], 'application/json; charset=utf-8')
    const { error } = JSON.parse(res.body) as { error: { code: string, message: string, details: Array<{ code: string, message: string }> } }
    t.equal(error.code, status === 400 ? 'BadRequest' : 'RequestHeaderFieldsTooLarge')
    t.equal(error.details[0]!.code, detail)
    t.equal(error.message, error.details[0]!.message)
    const match = SUFFIX.exec(error.message)
    t.equal(match?.[1], res.headers['x-ms-request-id'], 'the suffix names the x-ms-request-id header')
    t.equal(error.message.replace(SUFFIX, ''), message)
  }
})

t.test('the x-ms-request-id of a response is the reqId of the log lines for that request', async (t) => {
  const lines: Array<Record<string, unknown>> = []
  const stream = new Writable({ write (chunk: Buffer, _enc, done) { for (const l of chunk.toString().split('\n').filter(Boolean)) lines.push(JSON.parse(l) as Record<string, unknown>); done() } })
  const eg = await startTestEmulator(t, 'topics:\n  orders:\n    keys: [bG9jYWwtZGV2LWtleQ==]\n    subscriptions: {}\n', { logger: { level: 'debug', stream } })
  const ok = await fetch(`${eg.url}/topics/orders/api/events`, { method: 'POST', headers: { 'content-type': 'application/json', 'aeg-sas-key': 'bG9jYWwtZGV2LWtleQ==' }, body: JSON.stringify([egEvent()]) })
  const refused = await fetch(`${eg.url}/topics/orders/api/events`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '[]' })
  await ok.text()
  const body = await refused.json() as { error: { message: string } }
  for (const res of [ok, refused]) {
    const id = res.headers.get('x-ms-request-id')!
    const mine = lines.filter((l) => l.reqId === id)
    t.ok(mine.length > 0, `log lines carry reqId ${id}`)
    // The access line (debug level) carries the request id and the status it answered.
    t.ok(mine.some((l) => l.msg === 'http request' && l.statusCode === res.status), 'the access line carries the same id and the status')
  }
  t.match(body.error.message, `Report '${refused.headers.get('x-ms-request-id')!}:`)
  t.ok(lines.some((l) => l.reqId === refused.headers.get('x-ms-request-id') && l.msg === 'request refused'), 'the refusal is logged under the same id')
})

t.test('the report suffix uses .NET\'s invariant M/d/yyyy h:mm:ss tt in UTC', async (t) => {
  t.equal(formatReportTime(new Date('2021-03-10T21:02:56Z')), '3/10/2021 9:02:56 PM')
  t.equal(formatReportTime(new Date('2025-01-05T00:07:09Z')), '1/5/2025 12:07:09 AM')
  t.equal(formatReportTime(new Date('2025-12-31T12:00:00Z')), '12/31/2025 12:00:00 PM')
  t.equal(reportSuffix({ requestId: 'f88d9de5-ff62-46d4-8484-8f14028eb884', time: new Date('2021-03-10T21:02:56Z') }),
    " Report 'f88d9de5-ff62-46d4-8484-8f14028eb884:3/10/2021 9:02:56 PM (UTC)' to our forums for assistance or raise a support ticket.")
})
