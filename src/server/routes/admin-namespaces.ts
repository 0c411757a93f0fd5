/**
 * `GET /admin/namespaces`: every namespace, its topics and event subscriptions with queue depth, locked and
 * dead-lettered counts; `GET /admin/namespaces/{ns}/topics/{topic}/eventsubscriptions/{sub}` for one.
 */
import type { FastifyInstance } from 'fastify'
import type { Emulator } from '../../emulator.js'
import { notFound } from '../../errors.js'

export async function adminNamespaceRoutes (app: FastifyInstance, opts: { emulator: Emulator }): Promise<void> {
  const broker = opts.emulator.namespaces
  app.get('/admin/namespaces', async () => ({
    value: [...broker.namespaces.values()].map((ns) => ({
      name: ns.name,
      endpoint: `${opts.emulator.url}/namespaces/${ns.name}`,
      ...(ns.config.port !== undefined ? { port: ns.config.port } : {}),
      authRequired: ns.keys.length > 0,
      topics: [...ns.topics.values()].map((t) => ({
        name: t.name,
        eventRetentionInDays: t.retentionDays,
        eventSubscriptions: [...t.subscriptions.values()].map((s) => broker.describe(s))
      }))
    }))
  }))

  app.get<{ Params: { ns: string, topic: string, sub: string } }>('/admin/namespaces/:ns/topics/:topic/eventsubscriptions/:sub', async (request) => {
    const { ns, topic, sub } = request.params
    const found = broker.topic(ns, topic)?.subscriptions.get(sub)
    if (found === undefined) throw notFound(`No event subscription '${sub}' on namespace topic '${ns}/${topic}'. See GET /admin/namespaces.`)
    return broker.describe(found)
  })
}
