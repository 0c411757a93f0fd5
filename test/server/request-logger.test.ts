/**
 * request.log is made on the first line written: the lines, their reqId and every other field are those of the
 * child Fastify makes per request; routes with their own log settings and loggers that cannot tell their level
 * get that child at once.
 */
import { Writable } from 'node:stream'
import type { Test } from 'tap'
import t from 'tap'
import { createLogger } from '../../src/logging.js'
import { requestLogger } from '../../src/server/request-logger.js'
import { buildApp } from '../../src/server/build-app.js'
import { composeEmulator } from '../../src/compose.js'
import { config, egEvent } from '../helpers/build.js'
import type { FastifyBaseLogger } from 'fastify'

function capture (): { lines: Array<Record<string, unknown>>, stream: Writable } {
  const lines: Array<Record<string, unknown>> = []
  const stream = new Writable({ write (chunk: Buffer, _enc, done) { for (const l of chunk.toString().split('\n')) if (l !== '') lines.push(JSON.parse(l) as Record<string, unknown>); done() } })
  return { lines, stream }
}

const YAML = `
topics:
  orders:
    subscriptions: {}
`

async function app (t: Test, level: string): Promise<{ lines: Array<Record<string, unknown>>, app: ReturnType<typeof buildApp> }> {
  const { lines, stream } = capture()
  const logger = createLogger({ level, stream })
  const emulator = composeEmulator(config(YAML), { logger })
  const fastify = buildApp(emulator, { logger })
  await fastify.ready()
  t.teardown(async () => { await fastify.close(); await emulator.close(0) })
  return { lines, app: fastify }
}

t.test('at info: an accepted publish writes no line; a refused one writes its line with the request id', async (t) => {
  const { lines, app: fastify } = await app(t, 'info')
  const ok = await fastify.inject({ method: 'POST', url: '/topics/orders/api/events', payload: [egEvent()] })
  t.equal(ok.statusCode, 200)
  t.same(lines, [])
  const refused = await fastify.inject({ method: 'POST', url: '/topics/nope/api/events', payload: [egEvent()] })
  t.equal(refused.statusCode, 404)
  t.equal(lines.length, 1)
  t.match(lines[0], { level: 30, msg: 'request refused', reqId: refused.headers['x-ms-request-id'], status: 404 })
})

t.test('at debug: the access line carries the request id', async (t) => {
  const { lines, app: fastify } = await app(t, 'debug')
  const ok = await fastify.inject({ method: 'POST', url: '/topics/orders/api/events', payload: [egEvent()] })
  const access = lines.filter((l) => l.msg === 'http request')
  t.equal(access.length, 1)
  t.match(access[0], { level: 20, reqId: ok.headers['x-ms-request-id'], method: 'POST', url: '/topics/orders/api/events', statusCode: 200 })
})

t.test('the stand-in: level checks without a child; lines, level, bindings and children as the child has them', async (t) => {
  const { lines, stream } = capture()
  const parent = createLogger({ level: 'info', stream })
  let made = 0
  const counting = Object.create(parent, { child: { value: (b: Record<string, unknown>, o: object) => { made++; return parent.child(b, o) } } }) as FastifyBaseLogger
  const log = requestLogger(counting, { reqId: 'r-1' }, {}) as FastifyBaseLogger & { isLevelEnabled: (l: string) => boolean, bindings: () => Record<string, unknown> }
  t.equal(log.isLevelEnabled('debug'), false)
  t.equal(log.isLevelEnabled('info'), true)
  t.equal(log.level, 'info')
  log.debug('not written')
  t.equal(made, 0, 'no child for a level check or a line nobody reads')
  log.info({ a: 1 }, 'written %s', 'here')
  t.equal(made, 1)
  t.match(lines, [{ level: 30, reqId: 'r-1', a: 1, msg: 'written here' }])
  log.warn('again')
  t.equal(made, 1, 'made once')
  t.same(log.bindings(), { reqId: 'r-1' })
  log.level = 'debug'
  log.debug('now written')
  t.equal(parent.level, 'info', 'the parent keeps its level')
  log.child({ extra: true }).info('from a child')
  t.match(lines.slice(1), [{ msg: 'again', reqId: 'r-1' }, { msg: 'now written', level: 20 }, { msg: 'from a child', reqId: 'r-1', extra: true }])
})

t.test('route log settings, or a logger that cannot tell its level: the child at once', async (t) => {
  const parent = createLogger({ level: 'info' })
  const withLevel = requestLogger(parent, { reqId: 'r-2' }, { level: 'debug' }) as FastifyBaseLogger & { bindings: () => Record<string, unknown> }
  t.equal(withLevel.level, 'debug')
  t.same(withLevel.bindings(), { reqId: 'r-2' })
  const calls: unknown[] = []
  const plain = { info () {}, error () {}, debug () {}, fatal () {}, warn () {}, trace () {}, silent () {}, level: 'info', child (b: unknown, o: unknown) { calls.push([b, o]); return plain } }
  t.equal(requestLogger(plain as unknown as FastifyBaseLogger, { reqId: 'r-3' }, {}), plain)
  t.same(calls, [[{ reqId: 'r-3' }, {}]])
})
