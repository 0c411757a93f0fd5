/**
 * One logger for HTTP and delivery lines: refusals keep their reason readable by JSON log tools, and no line
 * carries an access key or a SAS signature, wherever the publisher put it.
 */
import { Writable } from 'node:stream'
import { AzureKeyCredential, generateSharedAccessSignature } from '@azure/eventgrid'
import t from 'tap'
import { createLogger, redactSecrets } from '../../src/logging.js'
import { egEvent, startTestEmulator } from '../helpers/build.js'

const KEY = 'c2VjcmV0LWtleS10aGF0LW11c3Qtbm90LWxlYWs='
const WRONG = 'd3Jvbmcta2V5LXRoYXQtbXVzdC1ub3QtbGVhaw=='

function capture (): { raw: string[], stream: Writable } {
  const raw: string[] = []
  const stream = new Writable({ write (chunk: Buffer, _enc, done) { raw.push(...chunk.toString().split('\n').filter((l) => l !== '')); done() } })
  return { raw, stream }
}

t.test('a refused publish logs its reason under `reason`, beside one `msg`, with no secret in any line', async (t) => {
  const { raw, stream } = capture()
  const eg = await startTestEmulator(t, `
topics:
  orders:
    keys: ["${KEY}"]
    subscriptions: {}
`, { logger: { level: 'debug', stream } })
  const post = async (query: string, headers: Record<string, string> = {}): Promise<number> => {
    const res = await fetch(`${eg.url}/topics/orders/api/events?api-version=2018-01-01${query}`, {
      method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify([egEvent()])
    })
    return res.status
  }
  t.equal(await post(`&aeg-sas-key=${encodeURIComponent(WRONG)}`), 401, 'wrong key in the query string')
  const endpoint = `${eg.url}/topics/orders/api/events`
  const otherSas = await generateSharedAccessSignature(endpoint, new AzureKeyCredential(WRONG), new Date(Date.now() + 60_000))
  t.equal(await post('', { 'aeg-sas-token': otherSas }), 401, 'SAS token signed with another key')
  t.equal(await post('', { 'aeg-sas-token': 'r=x&e=garbage&s=c2lnbmF0dXJl' }), 400, 'malformed SAS token')

  const refused = raw.filter((l) => l.includes('request refused'))
  t.equal(refused.length, 3, 'one refusal line per request')
  for (const line of refused) {
    t.equal(line.match(/"msg"/g)?.length, 1, 'exactly one msg key, so jq and Docker keep the reason')
    const parsed = JSON.parse(line) as Record<string, unknown>
    t.equal(parsed.msg, 'request refused')
    t.type(parsed.reason, 'string')
  }
  t.match(JSON.parse(refused[0]!), { reason: /access key in aeg-sas-key is not valid/, status: 401 })
  const everything = raw.join('\n')
  t.notOk(everything.includes(WRONG), 'the wrong key is not logged')
  t.notOk(everything.includes(encodeURIComponent(WRONG)), 'not even URL-encoded')
  t.notOk(everything.includes(KEY), 'the topic key is not logged')
  const signature = decodeURIComponent(/[?&]s=([^&]+)/.exec(otherSas)![1]!)
  t.notOk(everything.includes(signature) || everything.includes(encodeURIComponent(signature)), 'the SAS signature is not logged')
  t.notOk(everything.includes('c2lnbmF0dXJl'), 'nor a malformed token\'s signature')
  t.ok(everything.includes('aeg-sas-key=***'), 'the request URL shows that a key was sent, redacted')
})

t.test('delivery lines and HTTP lines come from the same logger', async (t) => {
  const { raw, stream } = capture()
  const log = createLogger({ level: 'debug', stream })
  const eg = await startTestEmulator(t, undefined, { logger: log })
  t.equal(eg.log, log, 'the running emulator exposes the logger it was given')
  await fetch(`${eg.url}/healthz`)
  await eg.close()
  t.ok(raw.some((l) => l.includes('"http request"') && l.includes('/healthz')), 'the HTTP access line (debug) reaches the given logger')
})

t.test('redactSecrets hides key, token and signature values and keeps the rest', async (t) => {
  t.equal(redactSecrets('/topics/a/api/events?api-version=2018-01-01&aeg-sas-key=abc%3D'), '/topics/a/api/events?api-version=2018-01-01&aeg-sas-key=***')
  t.equal(redactSecrets('Input sas string: r=http%3a%2f%2fx&e=1%2f1%2f2030&s=AbC%2B%3D.'), 'Input sas string: r=http%3a%2f%2fx&e=1%2f1%2f2030&s=***')
  t.equal(redactSecrets('aeg-sas-token=r=a&e=b&s=c'), 'aeg-sas-token=***&e=b&s=***')
  t.equal(redactSecrets('/admin/deliveries?status=Failed&subscription=s'), '/admin/deliveries?status=Failed&subscription=s', 'other parameters untouched')
})
