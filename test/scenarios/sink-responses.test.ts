/** `PUT /sink/{name}/responses` scripts the built-in sink over HTTP, for scenarios run against --url. */
import t from 'tap'
import { buildTestApp } from '../helpers/build.js'

const YAML = 'topics:\n  events:\n    subscriptions: {}\n'

t.test('the sink answers the scripted statuses in order, then 200; DELETE clears the script', async (t) => {
  const { app } = await buildTestApp(t, YAML)
  const notify = async (name: string): Promise<number> => (await app.inject({ method: 'POST', url: `/sink/${name}`, headers: { 'aeg-event-type': 'Notification' }, payload: [{ id: '1' }] })).statusCode

  const put = await app.inject({ method: 'PUT', url: '/sink/flaky/responses', payload: { statuses: [500, 503, 200] } })
  t.equal(put.statusCode, 204)
  t.same([await notify('flaky'), await notify('flaky'), await notify('flaky'), await notify('flaky')], [500, 503, 200, 200])
  const recorded = (await app.inject({ method: 'GET', url: '/sink/flaky' })).json()
  t.same(recorded.requests.map((r: { status: number }) => r.status), [500, 503, 200, 200])

  await app.inject({ method: 'PUT', url: '/sink/flaky/responses', payload: { statuses: [500] } })
  t.equal((await app.inject({ method: 'DELETE', url: '/sink/flaky' })).statusCode, 204)
  t.equal(await notify('flaky'), 200, 'DELETE /sink/{name} also clears its script')
})

t.test('bad bodies get an Event Grid error naming the value', async (t) => {
  const { app } = await buildTestApp(t, YAML)
  const cases: Array<[unknown, RegExp]> = [
    [{ statuses: [500, 700] }, /statuses\[1\] must be an integer HTTP status from 100 to 599, got 700\./],
    [{ statuses: [500, '503'] }, /statuses\[1\] must be an integer HTTP status from 100 to 599, got "503"\./],
    [{ statuses: [99.5] }, /statuses\[0\] .* got 99\.5\./],
    [{ status: [500] }, /The body must be a JSON object like \{ "statuses": \[500, 500, 200\] \}; got \{"status":\[500\]\}\./],
    [[500, 500], /got \[500,500\]\./]
  ]
  for (const [payload, message] of cases) {
    const res = await app.inject({ method: 'PUT', url: '/sink/x/responses', payload: payload as object })
    t.equal(res.statusCode, 400, JSON.stringify(payload))
    t.match(res.json(), { error: { code: 'BadRequest', message, details: [{ code: 'InvalidSinkResponses' }] } })
  }
  const text = await app.inject({ method: 'PUT', url: '/sink/x/responses', headers: { 'content-type': 'text/plain' }, payload: '500,200' })
  t.equal(text.statusCode, 400)
  t.match(text.json().error.message, /got "500,200"\./)
})
