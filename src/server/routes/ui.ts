/**
 * The web dashboard: GET / redirects to /ui/, which serves a page and its two assets from this package.
 */
import type { FastifyInstance } from 'fastify'
import { APP_JS } from '../../ui/app-js.js'
import { PAGE_HTML } from '../../ui/page.js'
import { APP_CSS } from '../../ui/styles.js'

export async function uiRoutes (app: FastifyInstance): Promise<void> {
  app.get('/', async (_request, reply) => reply.redirect('/ui/', 302))
  app.get('/ui', async (_request, reply) => reply.redirect('/ui/', 301))
  app.get('/ui/', async (_request, reply) => reply.type('text/html; charset=utf-8').header('cache-control', 'no-cache').send(PAGE_HTML))
  app.get('/ui/app.js', async (_request, reply) => reply.type('text/javascript; charset=utf-8').header('cache-control', 'no-cache').send(APP_JS))
  app.get('/ui/app.css', async (_request, reply) => reply.type('text/css; charset=utf-8').header('cache-control', 'no-cache').send(APP_CSS))
}
