/**
 * The lazy schema compilers (src/server/schema-compilers.ts): the emulator's routes have no Fastify schema, so
 * they are never loaded; a route with one still gets Fastify's own validation and serialisation through them.
 */
import Fastify from 'fastify'
import t from 'tap'
import { lazySchemaCompilers } from '../../src/server/schema-compilers.js'

t.test('a route with a schema is validated and serialised as with Fastify\'s default compilers', async (t) => {
  const app = Fastify(lazySchemaCompilers())
  t.teardown(async () => { await app.close() })
  app.post('/items', {
    schema: {
      body: { type: 'object', required: ['n'], properties: { n: { type: 'integer' } } },
      response: { 200: { type: 'object', properties: { doubled: { type: 'integer' } } } }
    }
  }, async (request) => ({ doubled: (request.body as { n: number }).n * 2, dropped: 'not in the response schema' }))

  const ok = await app.inject({ method: 'POST', url: '/items', payload: { n: 21 } })
  t.equal(ok.statusCode, 200)
  t.same(ok.json(), { doubled: 42 }, 'serialised by fast-json-stringify: keys outside the schema dropped')

  const bad = await app.inject({ method: 'POST', url: '/items', payload: { n: 'x' } })
  t.equal(bad.statusCode, 400)
  t.match(bad.json(), { code: 'FST_ERR_VALIDATION', message: 'body/n must be integer' })
})
