// HTTP client steps for scripts/container-smoke.sh (plain Node >= 20, no dependencies).
//   node scripts/smoke/client.mjs wait-healthy URL START_EPOCH_MS TIMEOUT_MS  -> prints ms from START to first 200
//   node scripts/smoke/client.mjs publish URL KEY                              -> publishes one event, waits for the sink
//   node scripts/smoke/client.mjs topics URL NAME...                           -> checks GET /admin/topics lists NAMEs
// Any failure prints one line starting with "FAIL:" and exits 1.
const [step, base, ...rest] = process.argv.slice(2)

function fail (message) {
  console.error(`FAIL: ${message}`)
  process.exit(1)
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms))

async function getJson (url) {
  const res = await fetch(url, { signal: AbortSignal.timeout(5000) })
  const text = await res.text()
  if (res.status !== 200) fail(`GET ${url} answered ${res.status}: ${text}`)
  return JSON.parse(text)
}

async function waitHealthy (startMs, timeoutMs) {
  let last = 'no answer yet'
  while (Date.now() - startMs < timeoutMs) {
    try {
      const res = await fetch(`${base}/healthz`, { signal: AbortSignal.timeout(1000) })
      if (res.status === 200) { console.log(Date.now() - startMs); return }
      last = `status ${res.status}`
    } catch (err) {
      last = err.cause?.code ?? err.message
    }
    await sleep(25)
  }
  fail(`${base}/healthz not healthy within ${timeoutMs} ms (last: ${last})`)
}

async function publish (key) {
  const id = `smoke-${Date.now()}`
  const event = { id, eventType: 'Shop.OrderPlaced', subject: 'orders/1', eventTime: new Date().toISOString(), dataVersion: '1.0', data: { orderId: 1 } }
  const url = `${base}/topics/orders/api/events?api-version=2018-01-01`
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', 'aeg-sas-key': key }, body: JSON.stringify([event]), signal: AbortSignal.timeout(5000) })
  if (res.status !== 200) fail(`POST ${url} answered ${res.status}: ${await res.text()}`)
  const started = Date.now()
  while (Date.now() - started < 10_000) {
    const sink = await getJson(`${base}/sink/orders`)
    const got = sink.events.find((e) => e.id === id)
    if (got !== undefined) {
      if (got.topic === undefined || got.data?.orderId !== 1) fail(`the sink got an unexpected event: ${JSON.stringify(got)}`)
      console.log(`event ${id} delivered to /sink/orders in ${Date.now() - started} ms (topic ${got.topic})`)
      return
    }
    await sleep(50)
  }
  fail(`event ${id} was published but GET ${base}/sink/orders did not show it within 10 s`)
}

async function topics (names) {
  const body = await getJson(`${base}/admin/topics`)
  const list = Array.isArray(body) ? body : body.topics ?? body.value ?? []
  const seen = list.map((t) => (typeof t === 'string' ? t : t.name))
  const missing = names.filter((n) => !seen.includes(n))
  if (missing.length > 0) fail(`GET /admin/topics lists ${JSON.stringify(seen)}, expected ${JSON.stringify(names)}`)
  console.log(`topics: ${seen.join(', ')}`)
}

if (step === 'wait-healthy') await waitHealthy(Number(rest[0]), Number(rest[1] ?? 30_000))
else if (step === 'publish') await publish(rest[0] ?? 'smoke-key')
else if (step === 'topics') await topics(rest)
else fail(`unknown step '${step}'`)
