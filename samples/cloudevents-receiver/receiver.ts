/**
 * A CloudEvents 1.0 webhook, as Event Grid calls one with `eventDeliverySchema: CloudEventSchemaV1_0`.
 * - answers the CloudEvents abuse-protection handshake: OPTIONS with WebHook-Request-Origin → WebHook-Allowed-Origin;
 * - accepts only `application/cloudevents+json` (one event) or `application/cloudevents-batch+json` (a list),
 *   else 415; every event needs specversion 1.0, id, source and type, else 400;
 * - keeps what it received (GET /received).
 * Run it: node --import tsx samples/cloudevents-receiver/receiver.ts   (PORT, default 7074)
 */
import Fastify from 'fastify'

interface CloudEvent { specversion: string, id: string, source: string, type: string, [attribute: string]: unknown }

export interface CloudEventsReceiver { url: string, received: CloudEvent[], close: () => Promise<void> }

export async function start (port = 7074): Promise<CloudEventsReceiver> {
  const app = Fastify()
  const received: CloudEvent[] = []
  app.addContentTypeParser(['application/cloudevents+json', 'application/cloudevents-batch+json'], { parseAs: 'string' }, app.getDefaultJsonParser('error', 'error'))

  app.options('/api/events', async (request, reply) => {
    const origin = request.headers['webhook-request-origin']
    if (typeof origin !== 'string') return await reply.status(400).send({ error: 'WebHook-Request-Origin is missing' })
    return await reply.header('webhook-allowed-origin', origin).header('webhook-allowed-rate', '*').status(200).send()
  })

  app.post('/api/events', async (request, reply) => {
    const type = String(request.headers['content-type'] ?? '').split(';')[0]!.trim()
    if (type !== 'application/cloudevents+json' && type !== 'application/cloudevents-batch+json') {
      return await reply.status(415).send({ error: `expected a CloudEvents content type, got '${type}'` })
    }
    const events = (type === 'application/cloudevents-batch+json' ? request.body : [request.body]) as CloudEvent[]
    const invalid = events.find((e) => e?.specversion !== '1.0' || !e.id || !e.source || !e.type)
    if (invalid !== undefined) return await reply.status(400).send({ error: 'not a CloudEvent 1.0 (specversion, id, source and type are required)' })
    received.push(...events)
    return await reply.status(200).send()
  })
  app.get('/received', async () => received)

  await app.listen({ host: '127.0.0.1', port })
  const { port: actual } = app.server.address() as { port: number }
  return { url: `http://127.0.0.1:${actual}`, received, close: async () => { await app.close() } }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const receiver = await start(Number(process.env.PORT ?? 7074))
  console.log(`CloudEvents receiver on ${receiver.url}/api/events (received events at ${receiver.url}/received)`)
}
