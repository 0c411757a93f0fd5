/**
 * A small stand-in for a local Azure Functions host (`func start`), answering on the Event Grid trigger
 * endpoint exactly as the Event Grid extension does (Microsoft.Azure.WebJobs.Extensions.EventGrid,
 * EventGridExtensionConfigProvider + HttpRequestProcessor):
 *   - `functionName` query parameter must name a registered function, else 404 "cannot find function: 'X'";
 *   - `aeg-event-type: SubscriptionValidation` → 200 {"validationResponse": code};
 *   - `aeg-event-type: Notification` → the body (array, or one object) goes to the function → 202, or 500 if it throws;
 *   - `aeg-event-type: Unsubscribe` → 202; anything else → 400.
 * Run it: node --import tsx samples/azure-functions/functions-host.ts [--port N]   (function "OnSmsReceived")
 * The port defaults to 7071, where `func start` listens; --port or FUNCTIONS_PORT picks another (0 = any free
 * port), to be matched by `delivery.azureFunctionsHostUrl` in the emulator's config.
 */
import Fastify, { type FastifyInstance } from 'fastify'

export type FunctionHandler = (events: unknown[]) => void | Promise<void>

export async function startFunctionsHost (functions: Record<string, FunctionHandler>, port = 7071): Promise<{ url: string, app: FastifyInstance }> {
  const app = Fastify()
  app.addContentTypeParser('*', { parseAs: 'string' }, (_req, body, done) => { done(null, body) })
  app.removeContentTypeParser('application/json')
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_req, body, done) => { done(null, body) })

  app.post<{ Querystring: { functionName?: string }, Body: string }>('/runtime/webhooks/EventGrid', async (request, reply) => {
    const name = request.query.functionName ?? ''
    const fn = functions[name]
    if (fn === undefined) return await reply.status(404).send(`cannot find function: '${name}'`)
    const kind = String(request.headers['aeg-event-type'] ?? '').toLowerCase()
    if (kind === 'subscriptionvalidation') {
      const events = JSON.parse(request.body) as Array<{ data: { validationCode: string } }>
      return { validationResponse: events[0]!.data.validationCode }
    }
    if (kind === 'notification') {
      const token = JSON.parse(request.body) as unknown
      if (token === null || typeof token !== 'object') return await reply.status(500).send('The request content should be parseable into a JSON object or array')
      try {
        await fn(Array.isArray(token) ? token : [token])
      } catch (err) {
        return await reply.status(500).send((err as Error).message)
      }
      return await reply.status(202).send()
    }
    return await reply.status(kind === 'unsubscribe' ? 202 : 400).send()
  })
  await app.listen({ host: '127.0.0.1', port })
  const address = app.server.address() as { port: number }
  return { url: `http://127.0.0.1:${address.port}`, app }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const flag = process.argv.indexOf('--port')
  const port = Number(flag >= 0 ? process.argv[flag + 1] : process.env.FUNCTIONS_PORT ?? 7071)
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--port must be an integer from 0 to 65535, got '${String(process.argv[flag + 1] ?? process.env.FUNCTIONS_PORT)}'`)
  const { url } = await startFunctionsHost({
    OnSmsReceived: (events) => { console.log(`OnSmsReceived got ${events.length} event(s):`, JSON.stringify(events, null, 2)) }
  }, port)
  console.log(`Functions host stand-in on ${url}/runtime/webhooks/EventGrid?functionName=OnSmsReceived`)
}
