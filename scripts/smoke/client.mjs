// HTTP(S) client steps for scripts/container-smoke.sh (plain Node >= 20, node: modules only, so it runs from a
// clean clone without npm ci).
//   node client.mjs wait-healthy URL START_EPOCH_MS TIMEOUT_MS [PID] -> prints the ms from START to the first 200
//                                                                 (gives up at once when process PID has exited)
//   node client.mjs publish URL KEY                              -> publishes one event to topic "orders", waits for /sink/orders
//   node client.mjs topics URL NAME...                           -> checks GET /admin/topics lists every NAME
//   node client.mjs tls-cert URL FILE                            -> saves GET /admin/tls-cert (fetched without verification)
// HTTPS is verified with Node's usual trust (so NODE_EXTRA_CA_CERTS applies), except `wait-healthy` and `tls-cert`,
// which run before the client can know the emulator's self-signed certificate.
// Any failure prints one line starting with "FAIL:" and exits 1.
import { writeFileSync } from 'node:fs'
import http from 'node:http'
import https from 'node:https'

const [step, base, ...rest] = process.argv.slice(2)

function fail (message) {
  console.error(`FAIL: ${message}`)
  process.exit(1)
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms))

function request (method, url, { headers = {}, body, insecure = false, timeoutMs = 5000 } = {}) {
  const u = new URL(url)
  const mod = u.protocol === 'https:' ? https : http
  return new Promise((resolve, reject) => {
    const req = mod.request(u, { method, headers, timeout: timeoutMs, ...(insecure ? { rejectUnauthorized: false } : {}) }, (res) => {
      let text = ''
      res.setEncoding('utf8')
      res.on('data', (d) => { text += d })
      res.on('end', () => resolve({ status: res.statusCode, text }))
    })
    req.on('timeout', () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)))
    req.on('error', reject)
    req.end(body)
  })
}

async function getJson (url) {
  const res = await request('GET', url).catch((err) => fail(`GET ${url}: ${err.code ?? ''} ${err.message}`))
  if (res.status !== 200) fail(`GET ${url} answered ${res.status}: ${res.text}`)
  return JSON.parse(res.text)
}

function alive (pid) {
  try { process.kill(pid, 0); return true } catch (err) { return err.code === 'EPERM' }
}

async function waitHealthy (startMs, timeoutMs, pid) {
  let last = 'no answer yet'
  while (Date.now() - startMs < timeoutMs) {
    if (pid !== undefined && !alive(pid)) fail(`the container process (pid ${pid}) exited before ${base}/healthz answered`)
    try {
      const res = await request('GET', `${base}/healthz`, { insecure: true, timeoutMs: 1000 })
      if (res.status === 200) { console.log(Date.now() - startMs); return }
      last = `status ${res.status}`
    } catch (err) {
      last = err.code ?? err.message
    }
    await sleep(25)
  }
  fail(`${base}/healthz not healthy within ${timeoutMs} ms (last: ${last})`)
}

async function publish (key) {
  const id = `smoke-${Date.now()}`
  const event = { id, eventType: 'Shop.OrderPlaced', subject: 'orders/1', eventTime: new Date().toISOString(), dataVersion: '1.0', data: { orderId: 1 } }
  const url = `${base}/topics/orders/api/events?api-version=2018-01-01`
  const res = await request('POST', url, { headers: { 'content-type': 'application/json', 'aeg-sas-key': key }, body: JSON.stringify([event]) })
    .catch((err) => fail(`POST ${url}: ${err.code ?? ''} ${err.message}`))
  if (res.status !== 200) fail(`POST ${url} answered ${res.status}: ${res.text}`)
  const started = Date.now()
  while (Date.now() - started < 10_000) {
    const sink = await getJson(`${base}/sink/orders`)
    const got = sink.events.find((e) => e.id === id)
    if (got !== undefined) {
      if (got.topic === undefined || got.data?.orderId !== 1) fail(`the sink got an unexpected event: ${JSON.stringify(got)}`)
      console.log(`event ${id} delivered to ${base}/sink/orders in ${Date.now() - started} ms`)
      return
    }
    await sleep(50)
  }
  fail(`event ${id} was published but GET ${base}/sink/orders did not show it within 10 s`)
}

async function topics (names) {
  const body = await getJson(`${base}/admin/topics`)
  const seen = (body.value ?? []).map((t) => t.name)
  const missing = names.filter((n) => !seen.includes(n))
  if (missing.length > 0) fail(`GET /admin/topics lists ${JSON.stringify(seen)}, expected ${JSON.stringify(names)}`)
  console.log(`topics: ${seen.join(', ')}`)
}

async function tlsCert (file) {
  const res = await request('GET', `${base}/admin/tls-cert`, { insecure: true })
  if (res.status !== 200 || !res.text.includes('-----BEGIN CERTIFICATE-----')) fail(`GET /admin/tls-cert answered ${res.status}: ${res.text.slice(0, 200)}`)
  writeFileSync(file, res.text)
}

if (step === 'wait-healthy') await waitHealthy(Number(rest[0]), Number(rest[1] ?? 30_000), rest[2] === undefined || rest[2] === '' ? undefined : Number(rest[2]))
else if (step === 'publish') await publish(rest[0] ?? 'smoke-key')
else if (step === 'topics') await topics(rest)
else if (step === 'tls-cert') await tlsCert(rest[0])
else fail(`unknown step '${step}'`)
